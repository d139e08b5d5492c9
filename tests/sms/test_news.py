"""What the person is texted: referral answers, the card link, the intake reminder; in their
language, and never a name, offense, facility, service or provider's reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import select

from app.accounts.models import Role
from app.extensions import db
from app.jobs.tasks import execute
from app.referrals.steps import open_referral_as_provider, transition
from app.referrals.vocabulary import ReferralStatus
from app.sms.consent import record_text_consent, revoke_text_consent
from app.sms.models import SmsMessage
from app.sms.news import intake_reminders
from tests import factories
from tests.plans.person_world import SECRETS, person_with_plan
from tests.public.helpers import (
    accepted_referral,
    load_reference_data,
    make_card,
    public_service,
)
from tests.sms.helpers import MOBILE, person_with_texts

SERVICE_NAME = "Registrant Recovery House"
ORG_NAME = "Grimsby Sex Offender Services"
REASON = "Refused because of the arson conviction"


def _texts(person) -> list[SmsMessage]:  # noqa: ANN001
    return list(
        db.session.scalars(
            select(SmsMessage)
            .where(SmsMessage.client_id == person.id)
            .order_by(SmsMessage.created_at)
        )
    )


def assert_plain(body: str) -> None:
    lowered = body.lower()
    for secret in (*SECRETS, SERVICE_NAME, ORG_NAME, REASON, "arson", "registry", "offense"):
        assert secret.lower() not in lowered, secret


def _referral_answered(action: str, language: str = "en"):  # noqa: ANN202
    load_reference_data()
    counselor, person, _ = person_with_texts(preferred_language=language)
    service = public_service(SERVICE_NAME, org_name=ORG_NAME)
    provider = factories.make_user(Role.PROVIDER, organizations=[service.organization])
    referral = factories.make_referral(person, service, counselor)
    open_referral_as_provider(referral, provider)
    extra = {"reason_code": "other", "reason_text": REASON} if action == "decline" else {}
    if action == "waitlist":
        extra = {"reason_text": REASON}
    transition(referral, action, provider, expected_version=referral.version, **extra)
    db.session.commit()
    return person


@pytest.mark.parametrize(
    ("action", "language", "words"),
    [
        ("accept", "en", "said yes"),
        ("waitlist", "en", "waiting list"),
        ("decline", "en", "Your counselor will help you find another one"),
        ("accept", "es", "dijo que sí"),
        ("decline", "es", "Su consejero le ayudará a encontrar otro"),
    ],
)
def test_a_referral_answer_is_texted_plainly_in_the_persons_language(
    db, action: str, language: str, words: str
) -> None:  # noqa: ANN001
    person = _referral_answered(action, language)
    [message] = _texts(person)
    assert words in message.body and message.language == language
    assert_plain(message.body)


def test_no_text_after_consent_to_texts_was_revoked(db) -> None:  # noqa: ANN001
    load_reference_data()
    counselor, person, _ = person_with_texts()
    revoke_text_consent(person, counselor)
    service = public_service(SERVICE_NAME)
    provider = factories.make_user(Role.PROVIDER, organizations=[service.organization])
    referral = factories.make_referral(person, service, counselor)
    open_referral_as_provider(referral, provider)
    transition(referral, "accept", provider, expected_version=referral.version)
    db.session.commit()
    assert _texts(person) == []


INTAKE_EVE = datetime(2031, 5, 5, 20, 0, tzinfo=UTC)  # 4 pm in Hartford, the day before


def _plan_with_texts(language: str = "en"):  # noqa: ANN202
    world = person_with_plan(preferred_language=language, language=language)
    record_text_consent(world.client, MOBILE, world.counselor)
    db.session.commit()
    return world


def test_the_day_before_an_arranged_intake_the_person_gets_one_reminder(db) -> None:  # noqa: ANN001
    with time_machine.travel(INTAKE_EVE, tick=False):
        world = _plan_with_texts()
        assert intake_reminders() == 1
        assert intake_reminders() == 0  # once only, however often the job runs
        db.session.commit()
    [message] = _texts(world.client)
    assert message.kind == "intake"
    assert "tomorrow, Tuesday, May 6 at 2:30 PM" in message.body
    assert f"/card/{world.card.code}" in message.body
    assert_plain(message.body)


def test_the_reminder_is_in_spanish_for_a_spanish_speaker(db) -> None:  # noqa: ANN001
    with time_machine.travel(INTAKE_EVE, tick=False):
        world = _plan_with_texts("es")
        assert execute("intake_texts") == "1 intake reminder queued"
    [message] = _texts(world.client)
    assert "mañana, martes 6 de mayo a las 14:30" in message.body


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2031, 5, 5, 3, 30, tzinfo=UTC),  # 11:30 pm on May 4 in Hartford: two days before
        datetime(2031, 5, 6, 12, 0, tzinfo=UTC),  # the intake day itself
    ],
)
def test_no_reminder_on_other_days(db, moment: datetime) -> None:  # noqa: ANN001
    with time_machine.travel(moment, tick=False):
        world = _plan_with_texts()
        assert intake_reminders() == 0
    assert _texts(world.client) == []


def test_no_reminder_once_the_item_is_no_longer_arranged(db) -> None:  # noqa: ANN001
    from app.plans.vocabulary import ItemStatus

    with time_machine.travel(INTAKE_EVE, tick=False):
        world = _plan_with_texts()
        world.housing.status = ItemStatus.IN_PROGRESS
        db.session.commit()
        assert intake_reminders() == 0


def test_an_accepted_referral_without_a_plan_gets_its_reminder_too(db) -> None:  # noqa: ANN001
    with time_machine.travel(INTAKE_EVE, tick=False):
        load_reference_data()
        counselor, person, _ = person_with_texts()
        service = public_service(SERVICE_NAME, org_name=ORG_NAME)
        intake = datetime(2031, 5, 6, 15, 0, tzinfo=UTC)  # 11 am in Hartford, tomorrow
        accepted_referral(person, service, counselor, intake_at=intake)
        declined = accepted_referral(
            person, public_service("Other House"), counselor, intake_at=intake
        )
        declined.status = ReferralStatus.DECLINED  # answered no after all: no reminder
        db.session.commit()
        assert intake_reminders() == 1
        assert intake_reminders() == 0
    [message] = _texts(person)
    assert "tomorrow, Tuesday, May 6 at 11:00 AM" in message.body
    assert_plain(message.body)


def test_a_step_arranged_by_staff_is_texted_once_without_saying_which(db) -> None:  # noqa: ANN001
    from app.plans.services import update_item
    from app.plans.vocabulary import ItemStatus

    world = _plan_with_texts("es")
    for status in (ItemStatus.ARRANGED, ItemStatus.IN_PROGRESS, ItemStatus.ARRANGED):
        item = world.employment
        update_item(item, world.counselor, status=status, expected_version=item.version)
    db.session.commit()
    [message] = _texts(world.client)
    assert message.kind == "plan.arranged" and "otro paso está listo" in message.body
    assert f"/card/{world.card.code}" in message.body
    assert_plain(message.body)
    assert "empleo" not in message.body.lower() and "employment" not in message.body.lower()


def test_recording_the_release_texts_the_card_link(db) -> None:  # noqa: ANN001
    from app.plans.release import record_release

    with time_machine.travel(INTAKE_EVE, tick=False):
        world = _plan_with_texts()
        release = record_release(world.client, world.counselor)
        db.session.commit()
    [message] = _texts(world.client)
    assert message.kind == "card" and f"/card/{release.card.code}" in message.body
    assert_plain(message.body)


def test_staff_send_the_card_by_text_and_see_it_on_the_persons_page(db, login) -> None:  # noqa: ANN001
    load_reference_data()
    counselor, person, _ = person_with_texts()
    card = make_card([public_service(SERVICE_NAME)], client=person, actor=counselor)
    browser = login(counselor)

    response = browser.post(f"/referrals/clients/{person.id}/texts/card")

    assert response.status_code == 302
    [message] = _texts(person)
    assert message.kind == "card" and f"/card/{card.code}" in message.body
    assert_plain(message.body)
    page = browser.get(f"/referrals/clients/{person.id}").get_data(as_text=True)
    assert "Text messages" in page and "Discharge card link" in page
    assert "Waiting to send" in page and "ending in 0123" in page


def test_recording_consent_with_a_bad_number_shows_the_problem_at_the_field(db, login) -> None:  # noqa: ANN001
    load_reference_data()
    counselor, person = person_with_texts()[:2]
    browser = login(counselor)
    url = f"/referrals/clients/{person.id}/texts/consent"
    response = browser.post(url, data={"phone": "555-01", "agreed": "y"})
    assert response.status_code == 422
    assert "Enter a US mobile number" in response.get_data(as_text=True)
    response = browser.post(url, data={"phone": "203 555 0147", "agreed": "y"})
    assert response.status_code == 302
    page = browser.get(f"/referrals/clients/{person.id}").get_data(as_text=True)
    assert "Agreed to texts" in page and "ending in 0147" in page


def test_stop_all_texts_from_the_persons_page(db, login) -> None:  # noqa: ANN001
    counselor, person, consent = person_with_texts()
    browser = login(counselor)
    assert browser.post(f"/referrals/clients/{person.id}/texts/stop").status_code == 302
    db.session.refresh(consent)
    assert consent.revoked_at is not None
    page = browser.get(f"/referrals/clients/{person.id}").get_data(as_text=True)
    assert "No consent to texts" in page


def test_the_care_team_sees_that_the_person_replied_stop(db, login) -> None:  # noqa: ANN001
    from app.sms.consent import stop_by_number
    from tests.sms.helpers import E164

    counselor, person, _ = person_with_texts()
    stop_by_number(E164, "ALTO")
    db.session.commit()
    page = login(counselor).get(f"/referrals/clients/{person.id}").get_data(as_text=True)
    assert "Texts stopped by the person" in page and "replied ALTO" in page


def test_a_provider_cannot_text_a_person(db, login) -> None:  # noqa: ANN001
    _, person, _ = person_with_texts()
    provider = factories.make_user(Role.PROVIDER, organizations=[factories.make_organization()])
    browser = login(provider)
    assert browser.post(f"/referrals/clients/{person.id}/texts/card").status_code == 403
    assert browser.get(f"/referrals/clients/{person.id}/texts/consent").status_code == 403
