"""A real race: two sessions on two connections both load version N and both save.

Runs on the SQLite file database and, with TEST_DATABASE_URL, on PostgreSQL. Exactly one save
may win; the other must get StaleCapacityError naming the winner, and the database must hold
the winner's figure with exactly one history row.
"""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.directory import capacity as rules
from app.directory.models import CapacityHistory, ServiceCapacity
from app.extensions import db as database
from tests import factories


def _setup():  # noqa: ANN202
    org = factories.make_organization()
    service = factories.make_service(org)
    first = factories.make_user(Role.PROVIDER, organizations=[org], name="First Saver")
    second = factories.make_user(Role.PROVIDER, organizations=[org], name="Second Saver")
    capacity = factories.make_capacity(service, available=5, maximum=10)
    return capacity.id, first.id, second.id


def _history_count(capacity_id: str) -> int:
    return database.session.scalar(
        select(func.count())
        .select_from(CapacityHistory)
        .where(CapacityHistory.capacity_id == capacity_id)
    )


def test_interleaved_sessions_exactly_one_save_wins(app):  # noqa: ANN001
    capacity_id, first_id, second_id = _setup()
    with app.app_context():  # session 1 loads version 1 ...
        mine = database.session.get(ServiceCapacity, capacity_id)
        assert mine.version == 1
        with app.app_context():  # ... session 2 loads version 1, saves and commits first
            theirs = database.session.get(ServiceCapacity, capacity_id)
            rules.update_capacity(
                theirs,
                actor=database.session.get(User, second_id),
                expected_version=1,
                available=2,
                maximum=10,
            )
            database.session.commit()
        try:
            rules.update_capacity(
                mine,
                actor=database.session.get(User, first_id),
                expected_version=1,
                available=4,
                maximum=10,
            )
            database.session.commit()
            raise AssertionError("the second save must not succeed")
        except rules.StaleCapacityError as conflict:
            database.session.rollback()
            assert conflict.current.available == 2
            assert conflict.current.version == 2
            assert conflict.current.updated_by_name == "Second Saver"
    database.session.expire_all()
    stored = database.session.get(ServiceCapacity, capacity_id)
    assert (stored.available, stored.version) == (2, 2)
    assert _history_count(capacity_id) == 1


def test_two_threads_saving_at_once_exactly_one_wins(app):  # noqa: ANN001
    capacity_id, first_id, second_id = _setup()
    both_loaded = threading.Barrier(2, timeout=20)
    results: dict[str, object] = {}

    def save(user_id: str, available: int) -> None:
        try:
            with app.app_context():
                capacity = database.session.get(ServiceCapacity, capacity_id)
                version = capacity.version
                _ = capacity.unit, capacity.service  # load everything before racing
                both_loaded.wait()
                try:
                    rules.update_capacity(
                        capacity,
                        actor=database.session.get(User, user_id),
                        expected_version=version,
                        available=available,
                        maximum=10,
                    )
                    database.session.commit()
                    results[user_id] = "saved"
                except rules.StaleCapacityError as conflict:
                    database.session.rollback()
                    results[user_id] = conflict
        except Exception as exc:  # noqa: BLE001 - reported by the assertions below
            results[user_id] = exc

    threads = [
        threading.Thread(target=save, args=(first_id, 1)),
        threading.Thread(target=save, args=(second_id, 7)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    outcomes = list(results.values())
    assert len(outcomes) == 2, results
    assert outcomes.count("saved") == 1, results
    [conflict] = [o for o in outcomes if o != "saved"]
    assert isinstance(conflict, rules.StaleCapacityError), repr(conflict)
    winner = next(uid for uid, o in results.items() if o == "saved")
    winner_value = 1 if winner == first_id else 7
    assert conflict.current.available == winner_value
    assert conflict.current.version == 2

    database.session.expire_all()
    stored = database.session.get(ServiceCapacity, capacity_id)
    assert (stored.available, stored.version, stored.updated_by_id) == (winner_value, 2, winner)
    assert _history_count(capacity_id) == 1
