"""Creating and changing user accounts and facilities. Pages and `flask users` both call these.

Every broken rule raises AccountError(field, message) so a form can show it next to the field
and the CLI can print it. Functions flush; the caller commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import NamedTuple

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from app.accounts.models import Facility, Role, User
from app.accounts.services import (
    AccountError,
    check_new_password,
    find_user_by_email,
    normalise_email,
    queue_password_email,
)
from app.directory.models import Organization
from app.extensions import db
from app.notify.models import OutboxMessage


class UserCreated(NamedTuple):
    user: User
    invitation: OutboxMessage | None  # the "set your password" e-mail, when no password given


def _clean_email(email: str, *, exclude: User | None = None) -> str:
    email = normalise_email(email or "")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        raise AccountError("email", "Enter a valid e-mail address.") from exc
    other = find_user_by_email(email)
    if other is not None and other is not exclude:
        raise AccountError("email", "Another account already uses this e-mail address.")
    return email


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise AccountError("name", "Enter the person's name.")
    if len(name) > 200:
        raise AccountError("name", "Use at most 200 characters.")
    return name


def _check_membership(
    role: Role, facility: Facility | None, organizations: Sequence[Organization]
) -> None:
    """Counselors work at one facility; provider staff belong to organizations; nobody else."""
    if role == Role.COUNSELOR and facility is None:
        raise AccountError("facility", "Choose the facility this counselor works at.")
    if role != Role.COUNSELOR and facility is not None:
        raise AccountError("facility", "Only re-entry counselors belong to a facility.")
    if role == Role.PROVIDER and not organizations:
        raise AccountError("organizations", "Choose at least one organization.")
    if role != Role.PROVIDER and organizations:
        raise AccountError("organizations", "Only provider staff belong to organizations.")


def create_user(
    *,
    email: str,
    name: str,
    role: Role,
    facility: Facility | None = None,
    organizations: Sequence[Organization] = (),
    password: str | None = None,
) -> UserCreated:
    """A new active account. Without a password it gets an unguessable one and a queued
    "set your password" e-mail (send it after the commit)."""
    name = _clean_name(name)
    email = _clean_email(email)
    role = Role(role)
    _check_membership(role, facility, organizations)
    if password:
        check_new_password(password)
    user = User(email=email, name=name, role=role, facility=facility, active=True)
    user.organizations = list(organizations)
    user.set_password(password or secrets.token_urlsafe(32))
    db.session.add(user)
    db.session.flush()
    invitation = None if password else queue_password_email(user, welcome=True)
    return UserCreated(user, invitation)


def update_user(
    user: User,
    *,
    email: str,
    name: str,
    role: Role,
    facility: Facility | None = None,
    organizations: Sequence[Organization] = (),
    actor: User | None = None,
) -> User:
    """Change an account's details. An admin cannot take away their own admin role."""
    name = _clean_name(name)
    email = _clean_email(email, exclude=user)
    role = Role(role)
    if actor is not None and actor is user and user.role == Role.ADMIN and role != Role.ADMIN:
        raise AccountError("role", "You cannot remove your own administrator role.")
    _check_membership(role, facility, organizations)
    user.name, user.email, user.role, user.facility = name, email, role, facility
    user.organizations = list(organizations)
    db.session.flush()
    return user


def set_active(user: User, active: bool, *, actor: User | None = None) -> User:
    """Activate or deactivate; a deactivated user is signed out on their next request."""
    if not active and actor is not None and actor is user:
        raise AccountError("active", "You cannot deactivate your own account.")
    user.active = active
    db.session.flush()
    return user


def create_facility(*, name: str, town: str | None = None, kind: str | None = None) -> Facility:
    name = (name or "").strip()
    if not name:
        raise AccountError("name", "Enter the facility's name.")
    if len(name) > 200:
        raise AccountError("name", "Use at most 200 characters.")
    taken = db.session.scalar(
        select(Facility.id).where(func.lower(Facility.name) == name.lower()).limit(1)
    )
    if taken:
        raise AccountError("name", "A facility with this name already exists.")
    facility = Facility(
        name=name, town=(town or "").strip() or None, kind=(kind or "").strip() or None
    )
    db.session.add(facility)
    db.session.flush()
    return facility


def facility_named(name: str) -> Facility | None:
    return db.session.scalar(select(Facility).where(func.lower(Facility.name) == name.lower()))
