"""“Released today”: the date, the phase, exactly one return-to-community version, what was not
arranged, the discharge card built from the plan, the team told, refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.clock import local_today
from app.domain_errors import Conflict, FieldErrors, NotPermitted
from app.extensions import db
from app.notify.models import Notification, OutboxMessage
from app.plans import services
from app.plans.models import PlanVersion
from app.plans.release import LATE_RECORDING_DAYS, record_release
from app.plans.vocabulary import ItemKind, Juncture, PlanPhase
from app.public.models import DischargeCard
from app.referrals.services import add_team_member
from tests import factories
from tests.plans.release_helpers import benefits_office, near_release
from tests.referrals.conftest import DATE_OF_BIRTH, FIRST_NAME, INMATE_NUMBER, LAST_NAME


def _release(world, **kw):  # noqa: ANN001,ANN003,ANN202
    released = record_release(world.client, world.counselor, **kw)
    db.session.commit()
    return released


def _versions() -> int:
    return db.session.scalar(select(func.count()).select_from(PlanVersion))


def test_records_today_and_moves_the_plan_to_the_community(world) -> None:  # noqa: ANN001
    near_release(world)
    released = _release(world)
    assert world.client.released_on == local_today()
    assert released.plan.phase == PlanPhase.COMMUNITY_SUPERVISION


def test_keeps_exactly_one_return_to_community_version_with_the_plan_as_it_stood(world) -> None:  # noqa: ANN001
    setting = near_release(world)
    released = _release(world)
    version = released.version
    assert _versions() == 1
    assert version.juncture == Juncture.RETURN_TO_COMMUNITY
    assert version.phase == PlanPhase.COMMUNITY_SUPERVISION
    assert version.recorded_by_id == world.counselor.id
    by_kind = {item["kind"]: item for item in version.items}
    assert by_kind["housing"]["status"] == "arranged"
    assert by_kind["housing"]["referral_id"] == setting.housing_referral.id
    assert by_kind["id_documents"]["status"] == "to_do"
    assert len(version.items) == len(setting.plan.items)


def test_names_what_was_not_arranged_essential_first(world) -> None:  # noqa: ANN001
    plan = near_release(world).plan
    family = next(i for i in plan.items if i.kind == ItemKind.FAMILY)
    services.update_item(family, world.counselor, status="arranged", expected_version=1)
    funds = next(i for i in plan.items if i.kind == ItemKind.DISCHARGE_FUNDS)
    services.update_item(
        funds, world.counselor, status="not_needed", reason="Has savings", expected_version=1
    )
    services.add_item(plan, world.counselor, "Glasses from the eye clinic")
    missing = _release(world).not_arranged
    assert missing.essential == [
        "Transportation on release day",
        "Clothing",
        "ID and vital documents",
        "Employment",
        "Treatment and medication (including a MAT/MOUD bridge)",
    ]
    assert missing.other == [
        "Benefits and entitlements",
        "Mentoring and peer support",
        "Glasses from the eye clinic",
    ]


def test_the_card_lists_the_arranged_referral_then_other_referrals_then_benefits(world) -> None:  # noqa: ANN001
    setting = near_release(world)
    released = _release(world)
    card = released.card
    assert released.card_is_new
    entries = [(e.service_id, e.referral_id) for e in card.entries]
    assert entries == [
        (world.service.id, setting.housing_referral.id),
        (setting.jobs_referral.service_id, setting.jobs_referral.id),
        (setting.benefits.id, None),
    ]
    assert setting.far_benefits.id not in [e.service_id for e in card.entries]
    assert card.client_id == world.client.id
    assert card.created_by_id == world.counselor.id


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_card_is_in_the_persons_language(world, language) -> None:  # noqa: ANN001
    near_release(world)
    world.client.preferred_language = language
    db.session.commit()
    assert _release(world).card.language == language


def test_an_unknown_language_gets_an_english_card(world) -> None:  # noqa: ANN001
    near_release(world)
    world.client.preferred_language = "fr"
    db.session.commit()
    assert _release(world).card.language == "en"


def test_a_live_card_is_added_to_and_keeps_its_code(world) -> None:  # noqa: ANN001
    from app.public.cards import EntryChoice, create_card

    setting = near_release(world)
    other = benefits_office("Food Pantry", "Norwich")
    old = create_card(
        [EntryChoice(other.id), EntryChoice(world.service.id)],
        language="es",
        client=world.client,
        actor=world.counselor,
    )
    old.expires_at = old.created_at + timedelta(days=3)
    db.session.commit()
    code = old.code
    released = _release(world)
    assert released.card is old and not released.card_is_new
    assert old.code == code and old.language == "es"
    assert [e.service_id for e in old.entries] == [
        other.id,
        world.service.id,
        setting.jobs_referral.service_id,
        setting.benefits.id,
    ]
    # the housing entry gained its referral, so the card shows the intake time
    assert old.entries[1].referral_id == setting.housing_referral.id
    assert old.expires_at > old.created_at + timedelta(days=170)
    assert db.session.scalar(select(func.count()).select_from(DischargeCard)) == 1


def test_nothing_to_put_on_a_card_means_no_card_but_the_release_stands(world) -> None:  # noqa: ANN001
    world.client.destination_town = None
    db.session.commit()
    released = _release(world)
    assert released.card is None
    assert world.client.released_on == local_today()
    assert _versions() == 1


def test_no_plan_yet_starts_one_and_releases_in_the_same_step(world) -> None:  # noqa: ANN001
    assert services.plan_for(world.client) is None
    released = _release(world)
    plan = services.plan_for(world.client)
    assert plan is released.plan
    assert plan.phase == PlanPhase.COMMUNITY_SUPERVISION
    assert [v.juncture for v in plan.versions] == [Juncture.RETURN_TO_COMMUNITY]
    assert "Housing" in released.not_arranged.essential


def test_releasing_twice_is_a_409_and_keeps_one_version(world) -> None:  # noqa: ANN001
    near_release(world)
    _release(world)
    with pytest.raises(Conflict) as refused:
        record_release(world.client, world.counselor)
    assert refused.value.status == 409
    assert "already recorded" in refused.value.message
    db.session.rollback()
    assert _versions() == 1


def test_a_version_already_kept_at_a_phase_hand_off_is_not_repeated(world) -> None:  # noqa: ANN001
    from app.plans.junctures import record_juncture

    plan = near_release(world).plan
    kept = record_juncture(plan, Juncture.RETURN_TO_COMMUNITY, world.counselor)
    db.session.commit()
    assert _release(world).version is kept
    assert _versions() == 1


@pytest.mark.parametrize("who", ["outsider", "provider", "analyst"])
def test_only_the_care_team_records_a_release(world, who) -> None:  # noqa: ANN001
    near_release(world)
    with pytest.raises(NotPermitted) as refused:
        record_release(world.client, getattr(world, who))
    assert refused.value.status == 403
    db.session.rollback()
    assert world.client.released_on is None
    assert _versions() == 0


def test_an_admin_may_record_a_release(world) -> None:  # noqa: ANN001
    record_release(world.client, world.admin)
    assert world.client.released_on == local_today()


def test_a_release_recorded_a_few_days_late_keeps_its_date(world) -> None:  # noqa: ANN001
    today = local_today()
    day = today - timedelta(days=LATE_RECORDING_DAYS)
    _release(world, released_on=day, today=today)
    assert world.client.released_on == day


@pytest.mark.parametrize(
    ("days", "says"),
    [(-2, "cannot be in the future"), (LATE_RECORDING_DAYS + 1, "within the last")],
)
def test_a_date_in_the_future_or_too_far_back_is_a_422(world, days, says) -> None:  # noqa: ANN001
    today = local_today()
    with pytest.raises(FieldErrors) as refused:
        record_release(world.client, world.counselor, released_on=today - timedelta(days=days))
    assert refused.value.status == 422
    assert says in refused.value.problems["released_on"]
    db.session.rollback()
    assert world.client.released_on is None
    assert services.plan_for(world.client) is None


def test_the_rest_of_the_team_is_told_without_personal_data(world) -> None:  # noqa: ANN001
    parole = factories.make_user(name="Parker Parole")
    add_team_member(world.client, parole, "Parole officer", world.counselor)
    db.session.commit()
    _release(world)
    [note] = db.session.scalars(select(Notification)).all()
    assert note.user_id == parole.id
    assert note.text == "A person on your caseload was released today"
    assert note.link == f"/referrals/clients/{world.client.id}/plan"
    [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "plan.released"))
    assert mail.recipient == parole.email
    assert mail.subject == "A person on your caseload was released today"
    assert f"/referrals/clients/{world.client.id}/plan" in mail.body
    for secret in (FIRST_NAME, LAST_NAME, INMATE_NUMBER, DATE_OF_BIRTH.isoformat(), "1979"):
        assert secret not in mail.body + mail.subject + note.text


def test_a_late_release_is_told_as_recent(world) -> None:  # noqa: ANN001
    parole = factories.make_user(name="Parker Parole")
    add_team_member(world.client, parole, "Parole officer", world.counselor)
    db.session.commit()
    today = local_today()
    _release(world, released_on=today - timedelta(days=2), today=today)
    assert db.session.scalar(select(Notification.text)) == (
        "A person on your caseload was released recently"
    )


def test_the_release_is_audited_with_codes_only(world) -> None:  # noqa: ANN001
    near_release(world)
    released = _release(world)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "plan.release"))
    assert entry.client_id == world.client.id
    assert entry.details["card_id"] == released.card.id
    assert entry.details["version"] == released.version.number
    assert "id_documents" in entry.details["not_arranged"]
    assert "housing" not in entry.details["not_arranged"]


def test_a_release_that_loses_a_race_is_a_409_not_a_second_version(world) -> None:  # noqa: ANN001
    """Both requests passed the "not released yet" check; the other one committed first. The
    plan is already in the community (a phase hand-off), so the phase itself does not change."""
    from sqlalchemy import update

    from app.plans.models import ReleasePlan

    plan = near_release(world).plan
    plan.phase = PlanPhase.COMMUNITY_SUPERVISION
    db.session.commit()
    db.session.execute(
        update(ReleasePlan)
        .where(ReleasePlan.id == plan.id)
        .values(version=ReleasePlan.version + 1)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(Conflict) as refused:
        record_release(world.client, world.counselor)
    assert refused.value.status == 409
    db.session.rollback()
    assert _versions() == 0
