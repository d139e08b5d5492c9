"""Reading a plan from outside the care team's pages: who gets which part, and the audit of it.

The care team and admins read the whole plan. Provider staff read only the items their
organization's referrals serve, and they reach them with the person key the referral API gave
them (app.referrals.client_reference): the client id while that referral's consent shares
identity, else the referral's own opaque reference. So a provider never links two referrals
through the plan that the referral API keeps apart, and never sees the rest of the checklist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.accounts.models import Role
from app.audit.services import record as audit
from app.extensions import db
from app.permissions import can
from app.plans.models import PlanItem, ReleasePlan
from app.plans.services import plan_for
from app.referrals.client_reference import client_reference
from app.referrals.models import Client, Referral

if TYPE_CHECKING:
    from app.accounts.models import User

MAX_KEY = 36  # our ids and the opaque references are UUID strings


@dataclass
class PlanReading:
    """What one reader may see of one person's plan. `plan` is None when the person has none
    yet (only the care team learns that); `whole` is False for a provider's served items."""

    client: Client
    plan: ReleasePlan | None
    items: list[PlanItem]
    whole: bool


def served_items(user: User, key: str, today: date) -> list[PlanItem]:
    """The items this provider's referrals serve whose person key (as the referral API gives
    it to this user today) is `key`, in checklist order."""
    if user.role != Role.PROVIDER or not user.organization_ids:
        return []
    query = (
        select(PlanItem)
        .join(Referral, PlanItem.referral_id == Referral.id)
        .where(Referral.organization_id.in_(user.organization_ids))
    )
    if db.session.get(Client, key) is not None:  # else an opaque reference: look at them all
        query = query.join(ReleasePlan).where(ReleasePlan.client_id == key)
    items = db.session.scalars(query.order_by(PlanItem.plan_id, PlanItem.position)).all()
    return [
        item
        for item in items
        if can(user, "plan.item.view", item) and client_reference(item.referral, user, today) == key
    ]


def reading_for(user: User, key: str, today: date) -> PlanReading | None:
    """The plan as `user` may read it, or None when there is nothing they may see (unknown
    key, not their person, or a provider none of whose referrals serve an item)."""
    if not key or len(key) > MAX_KEY:
        return None
    client = db.session.get(Client, key)
    if client is not None and can(user, "plan.view", client):
        plan = plan_for(client)
        return PlanReading(client, plan, list(plan.items) if plan else [], whole=True)
    items = served_items(user, key, today)
    if not items:
        return None
    plan = items[0].plan
    return PlanReading(plan.client, plan, items, whole=False)


def record_plan_read(reading: PlanReading, actor: User, *, via: str) -> None:
    """A read of a plan is a read of the person's record: audited with ids only, never values
    (for a provider, which items they were shown)."""
    if reading.plan is None:
        return
    details: dict[str, object] = {"via": via, "whole": reading.whole}
    if not reading.whole:
        details["items"] = [item.id for item in reading.items]
    audit("plan.view", reading.plan, actor, client_id=reading.client.id, details=details)
    db.session.flush()
