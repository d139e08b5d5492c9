"""When the person gets a text: their card's link, the day before an intake, and the answers
to their referrals. Each queues through app.sms.outbox, which does nothing without live consent.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from app.clock import local_midnight, local_today
from app.extensions import db
from app.public.cards import newest_active_card
from app.referrals.notifications import absolute
from app.referrals.workflow import Action
from app.sms.outbox import queue_text
from app.sms.wording import language_of, text, when_text

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.plans.models import PlanItem
    from app.public.models import DischargeCard
    from app.referrals.models import Client, Referral
    from app.sms.models import SmsMessage

REFERRAL_NEWS = {
    Action.ACCEPT: "accepted",
    Action.WAITLIST: "waitlisted",
    Action.DECLINE: "declined",
}


def card_link(card: DischargeCard) -> str:
    return absolute(f"/card/{card.code}")


def text_card(client: Client, card: DischargeCard, actor: User | None) -> SmsMessage | None:
    """The card's link (the card itself is safe to lose: no name, offense or facility)."""
    language = language_of(client.preferred_language)
    body = text("card", language, link=card_link(card))
    return queue_text(client, "card", body, actor=actor)


def referral_answered(referral: Referral, action: Action) -> SmsMessage | None:
    """Accepted, waitlisted or declined, in plain words; never the service or the reason."""
    kind = REFERRAL_NEWS.get(action)
    if kind is None:
        return None
    client = referral.client
    body = text(kind, language_of(client.preferred_language))
    return queue_text(client, f"referral.{kind}", body)


def plan_step_arranged(item: PlanItem) -> SmsMessage | None:
    """A step of the person's plan was arranged by staff (never which one: the card says it;
    steps the person never sees, like registration, send nothing)."""
    from app.plans.person_view import HIDDEN_KINDS

    if item.kind in HIDDEN_KINDS:
        return None
    client = item.plan.client
    language = language_of(client.preferred_language)
    card = newest_active_card(client)
    if card is None:
        body = text("arranged_no_card", language)
    else:
        body = text("arranged", language, link=card_link(card))
    return queue_text(client, "plan.arranged", body, once_key=f"arranged:{item.id}")


def _intake_body(client: Client, intake_at: datetime) -> str:
    language = language_of(client.preferred_language)
    when = when_text(intake_at, language)
    card = newest_active_card(client)
    if card is None:
        return text("intake_no_card", language, when=when)
    return text("intake", language, when=when, link=card_link(card))


def intake_reminders(today: date | None = None) -> int:
    """Once per intake: a text the (network-local) day before the intake of an accepted
    referral, whether or not a release plan tracks it; when plan items do track the referral,
    only while one of them is still arranged (a counselor who moved the step back has a
    reason). Run hourly through the day (the schedule: 10 am to 8 pm), so an intake arranged
    after the first run still gets its reminder; running it again queues nothing more
    (once_key)."""
    from app.plans.models import PlanItem
    from app.plans.vocabulary import ItemStatus
    from app.referrals.models import Referral
    from app.referrals.vocabulary import ReferralStatus

    today = today or local_today()
    tomorrow = today + timedelta(days=1)
    start, end = local_midnight(tomorrow), local_midnight(tomorrow + timedelta(days=1))
    tracked = select(PlanItem.id).where(PlanItem.referral_id == Referral.id)
    arranged = tracked.where(PlanItem.status == ItemStatus.ARRANGED)
    referrals = db.session.scalars(
        select(Referral)
        .options(selectinload(Referral.client))
        .where(
            Referral.intake_at >= start,
            Referral.intake_at < end,
            or_(
                arranged.exists(),
                and_(~tracked.exists(), Referral.status == ReferralStatus.ACCEPTED),
            ),
        )
        .order_by(Referral.intake_at, Referral.id)
    ).all()
    queued = 0
    for referral in referrals:
        client = referral.client
        key = f"intake:{referral.id}:{tomorrow.isoformat()}"
        if queue_text(client, "intake", _intake_body(client, referral.intake_at), once_key=key):
            queued += 1
    return queued
