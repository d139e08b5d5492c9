"""Who may see and change a release plan: the client's care team and administrators, exactly as
for the client record itself. Providers, analysts and counselors off the team: refused.

One exception, read-only: provider staff may read an item that one of their organization's
referrals serves (`plan.item.view`), never the rest of the plan and never to change it (the item
follows their referral).
"""

from __future__ import annotations

from typing import Any

from app.accounts.models import Role
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
    return user.role in (Role.COUNSELOR, Role.ADMIN)


def serves(user: Any, item: Any) -> bool:
    """Provider staff of the organization whose referral serves this item."""
    referral = getattr(item, "referral", None)
    return referral is not None and rp.is_provider_staff_of(user, referral)


def can_view_plan_item(user: Any, obj: Any) -> bool:
    """The whole plan's readers, plus provider staff for the items their referrals serve."""
    from app.plans.models import PlanItem

    if obj is None:
        return user.role in (Role.COUNSELOR, Role.ADMIN, Role.PROVIDER)
    if isinstance(obj, PlanItem) and serves(user, obj):
        return True
    return can_view_plan(user, obj)
