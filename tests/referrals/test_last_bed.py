"""The last bed: accepting sees the figure as it is in the database now, and exactly one of
several providers accepting at once gets the last place; the others are told none is left and
may waitlist or accept over capacity on purpose.

The threaded race runs on the SQLite file database and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.directory.models import CapacityHistory, ServiceCapacity
from app.directory.vocabulary import CapacityStatus
from app.extensions import db as database
from app.referrals.errors import NoRoomLeft
from app.referrals.models import Referral
from app.referrals.services import transition
from app.referrals.vocabulary import ReferralStatus
from tests import factories
from tests.api.test_referrals import api  # noqa: F401  the shared fixture


def _one_place_left(world, available: int = 1) -> ServiceCapacity:  # noqa: ANN001
    world.service.capacity_decrements_on_accept = True
    capacity = world.service.capacities[0]
    capacity.available = available
    capacity.status = CapacityStatus.HAS_CAPACITY if available else CapacityStatus.NO_CAPACITY
    database.session.commit()
    return capacity


def _history(capacity_id: str) -> int:
    return database.session.scalar(
        select(func.count())
        .select_from(CapacityHistory)
        .where(CapacityHistory.capacity_id == capacity_id)
    )


def test_accepting_with_no_place_left_is_refused_until_confirmed(world, db):  # noqa: ANN001
    capacity = _one_place_left(world, available=0)
    referral = factories.make_referral(world.client, world.service, world.counselor)
    with pytest.raises(NoRoomLeft, match="No beds left"):
        transition(referral, "accept", world.provider, expected_version=referral.version)
    db.session.rollback()
    assert factories.reload(referral).status == ReferralStatus.SENT

    event = transition(
        referral, "accept", world.provider, expected_version=referral.version, over_capacity=True
    )
    db.session.commit()
    assert factories.reload(referral).status == ReferralStatus.ACCEPTED
    assert event.details["over_capacity"] is True
    assert factories.reload(capacity).available == 0  # never below zero
    assert _history(capacity.id) == 0


def test_a_stale_copy_in_the_session_does_not_hide_that_the_last_bed_went(app, world, db):  # noqa: ANN001
    capacity = _one_place_left(world)
    first = factories.make_referral(world.client, world.service, world.counselor)
    second = factories.make_referral(world.client, world.service, world.counselor)
    assert world.service.capacities[0].available == 1  # this session still says one is open
    with app.app_context():  # a colleague takes it on their own connection and commits
        theirs = database.session.get(Referral, first.id)
        transition(
            theirs, "accept", database.session.get(User, world.provider.id), expected_version=1
        )
        database.session.commit()
    with pytest.raises(NoRoomLeft):
        transition(second, "accept", world.provider, expected_version=second.version)
    db.session.rollback()
    assert factories.reload(capacity).available == 0
    assert _history(capacity.id) == 1


def _race(app, world, racers: int = 4) -> None:  # noqa: ANN001
    capacity = _one_place_left(world)
    staff = [world.provider] + [
        factories.make_user(Role.PROVIDER, organizations=[world.org], name=f"Staff {n}")
        for n in range(racers - 1)
    ]
    pairs = [
        (factories.make_referral(world.client, world.service, world.counselor).id, user.id)
        for user in staff
    ]
    ready = threading.Barrier(racers, timeout=20)
    results: dict[str, object] = {}

    def accept(referral_id: str, user_id: str) -> None:
        try:
            with app.app_context():
                referral = database.session.get(Referral, referral_id)
                user = database.session.get(User, user_id)
                _ = user.organizations, referral.client.team, referral.events
                _ = referral.service.capacities[0].unit, referral.organization.members
                ready.wait()
                try:
                    transition(referral, "accept", user, expected_version=referral.version)
                    database.session.commit()
                    results[referral_id] = "accepted"
                except NoRoomLeft as refused:
                    database.session.rollback()
                    results[referral_id] = refused
        except Exception as exc:  # noqa: BLE001 - reported by the assertions below
            results[referral_id] = exc

    threads = [threading.Thread(target=accept, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    outcomes = list(results.values())
    assert len(outcomes) == racers, results
    assert outcomes.count("accepted") == 1, results
    assert all(isinstance(o, NoRoomLeft) for o in outcomes if o != "accepted"), results
    database.session.expire_all()
    stored = database.session.get(ServiceCapacity, capacity.id)
    assert (stored.available, stored.status) == (0, CapacityStatus.NO_CAPACITY)
    assert _history(capacity.id) == 1
    statuses = [database.session.get(Referral, rid).status for rid, _ in pairs]
    assert statuses.count(ReferralStatus.ACCEPTED) == 1


def test_four_providers_accepting_at_once_exactly_one_gets_the_last_bed(app, world):  # noqa: ANN001
    _race(app, world)


@pytest.mark.postgres
def test_four_connections_race_for_the_last_bed_on_postgres(app, world):  # noqa: ANN001
    _race(app, world)


def test_the_page_says_no_bed_left_and_offers_waitlist_or_over_capacity(client, login, world):  # noqa: ANN001
    capacity = _one_place_left(world, available=0)
    referral = factories.make_referral(world.client, world.service, world.counselor)
    login(world.provider)
    client.get(f"/referrals/{referral.id}")
    version = factories.reload(referral).version
    response = client.post(
        f"/referrals/{referral.id}/step/accept", data={"accept-version": str(version)}
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "No beds left" in html and "Put on waitlist" in html
    assert "Accept over capacity if no place is left" in html
    assert factories.reload(referral).status == ReferralStatus.RECEIVED

    response = client.post(
        f"/referrals/{referral.id}/step/accept",
        data={"accept-version": str(version), "accept-over_capacity": "y"},
    )
    assert response.status_code == 302
    assert factories.reload(referral).status == ReferralStatus.ACCEPTED
    assert factories.reload(capacity).available == 0


def test_the_api_answers_409_and_accepts_when_resent_with_over_capacity(client, api):  # noqa: ANN001,F811
    api.service.capacity_decrements_on_accept = True
    capacity = api.service.capacities[0]
    capacity.available, capacity.status = 0, CapacityStatus.NO_CAPACITY
    database.session.commit()
    referral = factories.make_referral(api.client, api.service, api.counselor)
    url = f"/api/referrals/{referral.id}/transitions"
    refused = client.post(url, json={"to": "accepted", "version": 1}, headers=api.h["provider"])
    assert refused.status_code == 409
    body = refused.get_json()
    assert body["code"] == "no_room_left" and "over_capacity" in body["detail"]
    assert body["current"] == {"status": "sent", "version": 1}

    bad = client.post(
        url,
        json={"to": "accepted", "version": 1, "over_capacity": "yes"},
        headers=api.h["provider"],
    )
    assert bad.status_code == 422
    taken = client.post(
        url, json={"to": "accepted", "version": 1, "over_capacity": True}, headers=api.h["provider"]
    )
    assert taken.status_code == 200, taken.get_json()
    assert taken.get_json()["status"] == "accepted"


def test_taking_the_last_bed_takes_the_service_out_of_has_room_searches(world, db):  # noqa: ANN001
    from app.search import SearchRequest, search

    _one_place_left(world)
    with_room = SearchRequest(has_capacity=True)
    assert world.service.id in [r.service_id for r in search(with_room).results]
    referral = factories.make_referral(world.client, world.service, world.counselor)
    transition(referral, "accept", world.provider, expected_version=referral.version)
    db.session.commit()  # the index follows the commit (the conditional UPDATE is seen too)
    assert world.service.id not in [r.service_id for r in search(with_room).results]
