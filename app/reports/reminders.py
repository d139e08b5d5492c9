"""Verification outreach: one e-mail per provider contact listing their stale listings, with a
signed, expiring link to confirm "still accurate" without a password.

The link carries only ids (the reminder and its services), signed with SECRET_KEY under the salt
"verify-listing" and valid for VERIFY_LINK_MAX_AGE seconds. A contact e-mailed within
VERIFY_REMINDER_DAYS is skipped. Functions flush; the CLI command or the view commits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, or_, select, update

from app.accounts.models import Role, User, organization_membership
from app.common import utcnow
from app.directory.models import Organization, Service
from app.directory.vocabulary import ServiceStatus
from app.extensions import db
from app.notify.services import queue_email
from app.reports.freshness import stale_capacity_count, stale_limits
from app.reports.models import VerificationReminder

SALT = "verify-listing"


class LinkError(Exception):
    """The link is broken, expired, or points at something that no longer exists."""


@dataclass(frozen=True)
class ConfirmLink:
    reminder: VerificationReminder
    organization: Organization
    services: list[Service]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(reminder: VerificationReminder, service_ids: list[str]) -> str:
    return _serializer().dumps({"r": reminder.id, "s": service_ids})


def read_link(token: str) -> ConfirmLink:
    max_age = int(current_app.config.get("VERIFY_LINK_MAX_AGE", 14 * 24 * 3600))
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise LinkError("This link has expired. Sign in to check your listings.") from None
    except BadSignature:
        raise LinkError("This link is not valid.") from None
    reminder = db.session.get(VerificationReminder, str(data.get("r", "")))
    if reminder is None:
        raise LinkError("This link is not valid.")
    organization = db.session.get(Organization, reminder.organization_id)
    services = list(
        db.session.scalars(
            select(Service)
            .where(Service.id.in_(list(data.get("s", []))))
            .where(Service.organization_id == reminder.organization_id)
            .order_by(Service.name)
        )
    )
    if organization is None or not services:
        raise LinkError("The listings in this link no longer exist.")
    return ConfirmLink(reminder, organization, services)


def confirm_listings(link: ConfirmLink, now: datetime) -> int:
    """Record "checked, still accurate" like any verification; no user signed in, so the
    verifier is left empty (verify_service needs a user)."""
    ids = [s.id for s in link.services]
    db.session.execute(
        update(Service)
        .where(Service.id.in_(ids))
        .values(last_verified_at=now, verified_by_id=None, updated_at=Service.updated_at)
        .execution_options(synchronize_session=False)
    )
    link.reminder.confirmed_at = now
    db.session.flush()
    return len(ids)


def stale_listings(now: datetime) -> dict[str, list[tuple[str, str]]]:
    """organization id -> [(service id, name)] for active services overdue for a check."""
    verify_before, stale_before = stale_limits(now)
    rows = db.session.execute(
        select(Service.organization_id, Service.id, Service.name)
        .where(
            Service.status == ServiceStatus.ACTIVE,
            or_(
                Service.last_verified_at.is_(None),
                Service.last_verified_at < verify_before,
                stale_capacity_count(stale_before) > 0,
            ),
        )
        .order_by(Service.organization_id, Service.name)
    )
    result: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for org_id, service_id, name in rows:
        result[org_id].append((service_id, name))
    return dict(result)


def _contacts(org_ids: list[str]) -> dict[str, set[str]]:
    """e-mail (lower case) -> organization ids: active provider staff, and the org's own e-mail."""
    contacts: dict[str, set[str]] = defaultdict(set)
    staff = db.session.execute(
        select(func.lower(User.email), organization_membership.c.organization_id)
        .join(organization_membership, organization_membership.c.user_id == User.id)
        .where(
            organization_membership.c.organization_id.in_(org_ids),
            User.role == Role.PROVIDER,
            User.active.is_(True),
        )
    )
    for email, org_id in staff:
        contacts[email].add(org_id)
    for org_id, email in db.session.execute(
        select(Organization.id, func.lower(Organization.email)).where(
            Organization.id.in_(org_ids), Organization.email.is_not(None), Organization.email != ""
        )
    ):
        contacts[email].add(org_id)
    return contacts


def send_reminders(now: datetime | None = None) -> int:
    """Queue one e-mail per contact with stale listings; returns how many were queued."""
    now = now or utcnow()
    stale = stale_listings(now)
    if not stale:
        return 0
    since = now - timedelta(days=int(current_app.config.get("VERIFY_REMINDER_DAYS", 30)))
    recent = set(
        db.session.scalars(
            select(func.lower(VerificationReminder.email)).where(
                VerificationReminder.sent_at >= since
            )
        )
    )
    names = dict(db.session.execute(select(Organization.id, Organization.name)).all())
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    days = max(1, int(current_app.config.get("VERIFY_LINK_MAX_AGE", 14 * 24 * 3600)) // 86400)
    queued = 0
    for email, org_ids in sorted(_contacts(list(stale)).items()):
        if email in recent:
            continue
        parts = []
        for org_id in sorted(org_ids, key=lambda i: names.get(i, "")):
            reminder = VerificationReminder(email=email, organization_id=org_id, sent_at=now)
            db.session.add(reminder)
            db.session.flush()
            services = stale[org_id]
            token = make_token(reminder, [sid for sid, _ in services])
            lines = "\n".join(f"  - {name}" for _, name in services)
            parts.append(
                f"{names.get(org_id, 'Your organization')}:\n{lines}\n"
                f"Confirm they are still accurate, or open them to edit:\n"
                f"  {base}/reports/confirm/{token}\n"
            )
        body = (
            "Hello,\n\nThese Partners listings have not been checked for a while. People leaving "
            "prison or jail rely on them being right.\n\n"
            + "\n".join(parts)
            + f"\nThe link works without a password for {days} days.\n"
        )
        queue_email(email, "Please check your Partners listings", body, kind="verify_reminder")
        queued += 1
    return queued
