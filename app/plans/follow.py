"""An item served by a referral follows it: when the provider answers or reports an outcome,
the plan says so without the counselor re-typing it.

Called by the referral workflow's one transition function (app.referrals.steps.transition), so
pages, the API and jobs all move the item the same way. Items without a referral are set by
hand only; an item the team marked "not needed" or "could not arrange" keeps that decision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.audit.services import record as audit
from app.clock import utcnow
from app.extensions import db
from app.plans.models import PlanItem
from app.plans.services import StalePlanItem
from app.plans.vocabulary import ItemStatus
from app.referrals.vocabulary import ReferralStatus

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.referrals.models import Referral

# Where the item goes when its referral reaches a status. Sent and opened are absent: sending
# the referral already put the item "in progress", and opening it changes nothing for the plan.
FOLLOWS: dict[ReferralStatus, ItemStatus] = {
    ReferralStatus.ACCEPTED: ItemStatus.ARRANGED,
    ReferralStatus.ENROLLED: ItemStatus.ARRANGED,
    ReferralStatus.COMPLETED: ItemStatus.ARRANGED,
    ReferralStatus.WAITLISTED: ItemStatus.IN_PROGRESS,
    ReferralStatus.DECLINED: ItemStatus.TO_DO,
    ReferralStatus.NOT_ENROLLED: ItemStatus.TO_DO,
    ReferralStatus.CANCELLED: ItemStatus.TO_DO,
    ReferralStatus.ENTERED_IN_ERROR: ItemStatus.TO_DO,
}

# The team's own decisions: a referral never overrides them.
DECIDED_BY_HAND = frozenset({ItemStatus.NOT_NEEDED, ItemStatus.COULD_NOT_ARRANGE})

# A referral's status as the plan page says it (staff words; the card page has its own).
REFERRAL_STATUS_WORDS: dict[ReferralStatus, str] = {
    ReferralStatus.SENT: "Sent, waiting for an answer",
    ReferralStatus.RECEIVED: "Opened by the provider, waiting for an answer",
    ReferralStatus.ACCEPTED: "Accepted",
    ReferralStatus.WAITLISTED: "On the waitlist",
    ReferralStatus.DECLINED: "Declined",
    ReferralStatus.ENROLLED: "Enrolled",
    ReferralStatus.COMPLETED: "Completed",
    ReferralStatus.NOT_ENROLLED: "Ended without enrollment",
    ReferralStatus.CANCELLED: "Cancelled",
    ReferralStatus.ENTERED_IN_ERROR: "Entered in error",
}

FOLLOW_STALE_MESSAGE = (
    "The plan item this referral serves changed at the same moment; nothing was saved. "
    "Reload the referral and try again."
)


def referral_changed(referral: Referral, actor: User) -> list[PlanItem]:
    """Move every item this referral serves to where its new status puts it; returns the items
    that moved. Flushes (the item's version goes up, so a form opened before is refused)."""
    target = FOLLOWS.get(referral.status)
    if target is None:
        return []
    items = db.session.scalars(select(PlanItem).where(PlanItem.referral_id == referral.id)).all()
    moved: list[tuple[PlanItem, ItemStatus]] = []
    for item in items:
        if item.status in DECIDED_BY_HAND or item.status == target:
            continue
        moved.append((item, item.status))
        item.status = target
        item.arranged_at = utcnow() if target == ItemStatus.ARRANGED else None
        item.updated_by_id = actor.id
    if not moved:
        return []
    try:
        db.session.flush()  # UPDATE ... WHERE version = ?: an edit at the same moment raises
    except StaleDataError:
        raise StalePlanItem(FOLLOW_STALE_MESSAGE) from None
    for item, before in moved:
        audit(
            "plan.item.follow",
            item,
            actor,
            client_id=referral.client_id,
            details={
                "referral_id": referral.id,
                "referral_status": referral.status.value,
                "from": before.value,
                "to": target.value,
                "kind": item.kind.value,
            },
        )
    db.session.flush()
    return [item for item, _ in moved]
