"""The plan as the person sees it: on their card page and on the copy printed for them.

Plain dataclasses in the current language, built only from the item kind and status, the
catalog (service, address, phones, required documents) and the linked referral's status, intake
time and "what to bring". Never the person's name, birth date, offense, facility or inmate
number, and never what staff typed about them (notes, reasons, decline reasons): the card page
is public to whoever holds the code. Free-text item titles are staff words too, so the card page
says "Another step in your plan"; only the printed copy (handed to the person) shows them.
Registration items are never shown: their name alone says what the person was convicted of.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.clock import local_date, local_time, local_today
from app.extensions import db
from app.plans.models import PlanAnswer, PlanItem, ReleasePlan
from app.plans.vocabulary import ItemKind, ItemStatus, PersonAnswer
from app.public.listing import (
    PhoneView,
    PlaceView,
    clock,
    locale_code,
    long_day,
    phone_views,
    place_view,
    translations_for,
)
from app.public.wording import bring_items, pick
from app.referrals.vocabulary import ReferralStatus

if TYPE_CHECKING:
    from app.public.models import DischargeCard, ServiceTranslation

ARRANGED, PENDING, COULD_NOT = "arranged", "pending", "could_not_arrange"

# What each kind is called to the person (the staff labels are in app.plans.vocabulary).
PERSON_TITLES = {
    ItemKind.DISCHARGE_FUNDS: _l("Money for your release day"),
    ItemKind.TRANSPORTATION: _l("A ride on your release day"),
    ItemKind.CLOTHING: _l("Clothes for your release"),
    ItemKind.ID_DOCUMENTS: _l("ID and important papers"),
    ItemKind.HOUSING: _l("A place to live"),
    ItemKind.EMPLOYMENT: _l("Work and job training"),
    ItemKind.TREATMENT: _l("Treatment and medicine"),
    ItemKind.BENEFITS: _l("Benefits: food, health insurance, income"),
    ItemKind.MENTORING: _l("A mentor or peer support"),
    ItemKind.FAMILY: _l("Family"),
    ItemKind.OTHER: _l("Another step in your plan"),
}
HIDDEN_KINDS = frozenset({ItemKind.REGISTRATION})

ANSWER_WORDS = {
    PersonAnswer.WENT: _l("I went"),
    PersonAnswer.COULD_NOT_GO: _l("I could not go"),
    PersonAnswer.NEED_HELP: _l("I need help with this"),
}

# A referral's status in plain words; cancelled ones are not shown at all.
REFERRAL_WORDS = {
    ReferralStatus.SENT: _l("Waiting for their answer"),
    ReferralStatus.RECEIVED: _l("Waiting for their answer"),
    ReferralStatus.ACCEPTED: _l("They said yes"),
    ReferralStatus.WAITLISTED: _l("On the waiting list"),
    ReferralStatus.ENROLLED: _l("You are signed up"),
    ReferralStatus.COMPLETED: _l("Finished"),
    ReferralStatus.DECLINED: _l(
        "They could not take you. Your counselor is looking for another place."
    ),
    ReferralStatus.NOT_ENROLLED: _l(
        "This did not work out. Your counselor can help you find another place."
    ),
}
LIVE_REFERRAL = (ReferralStatus.ACCEPTED, ReferralStatus.ENROLLED)
ANSWERABLE = (ItemStatus.ARRANGED, ItemStatus.TO_DO, ItemStatus.IN_PROGRESS)


@dataclass
class PersonItem:
    id: str
    title: str
    state: str  # ARRANGED, PENDING or COULD_NOT
    service: str | None = None
    organization: str | None = None
    place: PlaceView | None = None
    phones: list[PhoneView] = field(default_factory=list)
    when: str | None = None
    bring: list[str] = field(default_factory=list)
    referral_status: str | None = None
    last_answer: str | None = None  # "You told us on Dec 6: I went"
    answered_today: bool = False
    can_answer: bool = False


@dataclass
class PersonPlan:
    arranged: list[PersonItem] = field(default_factory=list)
    pending: list[PersonItem] = field(default_factory=list)
    could_not: list[PersonItem] = field(default_factory=list)

    @property
    def items(self) -> list[PersonItem]:
        return [*self.arranged, *self.pending, *self.could_not]

    def __bool__(self) -> bool:
        return bool(self.items)


def referral_words(status: ReferralStatus | str) -> str | None:
    """A referral's status as the person reads it (None: not worth showing)."""
    words = REFERRAL_WORDS.get(ReferralStatus(status))
    return str(words) if words is not None else None


def answer_words(answer: PersonAnswer | str) -> str:
    return str(ANSWER_WORDS[PersonAnswer(answer)])


def answer_choices() -> list[tuple[str, str]]:
    """(value, words) of the three answers, in the page's language."""
    return [(answer.value, str(words)) for answer, words in ANSWER_WORDS.items()]


