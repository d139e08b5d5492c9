"""The whole transition table through services.transition(): every status x every action x every
kind of actor, driven from STEPS and the status enum so a new step or status is covered at once.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from app.common import utcnow
from app.referrals.errors import InvalidTransition, MissingField, NotAllowed, StaleReferral
from app.referrals.models import Referral, ReferralEvent
from app.referrals.services import actions_for, transition
from app.referrals.vocabulary import ReferralStatus as S
from app.referrals.workflow import STEPS, Action, Side
from tests import factories

# Who acts, and which sides of the referral they are on.
ACTORS = {
    "provider": {Side.PROVIDER},  # staff of the receiving organization
    "counselor": {Side.REFERRER},  # the client's care team
    "admin": {Side.PROVIDER, Side.REFERRER},
    "other_provider": set(),  # staff of another organization
    "outsider": set(),  # a counselor not on the client's team
    "analyst": set(),
}

# The issue's life of a referral, written out by hand: STEPS must say the same.
SPEC = {
    Action.RECEIVE: ({S.SENT}, S.RECEIVED, Side.PROVIDER),
    Action.ACCEPT: ({S.SENT, S.RECEIVED, S.WAITLISTED}, S.ACCEPTED, Side.PROVIDER),
    Action.WAITLIST: ({S.SENT, S.RECEIVED}, S.WAITLISTED, Side.PROVIDER),
    Action.DECLINE: ({S.SENT, S.RECEIVED, S.WAITLISTED}, S.DECLINED, Side.PROVIDER),
    Action.ENROLL: ({S.ACCEPTED}, S.ENROLLED, Side.PROVIDER),
    Action.COMPLETE: ({S.ENROLLED}, S.COMPLETED, Side.PROVIDER),
    Action.NOT_ENROLLED: ({S.ACCEPTED, S.ENROLLED}, S.NOT_ENROLLED, Side.PROVIDER),
    Action.CANCEL: (
        {S.SENT, S.RECEIVED, S.ACCEPTED, S.WAITLISTED, S.ENROLLED},
        S.CANCELLED,
        Side.REFERRER,
    ),
    Action.ENTERED_IN_ERROR: (set(S) - {S.ENTERED_IN_ERROR}, S.ENTERED_IN_ERROR, Side.REFERRER),
}


def valid_fields(action: Action) -> dict:
    """Everything a step could require, filled in correctly."""
    step = STEPS[action]
    fields: dict = {"note": "Called the front desk."}
    if step.reason_codes is not None:
        fields["reason_code"] = next(iter(step.reason_codes)).value
    if step.needs_reason_text or step.reason_codes is not None:
        fields["reason_text"] = "Explained on the phone."
    if step.needs_outcome:
        fields["outcome"] = "Moved into permanent housing."
    return fields


def force_status(db, referral: Referral, status: S) -> None:  # noqa: ANN001
    db.session.execute(update(Referral).where(Referral.id == referral.id).values(status=status))
    db.session.commit()
    db.session.refresh(referral)


def event_count(db, referral: Referral) -> int:  # noqa: ANN001
    return db.session.scalar(
        select(func.count())
        .select_from(ReferralEvent)
        .where(ReferralEvent.referral_id == referral.id)
    )


def test_steps_match_the_issue():
    assert set(STEPS) == set(SPEC)
    for action, (sources, target, side) in SPEC.items():
        step = STEPS[action]
        assert (set(step.sources), step.target, step.side) == (sources, target, side), action


@pytest.mark.parametrize("status", list(S), ids=str)
@pytest.mark.parametrize("action", list(STEPS), ids=str)
def test_transition_table(world, db, status: S, action: Action):  # noqa: ANN001
    step = STEPS[action]
    referral = factories.make_referral(world.client, world.service, world.counselor)
    for name, sides in ACTORS.items():
        actor = getattr(world, name)
        force_status(db, referral, status)
        before = event_count(db, referral)
        allowed = step.side in sides and status in step.sources
        assert (action in actions_for(referral, actor)) == allowed, (name, status, action)
        if allowed:
            event = transition(
                referral, action, actor, expected_version=referral.version, **valid_fields(action)
            )
            db.session.commit()
            assert referral.status == step.target
            assert (event.from_status, event.to_status) == (status.value, step.target.value)
            assert event.actor_id == actor.id
            assert event_count(db, referral) == before + 1
            continue
        expected_error = NotAllowed if step.side not in sides else InvalidTransition
        with pytest.raises(expected_error):
            transition(
                referral, action, actor, expected_version=referral.version, **valid_fields(action)
            )
        db.session.rollback()
        db.session.refresh(referral)
        assert referral.status == status, (name, status, action)
        assert event_count(db, referral) == before


@pytest.mark.parametrize(
    ("status", "action", "fields", "field"),
    [
        (S.RECEIVED, Action.DECLINE, {}, "reason_code"),
        (S.RECEIVED, Action.DECLINE, {"reason_code": "because"}, "reason_code"),
        (S.RECEIVED, Action.DECLINE, {"reason_code": "other"}, "reason_text"),
        (S.RECEIVED, Action.DECLINE, {"reason_code": "other", "reason_text": "  "}, "reason_text"),
        (S.RECEIVED, Action.WAITLIST, {}, "reason_text"),
        (S.ENROLLED, Action.COMPLETE, {}, "outcome"),
        (S.ENROLLED, Action.COMPLETE, {"outcome": "   "}, "outcome"),
        (S.ACCEPTED, Action.NOT_ENROLLED, {}, "reason_code"),
        (S.ACCEPTED, Action.NOT_ENROLLED, {"reason_code": "no_capacity"}, "reason_code"),
        (S.ACCEPTED, Action.NOT_ENROLLED, {"reason_code": "other"}, "reason_text"),
        (S.SENT, Action.CANCEL, {}, "reason_text"),
        (S.ACCEPTED, Action.ENTERED_IN_ERROR, {}, "reason_text"),
    ],
)
def test_required_fields(world, db, status, action, fields, field):  # noqa: ANN001
    referral = factories.make_referral(world.client, world.service, world.counselor)
    force_status(db, referral, status)
    actor = world.provider if STEPS[action].side == Side.PROVIDER else world.counselor
    with pytest.raises(MissingField) as error:
        transition(referral, action, actor, expected_version=referral.version, **fields)
    assert error.value.field == field
    db.session.rollback()
    db.session.refresh(referral)
    assert referral.status == status
    assert event_count(db, referral) == 1  # only the "send" event


def test_decline_with_other_and_text_is_recorded(world, db):  # noqa: ANN001
    referral = factories.make_referral(world.client, world.service, world.counselor)
    event = transition(
        referral,
        "decline",
        world.provider,
        expected_version=referral.version,
        reason_code="other",
        reason_text="Building closed for repairs",
    )
    db.session.commit()
    factories.reload(referral)
    assert (referral.reason_code, referral.reason_text) == ("other", "Building closed for repairs")
    assert (event.reason_code, event.reason_text) == ("other", "Building closed for repairs")
    assert referral.closed_at is not None
    assert referral.first_response_at is not None


def test_a_life_stamps_its_times_and_fields(world, db):  # noqa: ANN001
    t0 = utcnow().replace(microsecond=0) - timedelta(hours=1)
    referral = factories.make_referral(world.client, world.service, world.counselor, now=t0)
    assert referral.sent_at == t0
    assert referral.needed_by == date(2030, 1, 15)  # the projected release date

    def step(action, minutes, **fields):  # noqa: ANN001,ANN003,ANN202
        event = transition(
            referral,
            action,
            world.provider,
            expected_version=referral.version,
            now=t0 + timedelta(minutes=minutes),
            **fields,
        )
        db.session.commit()
        return event

    step("receive", 10)
    assert referral.received_at == t0 + timedelta(minutes=10)
    assert referral.first_response_at is None  # opening is not an answer
    step("waitlist", 20, reason_text="Full this week", expected_date=date(2030, 1, 20))
    assert referral.first_response_at == t0 + timedelta(minutes=20)
    assert referral.expected_date == date(2030, 1, 20)
    intake = t0 + timedelta(days=3)
    step("accept", 30, intake_at=intake, what_to_bring="State ID")
    assert (referral.intake_at, referral.what_to_bring) == (intake, "State ID")
    assert referral.first_response_at == t0 + timedelta(minutes=20)  # first answer kept
    step("enroll", 40)
    assert referral.closed_at is None
    step("complete", 50, outcome="Stayed 90 days, moved to own apartment")
    factories.reload(referral)
    assert referral.status == S.COMPLETED
    assert referral.outcome == "Stayed 90 days, moved to own apartment"
    assert referral.closed_at == t0 + timedelta(minutes=50)
    assert [e.to_status for e in referral.events] == [
        "sent",
        "received",
        "waitlisted",
        "accepted",
        "enrolled",
        "completed",
    ]


def test_wrong_version_is_refused_and_nothing_changes(world, db):  # noqa: ANN001
    referral = factories.make_referral(world.client, world.service, world.counselor)
    with pytest.raises(StaleReferral):
        transition(referral, "accept", world.provider, expected_version=referral.version + 1)
    with pytest.raises(StaleReferral):
        transition(referral, "accept", world.provider, expected_version="not a number")
    db.session.rollback()
    assert factories.reload(referral).status == S.SENT


def test_unknown_action_is_a_validation_error(world, db):  # noqa: ANN001
    from app.referrals.errors import ReferralValidationError

    referral = factories.make_referral(world.client, world.service, world.counselor)
    with pytest.raises(ReferralValidationError):
        transition(referral, "teleport", world.provider, expected_version=referral.version)
