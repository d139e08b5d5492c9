"""Referring from a plan item: the referral is sent with the existing sending service and the
item then says which referral serves it.

Consent can be recorded in the same step (the short consent on the referral form, for the
service's organization only), so a counselor sends in one submit; if anything is refused, the
request rolls back and neither the consent nor the referral is kept. Services flush, the request
commits (app.unit_of_work). How an item follows its referral's later answers is another rule.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy.orm.exc import StaleDataError

from app.audit.services import record as audit
from app.clock import local_today
from app.domain_errors import Conflict, NotPermitted
from app.extensions import db
from app.permissions import can
from app.plans.models import PlanItem
from app.plans.services import STALE_MESSAGE, StalePlanItem
from app.plans.vocabulary import ItemStatus
from app.referrals.consent import record_consent
from app.referrals.data import ConsentData, ReferralData
from app.referrals.sending import send_referral

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.directory.models import Service
    from app.referrals.models import Referral


class ItemClosed(Conflict):
    """The item is arranged, not needed or could not be arranged: nothing to refer for."""


def _require_open(item: PlanItem) -> None:
    if not item.status.is_open:
        raise ItemClosed(
            f"This item is “{item.status.label.lower()}”. Set it back to “to do” on the plan "
            "before referring for it."
        )


def link_referral(item: PlanItem, referral: Referral, actor: User) -> PlanItem:
    """The item is served by this referral now; a "to do" item becomes "in progress"."""
    if not can(actor, "plan.edit", item):
        raise NotPermitted("You may not change this person's release plan.")
    if referral.client_id != item.plan.client_id:
        raise Conflict("This referral is for someone else.")
    _require_open(item)
    item.referral_id = referral.id
    if item.status == ItemStatus.TO_DO:
        item.status = ItemStatus.IN_PROGRESS
    item.updated_by_id = actor.id
    try:
        db.session.flush()
    except StaleDataError:
        raise StalePlanItem(STALE_MESSAGE) from None
    audit(
        "plan.item.referral",
        item,
        actor,
        client_id=item.plan.client_id,
        details={
            "referral_id": referral.id,
            "status": item.status.value,
            "kind": item.kind.value,
        },
    )
    db.session.flush()
    return item


def refer_for_item(
    item: PlanItem,
    service: Service,
    data: ReferralData,
    actor: User,
    *,
    new_consent: ConsentData | None = None,
    today: date | None = None,
) -> Referral:
    """Record the short consent when one is given (always with the service's organization),
    send the referral, and link the item to it."""
    if not can(actor, "plan.edit", item):
        raise NotPermitted("You may not change this person's release plan.")
    _require_open(item)
    client = item.plan.client
    today = today or local_today()
    if new_consent is not None:
        consent = replace(new_consent, organization_id=service.organization_id, need_area_code=None)
        record_consent(client, consent, actor)
        db.session.expire(client, ["consents"])  # send_referral reads the new one
    referral = send_referral(client, replace(data, service_id=service.id), actor, today=today)
    link_referral(item, referral, actor)
    return referral