def is_shown(item: PlanItem) -> bool:
    return item.kind not in HIDDEN_KINDS and item.status != ItemStatus.NOT_NEEDED


def is_answerable(item: PlanItem) -> bool:
    """The person can say "I went" / "I could not go" / "I need help" about this item."""
    return item.kind not in HIDDEN_KINDS and item.status in ANSWERABLE


def _state(status: ItemStatus) -> str:
    if status == ItemStatus.ARRANGED:
        return ARRANGED
    if status == ItemStatus.COULD_NOT_ARRANGE:
        return COULD_NOT
    return PENDING


def _bring(item: PlanItem, tr: ServiceTranslation | None, language: str) -> list[str]:
    """The service's list (in the page's language where the provider gave it), then what the
    referral asked for."""
    referral = item.referral
    english = [doc.document for doc in referral.service.required_documents]
    lines: list[str] = list(bring_items(tr, english, language))
    if referral.status in LIVE_REFERRAL and referral.what_to_bring:
        lines += [line.strip(" -•\t") for line in referral.what_to_bring.splitlines()]
    return list(dict.fromkeys(line for line in lines if line))


def _add_referral(
    view: PersonItem, item: PlanItem, trs: dict[str, ServiceTranslation], language: str
) -> None:
    """Where, when and what to bring, from the referral that serves the item."""
    referral = item.referral
    if referral is None or REFERRAL_WORDS.get(referral.status) is None:
        return
    service = referral.service
    location = referral.location or (service.locations[0] if service.locations else None)
    tr = trs.get(service.id)
    view.service = pick(tr, "name", service.name, language) or service.name
    view.organization = service.organization.name
    view.place = place_view(location) if location is not None else None
    view.phones = phone_views(service, location)
    view.referral_status = referral_words(referral.status)
    view.bring = _bring(item, tr, language)
    if referral.status in LIVE_REFERRAL and referral.intake_at is not None:
        moment = local_time(referral.intake_at)
        view.when = _("%(day)s at %(time)s", day=long_day(moment.date()), time=clock(moment.time()))


def _last_answer(answers: list[PlanAnswer]) -> str | None:
    if not answers:
        return None
    last = max(answers, key=lambda a: a.answered_at)
    return _(
        "You told us on %(date)s: %(answer)s",
        date=long_day(local_date(last.answered_at)),
        answer=answer_words(last.answer),
    )


def person_title(item: PlanItem, *, with_titles: bool = False) -> str:
    """The item's name for the person: plain words for its kind; a free-text title only where
    it is handed to them (the printed copy), never on the public card page."""
    if with_titles and item.kind == ItemKind.OTHER:
        return item.title
    return str(PERSON_TITLES.get(item.kind, PERSON_TITLES[ItemKind.OTHER]))


def item_view(
    item: PlanItem,
    today: date,
    trs: dict[str, ServiceTranslation],
    *,
    with_titles: bool = False,
) -> PersonItem:
    title = person_title(item, with_titles=with_titles)
    view = PersonItem(id=item.id, title=title, state=_state(item.status))
    _add_referral(view, item, trs, locale_code())
    view.last_answer = _last_answer(item.answers)
    view.answered_today = any(a.answered_on == today for a in item.answers)
    view.can_answer = is_answerable(item)
    return view


def person_plan(
    plan: ReleasePlan, today: date | None = None, *, with_titles: bool = False
) -> PersonPlan:
    """The shown items grouped: arranged, being worked on, could not be arranged."""
    today = today or local_today()
    shown = sorted((i for i in plan.items if is_shown(i)), key=lambda i: i.position)
    services = [i.referral.service_id for i in shown if i.referral is not None]
    trs = translations_for(services)
    out = PersonPlan()
    groups = {ARRANGED: out.arranged, PENDING: out.pending, COULD_NOT: out.could_not}
    for item in shown:
        view = item_view(item, today, trs, with_titles=with_titles)
        groups[view.state].append(view)
    return out


def plan_of_card(card: DischargeCard) -> ReleasePlan | None:
    """The plan of the person the card was made for (a card made for nobody has none)."""
    if card.client_id is None:
        return None
    return db.session.scalar(
        select(ReleasePlan)
        .where(ReleasePlan.client_id == card.client_id)
        .options(
            selectinload(ReleasePlan.items).selectinload(PlanItem.answers),
            selectinload(ReleasePlan.items).selectinload(PlanItem.referral),
        )
    )


def person_plan_for_card(card: DischargeCard, today: date | None = None) -> PersonPlan | None:
    """The plan of the card's person, as their card page shows it (None: no plan)."""
    plan = plan_of_card(card)
    return person_plan(plan, today) if plan is not None else None
