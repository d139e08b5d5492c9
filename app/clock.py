"""The one clock and the one local calendar.

Moments are stored and compared in UTC; calendar days ("today", "2 days ago", a form's default
date, a report's week) are days in the network's time zone (config TIMEZONE). Every rule asks
here, so a test that freezes `datetime.now` (time-machine) freezes the whole app.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "America/New_York"


def utcnow() -> datetime:
    """Now, as an aware UTC datetime: the only place the app reads the wall clock."""
    return datetime.now(UTC)


def network_zone() -> ZoneInfo:
    """The network's own time zone (TIMEZONE): people read and enter times in it; stored
    moments stay UTC. Outside an app context, the default."""
    from flask import current_app, has_app_context

    name = current_app.config.get("TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_TIMEZONE)


def local_time(moment: datetime | None = None) -> datetime:
    """A moment (now by default) as an aware time in the network's time zone; naive = UTC."""
    moment = moment or utcnow()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(network_zone())


def local_date(moment: datetime) -> date:
    """The calendar day a moment falls on where the network is (6 pm Hartford is not tomorrow)."""
    return local_time(moment).date()


def local_today(now: datetime | None = None) -> date:
    """Today's date in the network's time zone."""
    return local_time(now or utcnow()).date()


def days_between(earlier: datetime, later: datetime | None = None) -> int:
    """Calendar days from one moment to another (now by default), counted locally."""
    return (local_date(later or utcnow()) - local_date(earlier)).days


def local_midnight(day: date) -> datetime:
    """The UTC moment a local calendar day starts (23 or 25 hours long across a DST change)."""
    return datetime.combine(day, time.min, tzinfo=network_zone()).astimezone(UTC)


def local_day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start of `start`, start of the day after `end`) as UTC moments, for date-range filters."""
    return local_midnight(start), local_midnight(end + timedelta(days=1))
