"""Optimistic locking: two staff answering the same referral at once; exactly one wins.

Runs on the SQLite file database and, with TEST_DATABASE_URL, on PostgreSQL (the threaded test
is also marked `postgres` so a PostgreSQL-only run selects it with -m postgres).
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.directory.models import CapacityHistory, ServiceCapacity
from app.extensions import db as database
from app.referrals.errors import StaleReferral
from app.referrals.models import Referral, ReferralEvent
from app.referrals.services import transition
from app.referrals.vocabulary import ReferralStatus
from tests import factories


def _setup(world):  # noqa: ANN001,ANN202
    world.service.capacity_decrements_on_accept = True
    database.session.commit()
    second = factories.make_user(Role.PROVIDER, organizations=[world.org], name="Second Staff")
    referral = factories.make_referral(world.client, world.service, world.counselor)
    return referral.id, world.provider.id, second.id


def _events(referral_id: str, action: str) -> int:
    return database.session.scalar(
        select(func.count())
        .select_from(ReferralEvent)
        .where(ReferralEvent.referral_id == referral_id, ReferralEvent.action == action)
    )


def _assert_one_winner(referral_id: str, capacity_id: str) -> None:
    database.session.expire_all()
    stored = database.session.get(Referral, referral_id)
    assert stored.status in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED)
    assert stored.version == 2
    assert _events(referral_id, "accept") + _events(referral_id, "decline") == 1
    capacity = database.session.get(ServiceCapacity, capacity_id)
    decremented = 1 if stored.status == ReferralStatus.ACCEPTED else 0
    assert capacity.available == 3 - decremented
    history = database.session.scalar(
        select(func.count())
        .select_from(CapacityHistory)
        .where(CapacityHistory.capacity_id == capacity_id)
    )
    assert history == decremented


def test_interleaved_sessions_second_answer_is_told(app, world):  # noqa: ANN001
    referral_id, first_id, second_id = _setup(world)
    capacity_id = world.service.capacities[0].id
    with app.app_context():  # session 1 loads version 1 ...
        mine = database.session.get(Referral, referral_id)
        assert mine.version == 1
        with app.app_context():  # ... session 2 loads version 1, accepts and commits first
            theirs = database.session.get(Referral, referral_id)
            transition(theirs, "accept", database.session.get(User, second_id), expected_version=1)
            database.session.commit()
        with pytest.raises(StaleReferral):
            transition(
                mine,
                "decline",
                database.session.get(User, first_id),
                expected_version=1,
                reason_code="no_capacity",
            )
        database.session.rollback()
    _assert_one_winner(referral_id, capacity_id)
    assert database.session.get(Referral, referral_id).status == ReferralStatus.ACCEPTED


@pytest.mark.postgres
def test_two_connections_accepting_at_once_exactly_one_wins_on_postgres(app, world):  # noqa: ANN001
    _race(app, world)


def test_two_connections_accepting_at_once_exactly_one_wins(app, world):  # noqa: ANN001
    _race(app, world)


def _race(app, world) -> None:  # noqa: ANN001
    referral_id, first_id, second_id = _setup(world)
    capacity_id = world.service.capacities[0].id
    both_loaded = threading.Barrier(2, timeout=20)
    results: dict[str, object] = {}

    def accept(user_id: str) -> None:
        try:
            with app.app_context():
                referral = database.session.get(Referral, referral_id)
                user = database.session.get(User, user_id)
                # load everything before racing, so both reach the UPDATE together
                _ = user.organizations, referral.client.team, referral.events
                _ = referral.service.capacities[0].unit, referral.organization.members
                version = referral.version
                both_loaded.wait()
                try:
                    transition(referral, "accept", user, expected_version=version)
                    database.session.commit()
                    results[user_id] = "accepted"
                except StaleReferral as conflict:
                    database.session.rollback()
                    results[user_id] = conflict
        except Exception as exc:  # noqa: BLE001 - reported by the assertions below
            results[user_id] = exc

    threads = [threading.Thread(target=accept, args=(uid,)) for uid in (first_id, second_id)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    outcomes = list(results.values())
    assert len(outcomes) == 2, results
    assert outcomes.count("accepted") == 1, results
    [loser] = [o for o in outcomes if o != "accepted"]
    assert isinstance(loser, StaleReferral), repr(loser)
    assert "Someone else" in loser.message
    _assert_one_winner(referral_id, capacity_id)
