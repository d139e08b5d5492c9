"""The network's calendar days inside SQL, on both databases, as day numbers (days since
1970-01-01), so "days from plan start to arranged" and "45 days before release" are counted in
local days by the database.

PostgreSQL converts a moment with timezone(). SQLite knows no time zones, so the moment's epoch
second is shifted by the UTC offset in force then: a CASE over the offset changes (DST) between
two moments, found once from zoneinfo; two changes a year, so a few dozen branches at most.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Date, Integer, case, cast, func, literal

from app.clock import network_zone
from app.common import UTCDateTime
from app.extensions import db

EPOCH = date(1970, 1, 1)
DAY = 86400


def is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _offset(zone: ZoneInfo, second: int) -> int:
    moment = datetime.fromtimestamp(second, UTC).astimezone(zone)
    return int(moment.utcoffset().total_seconds())  # type: ignore[union-attr]


@lru_cache(maxsize=64)
def offset_changes(zone_key: str, first: date, last: date) -> tuple[tuple[int, int], ...]:
    """((epoch second, offset in seconds from then on), ...) covering first..last: the offset
    at the start of `first`, then each change, found to the second by bisection."""
    zone = ZoneInfo(zone_key)
    start = int(datetime.combine(first - timedelta(days=1), datetime.min.time(), UTC).timestamp())
    stop = int(datetime.combine(last + timedelta(days=2), datetime.min.time(), UTC).timestamp())
    changes = [(start, _offset(zone, start))]
    for day_start in range(start, stop, DAY):
        before, after = _offset(zone, day_start), _offset(zone, day_start + DAY)
        if before == after:
            continue
        low, high = day_start, day_start + DAY  # offset(low) == before, offset(high) == after
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if _offset(zone, middle) == before else (low, middle)
        changes.append((high, after))
    return tuple(changes)


def local_day(moment: Any, first: date, last: date) -> ColumnElement[int]:
    """The local calendar day (as a day number) of a stored UTC moment between first and last."""
    zone = network_zone()
    if is_postgres():
        return cast(func.timezone(zone.key, moment), Date) - cast(literal(EPOCH), Date)
    second = cast(func.strftime("%s", moment), Integer)
    changes = offset_changes(zone.key, first, last)
    offset: Any = changes[0][1]
    if len(changes) > 1:
        # Compared as stored (the column against bound moments): one strftime per row.
        offset = case(
            *(
                (moment >= literal(datetime.fromtimestamp(at, UTC), UTCDateTime), value)
                for at, value in reversed(changes[1:])
            ),
            else_=changes[0][1],
        )
    return (second + offset) // DAY


def date_day(column: Any) -> ColumnElement[int]:
    """A DATE column as a day number, comparable with local_day()."""
    if is_postgres():
        return column - cast(literal(EPOCH), Date)
    return cast(func.strftime("%s", column), Integer) // DAY


def day_number(day: date) -> int:
    return (day - EPOCH).days
