"""Phase hand-off: one step forward (or back to the facility with a reason), the coordinator role
passed within the team, the phase's review recorded, both coordinators told without personal
data, and a stale form refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.audit.models import AuditEntry
from app.domain_errors import FieldErrors, NotPermitted
from app.extensions import db
from app.notify.models import Notification, OutboxMessage
from app.notify.services import send_pending
from app.plans import services
from app.plans.handoff import StalePlan, advance_phase, allowed_phases, suggested_coordinator
from app.plans.vocabulary import Juncture, PlanPhase
from app.referrals.services import add_team_member
from tests import factories
from tests.referrals.conftest import DATE_OF_BIRTH, FIRST_NAME, INMATE_NUMBER, LAST_NAME


def _plan(world):  # noqa: ANN001,ANN202
    plan = services.start_plan(world.client, world.counselor)
    db.session.commit()
    return plan


def _parole_officer(world):  # noqa: ANN001,ANN202
    officer = factories.make_user(Role.COUNSELOR, name="Robin Parole")
    add_team_member(world.client, officer, "State parole officer", world.counselor)
    db.session.commit()
    return officer


def _advance(plan, actor, phase, coordinator_id=None, note=None):  # noqa: ANN001,ANN202
    version = advance_phase(
        plan,
        actor,
        phase=phase,
        coordinator_id=coordinator_id,
        note=note,
        expected_version=plan.version,
    )
    db.session.commit()
    return version


def _texts(user=None) -> list[str]:  # noqa: ANN001
    query = select(Notification).order_by(Notification.created_at)
    if user is not None:
        query = query.where(Notification.user_id == user.id)
    return [n.text for n in db.session.scalars(query)]


def _mail() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "plan.phase")))


def test_moving_on_records_the_phases_review_and_tells_the_coordinator(world) -> None:  # noqa: ANN001
    plan = _plan(world)
    version = _advance(plan, world.counselor, "releasing", note="Release date confirmed")
    assert plan.phase == PlanPhase.RELEASING
    assert plan.coordinator_id == world.counselor.id
    assert (version.number, version.juncture, version.phase) == (
        1,
        Juncture.BEFORE_RELEASE,
        PlanPhase.RELEASING,
    )
    assert version.note == "Release date confirmed"
    assert _texts(world.counselor) == ["A release plan you coordinate moved to “Being released”"]
    [mail] = _mail()
    assert mail.recipient == world.counselor.email


def test_each_phase_records_its_own_juncture_one_step_at_a_time(world) -> None:  # noqa: ANN001
    plan = _plan(world)
    recorded = [
        _advance(plan, world.counselor, phase).juncture
        for phase in ("releasing", "community_supervision", "discharged")
    ]
    assert recorded == [
        Juncture.BEFORE_RELEASE,
        Juncture.RETURN_TO_COMMUNITY,
        Juncture.DISCHARGE_FROM_SUPERVISION,
    ]
    assert plan.versions[1].changes == [
        "Phase: Being released → In the community under supervision."
    ]
    assert allowed_phases(plan) == [PlanPhase.IN_FACILITY]  # the last phase: only back


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ([], "community_supervision"),  # skipping a phase
        ([], "in_facility"),  # staying put
        (["releasing", "community_supervision"], "releasing"),  # back, but not to the facility
        ([], "nowhere"),
    ],
)
def test_skipping_or_going_back_a_step_is_refused(world, start, target) -> None:  # noqa: ANN001
    plan = _plan(world)
    for phase in start:
        _advance(plan, world.counselor, phase)
    before = (plan.phase, plan.version, len(plan.versions))
    with pytest.raises(FieldErrors) as refused:
        advance_phase(
            plan, world.counselor, phase=target, coordinator_id=None, expected_version=plan.version
        )
    assert "phase" in refused.value.problems
    db.session.rollback()
    assert (plan.phase, plan.version, len(plan.versions)) == before


def test_back_to_the_facility_needs_a_reason_and_records_a_new_intake(world) -> None:  # noqa: ANN001
    plan = _plan(world)
    _advance(plan, world.counselor, "releasing")
    with pytest.raises(FieldErrors) as refused:
        advance_phase(
            plan, world.counselor, phase="in_facility", coordinator_id=None, expected_version=2
        )
    assert refused.value.problems == {"note": "Say why the plan goes back to the facility."}
    db.session.rollback()
    version = _advance(plan, world.counselor, "in_facility", note="Release postponed by the court")
    assert (plan.phase, version.juncture) == (PlanPhase.IN_FACILITY, Juncture.INTAKE)


def test_the_parole_officer_is_suggested_and_takes_over_and_both_are_told(world) -> None:  # noqa: ANN001
    officer = _parole_officer(world)
    plan = _plan(world)
    _advance(plan, world.counselor, "releasing")
    assert suggested_coordinator(plan, PlanPhase.RELEASING) == world.counselor.id
    assert suggested_coordinator(plan, PlanPhase.COMMUNITY_SUPERVISION) == officer.id
    version = _advance(plan, world.counselor, "community_supervision", coordinator_id=officer.id)
    assert plan.coordinator_id == officer.id
    assert version.coordinator_id == officer.id
    assert "Coordinator changed." in version.changes
    phase = "“In the community under supervision”"
    assert _texts(officer) == [f"A release plan moved to {phase}; you are now its coordinator"]
    assert _texts(world.counselor)[-1] == (
        f"A release plan you coordinated moved to {phase}; another team member now coordinates it"
    )
    assert sorted(m.recipient for m in _mail()[1:]) == sorted(
        [world.counselor.email, officer.email]
    )
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "plan.phase").order_by(AuditEntry.at)
    ).all()[-1]
    assert entry.details == {
        "from": "releasing",
        "to": "community_supervision",
        "coordinator_changed": True,
        "version": 2,
    }


def test_no_personal_data_reaches_a_message_or_a_notification(world, smtp) -> None:  # noqa: ANN001
    officer = _parole_officer(world)
    plan = _plan(world)
    _advance(plan, world.counselor, "releasing", note=f"{FIRST_NAME} {LAST_NAME} is ready")
    _advance(plan, world.counselor, "community_supervision", coordinator_id=officer.id)
    sent, failed = send_pending()
    assert (sent, failed) == (3, 0)
    [message] = smtp.to(officer.email)
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert f"/referrals/clients/{world.client.id}/plan" in body
    texts = [m["Subject"] for m in smtp.messages] + smtp.bodies_to("") + _texts()
    assert len(texts) == 9
    forbidden = (FIRST_NAME, LAST_NAME, INMATE_NUMBER, DATE_OF_BIRTH.isoformat(), "ready")
    for text in texts:
        for value in forbidden:
            assert value.lower() not in text.lower(), (value, text)


def test_the_new_coordinator_must_be_on_the_team(world) -> None:  # noqa: ANN001
    plan = _plan(world)
    with pytest.raises(FieldErrors) as refused:
        advance_phase(
            plan,
            world.counselor,
            phase="releasing",
            coordinator_id=world.outsider.id,
            expected_version=plan.version,
        )
    assert refused.value.problems == {"coordinator_id": "Choose someone on the care team."}
    db.session.rollback()
    assert (plan.phase, plan.coordinator_id) == (PlanPhase.IN_FACILITY, world.counselor.id)


def test_a_stale_form_is_refused_and_changes_nothing(world) -> None:  # noqa: ANN001
    plan = _plan(world)
    opened = plan.version
    _advance(plan, world.counselor, "releasing")
    with pytest.raises(StalePlan) as refused:
        advance_phase(
            plan,
            world.counselor,
            phase="community_supervision",
            coordinator_id=None,
            expected_version=opened,
        )
    assert refused.value.status == 409
    db.session.rollback()
    assert (plan.phase, len(plan.versions)) == (PlanPhase.RELEASING, 1)


def test_only_the_team_moves_the_plan(world) -> None:  # noqa: ANN001
    plan = _plan(world)
    with pytest.raises(NotPermitted):
        advance_phase(
            plan,
            world.outsider,
            phase="releasing",
            coordinator_id=None,
            expected_version=plan.version,
        )
