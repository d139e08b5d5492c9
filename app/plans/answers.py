"""The person's own word on a plan item, given on their card page: "I went", "I could not go",
"I need help with this".

One answer per item per local day: the (item_id, answered_on) unique constraint decides, so
two answers posted at the same moment store one and the other hears "You already told us
today". The coordinator is told in the app and by e-mail, naming only the kind of item and the
answer, never the person; the audit entry holds codes only. Flushes, never commits.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit.services import record as audit
from app.clock import local_today, utcnow
from app.domain_errors import Conflict, DomainError, Invalid
from app.extensions import db
from app.notify.services import email_users, notify_users
from app.plans.models import PlanAnswer, PlanItem, ReleasePlan
from app.plans.person_view import is_answerable
from app.plans.vocabulary import PersonAnswer

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.public.models import DischargeCard

ALREADY_TODAY = "You already told us today"

# How the coordinator reads each answer (staff English, no personal data).
TOLD = {
    PersonAnswer.WENT: "went ({kind})",
    PersonAnswer.COULD_NOT_GO: "could not go ({kind})",
    PersonAnswer.NEED_HELP: "needs help with {kind}",
}
FOOTER = (
    "\n\nSign in to Partners to see the plan. "
    "This message contains no personal information on purpose.\n"
)


class NotOnThisCard(DomainError):
    """The item is not on the plan of the card's person (answered as "not found")."""

    status = 404


class AlreadyAnswered(Conflict):
    """This item already has the person's answer for today."""


class NotAnswerable(Conflict):
    """The item is not open for answers (not needed, could not arrange, hidden)."""


def item_on_card(card: DischargeCard, item_id: str) -> PlanItem | None:
    """The item, if it is on the plan of the person this card was made for."""
    if card.client_id is None:
        return None
    return db.session.scalar(
        select(PlanItem)
        .join(ReleasePlan, PlanItem.plan_id == ReleasePlan.id)
        .where(PlanItem.id == item_id, ReleasePlan.client_id == card.client_id)
    )


def coordinator_of(plan: ReleasePlan) -> User | None:
    """Who hears the person's answers: the plan's coordinator, else the team's primary one."""
    if plan.coordinator is not None and plan.coordinator.active:
        return plan.coordinator
    return next((m.user for m in plan.client.team if m.is_coordinator and m.user.active), None)


def plan_path(plan: ReleasePlan) -> str:
    return f"/referrals/clients/{plan.client_id}/plan"


def _tell_coordinator(item: PlanItem, answer: PersonAnswer) -> None:
    from flask import current_app

    coordinator = coordinator_of(item.plan)
    if coordinator is None:
        return
    told = TOLD[answer].format(kind=item.kind.label)
    text = f"The person you coordinate answered on their card: {told}"
    link = plan_path(item.plan)
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    notify_users([coordinator], "plan.answer", text, f"{link}#item-{item.id}")
    email_users(
        [coordinator], text, f"{text}.\n\nOpen the plan: {base}{link}{FOOTER}", "plan.answer"
    )


def record_answer(
    card: DischargeCard,
    item: PlanItem,
    answer: PersonAnswer | str,
    *,
    today: date | None = None,
    now: datetime | None = None,
) -> PlanAnswer:
    """Keep the person's answer for today and tell the coordinator."""
    from app.public.cards import is_active

    now = now or utcnow()
    if not is_active(card, now) or item_on_card(card, item.id) is None:
        raise NotOnThisCard("This card or item was not found.")
    try:
        answer = PersonAnswer(answer)
    except ValueError:
        raise Invalid("Choose one of the three answers.", "answer") from None
    if not is_answerable(item):
        raise NotAnswerable("This step is not open for answers.")
    today = today or local_today(now)
    stored = PlanAnswer(
        item_id=item.id, answer=answer, answered_on=today, answered_at=now, card_id=card.id
    )
    try:
        with db.session.begin_nested():  # a rival answer for today makes this insert fail
            db.session.add(stored)
    except IntegrityError:
        raise AlreadyAnswered(ALREADY_TODAY) from None
    audit(
        "plan.answer",
        stored,
        None,
        client_id=item.plan.client_id,
        details={"answer": answer.value, "kind": item.kind.value, "item_id": item.id},
        at=now,
    )
    _tell_coordinator(item, answer)
    db.session.flush()
    return stored
