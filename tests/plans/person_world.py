"""A person with a plan in every state, personal data everywhere staff can type it, and a card:
what the person-facing tests (view-model, card page, answers, printed copies) start from."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from app.extensions import db
from app.plans.models import PlanItem
from app.plans.services import add_item, start_plan
from app.plans.vocabulary import ItemKind, ItemStatus
from app.referrals.vocabulary import ReferralStatus
from tests import factories
from tests.public.helpers import (
    SECRET_DOB_TEXTS,
    SECRET_FACILITY,
    SECRET_FIRST,
    SECRET_INMATE,
    SECRET_LAST,
    accepted_referral,
    counselor_and_client,
    load_reference_data,
    make_card,
    public_service,
)

SECRET_NOTE = "Parole violation hearing Tuesday"
SECRET_REASON = "Refused because of the arson conviction"
SECRET_TITLE = "See Officer Grimsby about the burglary case"
SECRETS = (
    SECRET_FIRST,
    SECRET_LAST,
    SECRET_INMATE,
    SECRET_FACILITY,
    *SECRET_DOB_TEXTS,
    SECRET_NOTE,
    SECRET_REASON,
    SECRET_TITLE,
    "sex-offender",
    "sex offender",
    "registration",
)
INTAKE = datetime(2031, 5, 6, 18, 30, tzinfo=UTC)  # 2:30 pm in Hartford


def assert_no_personal_data(text: str) -> None:
    lowered = text.lower()
    for secret in SECRETS:
        assert secret.lower() not in lowered, secret


def _item(plan, kind: ItemKind) -> PlanItem:  # noqa: ANN001
    return next(i for i in plan.items if i.kind == kind)


def _set(item: PlanItem, status: ItemStatus, *, reason=None, referral=None) -> PlanItem:  # noqa: ANN001
    item.status = status
    item.reason = reason
    item.notes = f"{SECRET_NOTE}; {SECRET_FIRST} {SECRET_LAST}, {SECRET_INMATE}"
    item.referral_id = referral.id if referral is not None else None
    return item


def person_with_plan(*, language: str = "en", preferred_language: str = "en") -> SimpleNamespace:
    """Housing arranged (accepted referral with an intake time), employment in progress (on a
    waiting list), ID documents could not be arranged, clothing not needed, registration
    arranged (never shown to the person), a free-text item typed with personal data, a card."""
    load_reference_data()
    counselor, client = counselor_and_client(preferred_language=preferred_language)
    house = public_service("Hope House", needs=("housing.transitional",), bring=("State ID",))
    jobs = public_service("Job Center", needs=("employment",))
    housing_referral = accepted_referral(
        client,
        house,
        counselor,
        intake_at=INTAKE,
        what_to_bring="Two pay stubs\nYour medicine list",
    )
    waiting = factories.make_referral(client, jobs, counselor)
    waiting.status = ReferralStatus.WAITLISTED
    waiting.reason_text = SECRET_REASON
    plan = start_plan(client, counselor)
    db.session.flush()
    housing = _set(_item(plan, ItemKind.HOUSING), ItemStatus.ARRANGED, referral=housing_referral)
    employment = _set(_item(plan, ItemKind.EMPLOYMENT), ItemStatus.IN_PROGRESS, referral=waiting)
    documents = _set(
        _item(plan, ItemKind.ID_DOCUMENTS), ItemStatus.COULD_NOT_ARRANGE, reason=SECRET_REASON
    )
    clothing = _set(_item(plan, ItemKind.CLOTHING), ItemStatus.NOT_NEEDED, reason=SECRET_REASON)
    registration = PlanItem(
        kind=ItemKind.REGISTRATION,
        title=ItemKind.REGISTRATION.label,
        status=ItemStatus.ARRANGED,
        position=99,
        notes=SECRET_NOTE,
    )
    plan.items.append(registration)
    other = add_item(plan, counselor, SECRET_TITLE, notes=SECRET_NOTE)
    db.session.commit()
    card = make_card([house], client=client, actor=counselor, language=language)
    return SimpleNamespace(
        counselor=counselor,
        client=client,
        plan=plan,
        card=card,
        house=house,
        jobs=jobs,
        housing=housing,
        employment=employment,
        documents=documents,
        clothing=clothing,
        registration=registration,
        other=other,
        funds=_item(plan, ItemKind.DISCHARGE_FUNDS),
    )
