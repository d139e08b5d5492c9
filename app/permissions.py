"""One place decides who may do what: `can(user, action, obj)`.

Views declare their permission with `@requires(action)`; object-level checks call
`authorize(action, obj)` after loading the object. Templates call the same `can`.
Leaving obj out asks the role-level question ("could this user ever do this?"), which
`@requires` asks before the view runs; rules receive obj=None for it. Passing obj=None
explicitly means "an object whose owner is unknown" (a card with no client link, say): that
is denied to everyone but administrators, whatever the rule would say about the role.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from app.accounts.models import Role
from app.plans import permissions as plans_p
from app.referrals import permissions as rp

PUBLIC = "public"

Rule = Callable[[Any, Any], bool]


class _RoleLevel:
    """Marker for "no object given": the role-level question."""

    def __repr__(self) -> str:
        return "ROLE_LEVEL"


ROLE_LEVEL: Any = _RoleLevel()


def organization_id_of(obj: Any) -> str | None:
    """The organization that owns a catalog object (organization, service, location, capacity)."""
    from app.directory.models import Location, Organization, Service, ServiceCapacity

    if isinstance(obj, Organization):
        return obj.id
    if isinstance(obj, Service | Location):
        return obj.organization_id
    if isinstance(obj, ServiceCapacity):
        return obj.service.organization_id
    return None


def _is(*roles: Role) -> Rule:
    return lambda user, obj: user.role in roles


def _staff(user: Any, obj: Any) -> bool:
    return True


def _admin_or_member(user: Any, obj: Any) -> bool:
    """Admins everywhere; provider staff only for their own organizations."""
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.PROVIDER:
        return False
    if obj is None:
        return bool(user.organizations)
    return organization_id_of(obj) in user.organization_ids


def _capacity_history(user: Any, obj: Any) -> bool:
    """Who changed a figure and when (staff names): the owning organization's staff, admins,
    and counselors who place people there; never another provider."""
    return user.role == Role.COUNSELOR or _admin_or_member(user, obj)


RULES: dict[str, Rule] = {
    "account.self": _staff,
    "directory.browse": _staff,
    "service.view": _staff,
    "organization.view": _staff,
    "organization.create": _is(Role.ADMIN),
    "organization.edit": _admin_or_member,
    "service.create": _admin_or_member,
    "service.edit": _admin_or_member,
    "service.verify": _admin_or_member,
    "capacity.update": _admin_or_member,
    "capacity.history": _capacity_history,
    "location.edit": _admin_or_member,
    "site_visit.view": _is(Role.ADMIN, Role.COUNSELOR),
    "site_visit.create": _is(Role.ADMIN, Role.COUNSELOR),
    # Who really accepts (app.referrals.acceptance): never providers, never public.
    "acceptance.view": _is(Role.ADMIN, Role.COUNSELOR),
    # Registry residency limits: verdicts for counselors and admins; sites and rules: admins.
    "residency.view": _is(Role.ADMIN, Role.COUNSELOR),
    "residency.manage": _is(Role.ADMIN),
    "user.manage": _is(Role.ADMIN),
    # Uploading HSDS data replaces catalog records network-wide; merging duplicates removes one.
    "hsds.import": _is(Role.ADMIN),
    "duplicate.review": _is(Role.ADMIN),
    # Aggregates only: network measures are for administrators and analysts.
    "reports.view": _is(Role.ADMIN, Role.ANALYST),
    # Clients and referrals: predicates in app.referrals.permissions.
    "client.create": rp.can_create_client,
    "client.view": rp.can_view_client,
    "client.edit": rp.can_edit_client,
    "team.manage": rp.can_manage_team,
    "consent.manage": rp.can_manage_consent,
    "referral.create": rp.can_create_referral,
    "referral.view": rp.can_view_referral,
    "referral.respond": rp.can_respond_to_referral,
    "referral.cancel": rp.can_cancel_referral,
    "inbox.view": rp.can_view_inbox,
    "audit.view": rp.can_view_audit,
    "notifications.view": rp.can_view_notifications,
    "token.manage": rp.can_manage_token,
    # Release plans: the client's care team and admins (app.plans.permissions).
    "plan.view": plans_p.can_view_plan,
    "plan.edit": plans_p.can_edit_plan,
    "caseload.view": plans_p.can_view_caseload,
    # Read-only, item by item: also provider staff for the items their referrals serve.
    "plan.item.view": plans_p.can_view_plan_item,
}


def can(user: Any, action: str, obj: Any = ROLE_LEVEL) -> bool:
    """May `user` do `action` (on `obj`)? Deny by default when obj is None: owner unknown."""
    if action == PUBLIC:
        return True
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    rule = RULES.get(action)
    if rule is None:
        raise KeyError(f"unknown permission {action!r}")
    if obj is ROLE_LEVEL:
        return rule(user, None)
    if obj is None:
        return user.role == Role.ADMIN
    return rule(user, obj)


def authorize(action: str, obj: Any = ROLE_LEVEL) -> None:
    """Abort with 403 unless the current user may do `action` on `obj` (see `can`)."""
    if not can(current_user, action, obj):
        abort(403)


def requires(action: str) -> Callable:
    """Declare a route's permission. Anonymous users go to login; others get 403."""
    if action != PUBLIC and action not in RULES:
        raise KeyError(f"unknown permission {action!r}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if action != PUBLIC:
                if not current_user.is_authenticated:
                    from app.extensions import login_manager

                    return login_manager.unauthorized()
                authorize(action)
            return view(*args, **kwargs)

        wrapped.permission = action  # type: ignore[attr-defined]
        return wrapped

    return decorator
