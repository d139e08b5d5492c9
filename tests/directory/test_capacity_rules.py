"""Capacity rules called directly: staleness, room, summaries, validation, history, locking."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.common import utcnow
from app.directory import capacity as rules
from app.directory.models import CapacityHistory, ServiceCapacity
from app.directory.vocabulary import CapacityStatus
from app.extensions import db as database
from tests import factories


@pytest.fixture
def setup(db):  # noqa: ANN001,ANN201
    org = factories.make_organization()
    service = factories.make_service(org, name="Hope House")
    staff = factories.make_user(Role.PROVIDER, organizations=[org], name="Ann Provider")
    return org, service, staff


def history_of(capacity: ServiceCapacity) -> list[CapacityHistory]:
    return list(
        database.session.scalars(
            select(CapacityHistory)
            .where(CapacityHistory.capacity_id == capacity.id)
            .order_by(CapacityHistory.changed_at)
        )
    )


# --- staleness and room -------------------------------------------------------------------------


def test_staleness_boundary_at_fourteen_days(setup):  # noqa: ANN001
    _, service, _ = setup
    fresh = factories.make_capacity(service, age_days=13.9)
    stale = factories.make_capacity(
        service, age_days=14.1, unit=factories.make_unit("program_slot", "Program slots")
    )
    assert not rules.is_stale(fresh)
    assert rules.is_stale(stale)


def test_staleness_honours_configured_days(app, setup, monkeypatch):  # noqa: ANN001
    _, service, _ = setup
    capacity = factories.make_capacity(service, age_days=8)
    assert not rules.is_stale(capacity)
    monkeypatch.setitem(app.config, "CAPACITY_STALE_DAYS", 7)
    assert rules.is_stale(capacity)
    assert not rules.has_room(capacity)
    assert rules.is_stale(capacity, stale_days=30) is False


def test_injected_clock_decides_staleness(setup):  # noqa: ANN001
    _, service, _ = setup
    capacity = factories.make_capacity(service)
    later = utcnow() + timedelta(days=15)
    assert rules.has_room(capacity)
    assert rules.is_stale(capacity, now=later)
    assert not rules.has_room(capacity, now=later)


def test_stale_figure_never_has_room_even_with_beds_open(setup):  # noqa: ANN001
    _, service, _ = setup
    capacity = factories.make_capacity(
        service, available=5, maximum=10, status=CapacityStatus.HAS_CAPACITY, age_days=20
    )
    assert not rules.has_room(capacity)
    assert not rules.service_has_room(service)
    assert rules.capacity_summary(service) == "Unknown — figure is 20 days old"


@pytest.mark.parametrize(
    ("available", "status", "expected"),
    [
        (3, CapacityStatus.HAS_CAPACITY, True),
        (None, CapacityStatus.HAS_CAPACITY, True),
        (0, CapacityStatus.HAS_CAPACITY, False),
        (0, CapacityStatus.NO_CAPACITY, False),
        (2, CapacityStatus.WAITLIST, False),
        (2, CapacityStatus.ASSESSMENT_REQUIRED, False),
    ],
)
def test_room_needs_has_capacity_and_a_bed(setup, available, status, expected):  # noqa: ANN001
    _, service, _ = setup
    capacity = factories.make_capacity(service, available=available, status=status)
    assert rules.has_room(capacity) is expected
    assert rules.service_has_room(service) is expected


def test_summaries_in_plain_words(setup):  # noqa: ANN001
    _, service, _ = setup
    assert rules.capacity_summary(service) == "No capacity listed"
    capacity = factories.make_capacity(service, available=3, maximum=10)
    capacity.updated = factories.local_days_ago(2)
    database.session.refresh(service)
    assert rules.capacity_summary(service) == "3 of 10 beds open · updated 2 days ago"
    capacity.available, capacity.status = 0, CapacityStatus.NO_CAPACITY
    capacity.updated = utcnow()
    assert rules.capacity_summary(service) == "Full · updated today"
    capacity.status, capacity.waitlist_length, capacity.expected_wait = "waitlist", 12, "3 weeks"
    assert rules.capacity_summary(service).startswith("Waitlist (12 waiting, about 3 weeks)")


# --- changes and history ------------------------------------------------------------------------


def test_each_change_appends_history_with_old_and_new_values(db, setup):  # noqa: ANN001
    _, service, staff = setup
    capacity = rules.add_capacity(
        service, unit=factories.make_unit(), available=4, maximum=10, actor=staff
    )
    db.session.commit()
    assert capacity.version == 1
    rules.update_capacity(capacity, actor=staff, expected_version=1, available=2, maximum=12)
    db.session.commit()
    rules.mark_full(capacity, actor=staff, expected_version=2)
    db.session.commit()
    rules.confirm_capacity(capacity, actor=staff, expected_version=3)
    db.session.commit()

    rows = history_of(capacity)
    assert [r.action for r in rows] == ["create", "update", "mark_full", "confirm"]
    assert [(r.old_available, r.new_available) for r in rows] == [(None, 4), (4, 2), (2, 0), (0, 0)]
    assert [(r.old_maximum, r.new_maximum) for r in rows] == [
        (None, 10),
        (10, 12),
        (12, 12),
        (12, 12),
    ]
    assert [r.new_status for r in rows] == [
        "has-capacity",
        "has-capacity",
        "no-capacity",
        "no-capacity",
    ]
    assert rows[2].old_status == "has-capacity"
    assert {r.changed_by_id for r in rows} == {staff.id}
    factories.reload(capacity)
    assert (capacity.available, capacity.maximum, capacity.status) == (0, 12, "no-capacity")
    assert capacity.updated_by_id == staff.id
    assert capacity.version == 4


def test_status_follows_the_number_unless_chosen(db, setup):  # noqa: ANN001
    _, service, staff = setup
    capacity = factories.make_capacity(service, available=3)
    rules.update_capacity(capacity, actor=staff, expected_version=1, available=0, maximum=10)
    assert capacity.status == CapacityStatus.NO_CAPACITY
    rules.update_capacity(
        capacity,
        actor=staff,
        expected_version=2,
        available=0,
        maximum=10,
        status="waitlist",
        waitlist_length=12,
        expected_wait="3 weeks",
    )
    assert capacity.status == CapacityStatus.WAITLIST
    assert capacity.waitlist_length == 12
    rules.update_capacity(capacity, actor=staff, expected_version=3, available=1, maximum=10)
    assert capacity.status == CapacityStatus.HAS_CAPACITY


def test_confirm_makes_a_stale_figure_fresh_without_changing_it(db, setup):  # noqa: ANN001
    _, service, staff = setup
    capacity = factories.make_capacity(service, available=3, maximum=10, age_days=30)
    assert rules.is_stale(capacity)
    rules.confirm_capacity(capacity, actor=staff, expected_version=1)
    db.session.commit()
    factories.reload(capacity)
    assert not rules.is_stale(capacity)
    assert rules.has_room(capacity)
    assert (capacity.available, capacity.maximum) == (3, 10)
    assert [r.action for r in history_of(capacity)] == ["confirm"]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"available": -1, "maximum": 10}, "available", "cannot be a negative number"),
        ({"available": 2, "maximum": -3}, "maximum", "cannot be a negative number"),
        ({"available": 11, "maximum": 10}, "available", rules.AVAILABLE_OVER_MAXIMUM),
        (
            {"available": 1, "maximum": 10, "waitlist_length": -2},
            "waitlist_length",
            "cannot be a negative number",
        ),
        ({"available": 0, "maximum": 10, "status": "has-capacity"}, "status", "None are open"),
    ],
)
def test_invalid_figures_are_refused_and_nothing_changes(db, setup, values, field, message):  # noqa: ANN001
    _, service, staff = setup
    capacity = factories.make_capacity(service, available=3, maximum=10)
    with pytest.raises(rules.CapacityError) as caught:
        rules.update_capacity(capacity, actor=staff, expected_version=1, **values)
    assert caught.value.field == field
    assert message in caught.value.message
    db.session.rollback()
    factories.reload(capacity)
    assert (capacity.available, capacity.maximum, capacity.version) == (3, 10, 1)
    assert history_of(capacity) == []


def test_adding_a_second_figure_for_the_same_unit_is_refused(db, setup):  # noqa: ANN001
    _, service, staff = setup
    factories.make_capacity(service)
    with pytest.raises(rules.CapacityError, match="already lists beds"):
        rules.add_capacity(service, unit=factories.make_unit(), available=1, maximum=2, actor=staff)


# --- optimistic locking -------------------------------------------------------------------------


def test_old_version_is_refused_with_the_current_figure(db, setup):  # noqa: ANN001
    _, service, staff = setup
    capacity = factories.make_capacity(service, available=3, maximum=10)
    rules.update_capacity(capacity, actor=staff, expected_version=1, available=2, maximum=10)
    db.session.commit()
    with pytest.raises(rules.StaleCapacityError) as caught:
        rules.mark_full(capacity, actor=staff, expected_version=1)
    current = caught.value.current
    assert (current.available, current.maximum, current.version) == (2, 10, 2)
    assert current.updated_by_name == "Ann Provider"
    assert "It now says 2 of 10 beds open, Has room." in caught.value.message
    assert "(Ann Provider)" in caught.value.message
    db.session.rollback()
    factories.reload(capacity)
    assert capacity.available == 2
