"""The two printed copies of a plan.

For the person: one page in their preferred language, handed to them, so it greets them by
first name (nothing else about them: no last name, birth date, offense, facility or inmate
number) and lists what was arranged (where, when, phone, what to bring), what is still being
worked on and how to see it again (their card's code). For staff: the whole checklist with
statuses, owners, due dates, notes, referrals, the person's answers and the team's contacts,
for counselors working inside a facility without internet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import force_locale

from app.clock import local_today
from app.i18n import LANGUAGES
from app.plans import services
from app.plans.person_view import PersonPlan, person_plan
from app.plans.vocabulary import OWNER_LABELS
from app.public.listing import long_date

if TYPE_CHECKING:
    from app.plans.models import PlanItem, ReleasePlan


@dataclass
class PersonCopy:
    first_name: str
    language: str
    plan: PersonPlan
    printed_on: str  # in the person's language
    card_code: str | None
    card_url: str | None


def person_language(plan: ReleasePlan) -> str:
    language = plan.client.preferred_language
    return language if language in LANGUAGES else "en"


def person_copy(plan: ReleasePlan, today: date | None = None) -> PersonCopy:
    """Built in the person's language (the caller renders it in the same language)."""
    from app.public.card_view import public_card_url
    from app.public.cards import cards_for_client, format_code, is_active

    card = next((c for c in cards_for_client(plan.client) if is_active(c)), None)
    language = person_language(plan)
    today = today or local_today()
    with force_locale(language):
        view = person_plan(plan, today, with_titles=True)
        printed_on = long_date(today)
    return PersonCopy(
        first_name=plan.client.first_name,
        language=language,
        plan=view,
        printed_on=printed_on,
        card_code=format_code(card.code) if card else None,
        card_url=public_card_url(card.code) if card else None,
    )


@dataclass
class StaffCopy:
    plan: ReleasePlan
    items: list[PlanItem]
    owners: dict[str, str]
    readiness: tuple[int, int]
    days_left: int | None
    printed_on: date


def staff_copy(plan: ReleasePlan, today: date | None = None) -> StaffCopy:
    today = today or local_today()
    return StaffCopy(
        plan=plan,
        items=sorted(plan.items, key=lambda i: i.position),
        owners=dict(services.owner_choices(plan)) | OWNER_LABELS,
        readiness=services.readiness(plan),
        days_left=services.days_to_release(plan.client, today),
        printed_on=today,
    )
