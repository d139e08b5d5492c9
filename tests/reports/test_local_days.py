"""Local calendar days counted by the database agree with app.clock, across DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import literal, select

from app.clock import local_date
from app.common import UTCDateTime
from app.reports.local_days import date_day, day_number, local_day, offset_changes

FIRST, LAST = date(2025, 12, 1), date(2026, 12, 31)


def test_every_half_hour_around_both_dst_changes_falls_on_its_local_day(db) -> None:  # noqa: ANN001
    moments = [
        datetime(2026, 3, 7, 0, 0, tzinfo=UTC) + timedelta(minutes=30 * i) for i in range(4 * 48)
    ]
    moments += [
        datetime(2026, 10, 31, 0, 0, tzinfo=UTC) + timedelta(minutes=30 * i) for i in range(4 * 48)
    ]
    moments += [
        datetime(2026, 1, 15, 4, 59, 59, tzinfo=UTC),
        datetime(2026, 7, 1, 3, 59, tzinfo=UTC),
    ]
    for moment in moments:
        found = db.session.scalar(select(local_day(literal(moment, UTCDateTime), FIRST, LAST)))
        assert found == day_number(local_date(moment)), moment


def test_a_date_is_its_own_day_number(db) -> None:  # noqa: ANN001
    for day in (date(1999, 12, 31), date(2026, 3, 8), date(2026, 11, 1)):
        assert db.session.scalar(select(date_day(literal(day)))) == day_number(day)


def test_two_changes_a_year_are_found_to_the_second() -> None:
    changes = offset_changes("America/New_York", FIRST, LAST)
    assert changes[0][1] == -5 * 3600
    assert [(datetime.fromtimestamp(at, UTC), off // 3600) for at, off in changes[1:]] == [
        (datetime(2026, 3, 8, 7, 0, tzinfo=UTC), -4),
        (datetime(2026, 11, 1, 6, 0, tzinfo=UTC), -5),
    ]
