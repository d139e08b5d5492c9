"""Named predicates for clients and referrals; app.permissions.RULES maps actions onto them.

Each rule gets obj=None for the role-level question ("could this user ever do this?") that
@requires asks before a view runs, and the loaded object for the object-level check.
"""

from __future__ import annotations

from typing import Any

from app.accounts.models import Role
from app.referrals.workflow import Side


def _admin(user: Any) -> bool:
    return user.role == Role.ADMIN


def _client_of(obj: Any) -> Any:
    """The client an object belongs to (a client, a referral, a consent or a team member)."""
    from app.referrals.models import CareTeamMember, Client, Consent, Referral

    if isinstance(obj, Client):
        return obj
    if isinstance(obj, Referral | Consent | CareTeamMember):
        return obj.client
    return None


def team_membership(user: Any, client: Any) -> Any:
    """The user's CareTeamMember row on this client's team, or None."""
    if client is None or user is None:
        return None
    return next((m for m in client.team if m.user_id == user.id), None)


def is_team_member(user: Any, obj: Any) -> bool:
    """Counselors on the client's care team (the team sees the client and all its referrals)."""
    return user.role == Role.COUNSELOR and team_membership(user, _client_of(obj)) is not None


def is_coordinator(user: Any, obj: Any) -> bool:
    member = team_membership(user, _client_of(obj))
    return user.role == Role.COUNSELOR and member is not None and member.is_coordinator


def is_provider_staff_of(user: Any, referral: Any) -> bool:
    return user.role == Role.PROVIDER and referral.organization_id in user.organization_ids


def sides_of(user: Any, referral: Any) -> set[Side]:
    """What the user is to this referral: the provider, the referring team, both (admin) or none.

    A deactivated account is nothing to any referral (an old API token must not act).
    """
    if not user.active:
        return set()
    if _admin(user):
        return {Side.PROVIDER, Side.REFERRER}
    sides = set()
    if is_provider_staff_of(user, referral):
        sides.add(Side.PROVIDER)
    if is_team_member(user, referral):
        sides.add(Side.REFERRER)
    return sides


# --- rules (user, obj) -> bool ------------------------------------------------------------------


def _counselor_or_admin(user: Any) -> bool:
    return user.role in (Role.COUNSELOR, Role.ADMIN)


def can_create_client(user: Any, obj: Any) -> bool:
    return _counselor_or_admin(user)


def can_view_client(user: Any, obj: Any) -> bool:
    if obj is None:
        return _counselor_or_admin(user)
    return _admin(user) or is_team_member(user, obj)


def can_edit_client(user: Any, obj: Any) -> bool:
    return can_view_client(user, obj)


def can_manage_team(user: Any, obj: Any) -> bool:
    if obj is None:
        return _counselor_or_admin(user)
    return _admin(user) or is_coordinator(user, obj)


def can_manage_consent(user: Any, obj: Any) -> bool:
    return can_view_client(user, obj)


def can_create_referral(user: Any, obj: Any) -> bool:
    if obj is None:
        return _counselor_or_admin(user)
    return _admin(user) or is_team_member(user, obj)


def can_view_referral(user: Any, obj: Any) -> bool:
    if obj is None:
        return user.role in (Role.COUNSELOR, Role.ADMIN, Role.PROVIDER)
    return _admin(user) or is_provider_staff_of(user, obj) or is_team_member(user, obj)


def can_respond_to_referral(user: Any, obj: Any) -> bool:
    if obj is None:
        return user.role in (Role.PROVIDER, Role.ADMIN)
    return _admin(user) or is_provider_staff_of(user, obj)


def can_cancel_referral(user: Any, obj: Any) -> bool:
    if obj is None:
        return _counselor_or_admin(user)
    return _admin(user) or is_team_member(user, obj)


def can_view_inbox(user: Any, obj: Any) -> bool:
    return user.role in (Role.PROVIDER, Role.COUNSELOR, Role.ADMIN)


def can_view_audit(user: Any, obj: Any) -> bool:
    return _admin(user)


def can_view_notifications(user: Any, obj: Any) -> bool:
    return obj is None or getattr(obj, "user_id", None) == user.id


def can_manage_token(user: Any, obj: Any) -> bool:
    """Any staff member manages their own tokens (never someone else's)."""
    return obj is None or getattr(obj, "user_id", None) == user.id
