"""Who may see and change a release plan: the client's care team and administrators, exactly as
for the client record itself. Providers, analysts and counselors off the team: refused."""

from __future__ import annotations

from typing import Any

from app.referrals import permissions as rp


def client_of(obj: Any) -> Any:
    """The client a plan object belongs to (a client, a plan or a plan item)."""
    from app.plans.models import PlanItem, ReleasePlan

    if isinstance(obj, ReleasePlan):
        return obj.client
    if isinstance(obj, PlanItem):
        return obj.plan.client
    return obj


def can_view_plan(user: Any, obj: Any) -> bool:
    return rp.can_view_client(user, None if obj is None else client_of(obj))


def can_edit_plan(user: Any, obj: Any) -> bool:
    return rp.can_edit_client(user, None if obj is None else client_of(obj))


def can_view_caseload(user: Any, obj: Any) -> bool:
    """My caseload: counselors (their own teams) and administrators (everyone, as on the
    client list). Providers and analysts have no caseload."""
    from app.accounts.models import Role

    return user.role in (Role.COUNSELOR, Role.ADMIN)
