"""Is a service open at a given moment? Schedule semantics as in app.directory.models.Schedule:
a weekday without a row is closed, 00:00-00:00 is open all day, and a closing time earlier than
the opening time runs past midnight into the next day (so Friday 22:00-06:00 is open at 02:00 on
Saturday). Schedules hold local wall-clock times; `local_now` converts an aware moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from app.directory.models import WEEKDAYS

MIDNIGHT = time(0, 0)


def local_now(now: datetime | None = None) -> datetime:
    """A naive local wall-clock time in the network's time zone (app.common.local_time):
    aware moments are converted, naive ones taken as already local."""
    from app.common import local_time

    if now is not None and now.tzinfo is None:
        return now
    return local_time(now).replace(tzinfo=None)


def _days(schedule: Any) -> list[str]:
    freq = (schedule.freq or "WEEKLY").upper()
    byday = [d.strip() for d in (schedule.byday or "").split(",") if d.strip() in WEEKDAYS]
    if freq == "DAILY" and not byday:
        return list(WEEKDAYS)
    return byday if freq in {"WEEKLY", "DAILY"} else []


def _valid_on(schedule: Any, day: date) -> bool:
    if schedule.valid_from is not None and day < schedule.valid_from:
        return False
    return not (schedule.valid_to is not None and day > schedule.valid_to)


def is_open_at(schedules: Iterable[Any], moment: datetime) -> bool | None:
    """True/False from the schedules at local time `moment`; None when no hours are listed."""
    schedules = list(schedules)
    if not schedules:
        return None
    today, clock = moment.date(), moment.time()
    yesterday = today - timedelta(days=1)
    code_today, code_yesterday = WEEKDAYS[today.weekday()], WEEKDAYS[yesterday.weekday()]
    for s in schedules:
        opens, closes = s.opens_at, s.closes_at
        if opens is None or closes is None:
            continue
        days = _days(s)
        if code_today in days and _valid_on(s, today):
            if opens == MIDNIGHT and closes == MIDNIGHT:
                return True
            if closes == MIDNIGHT or closes < opens:  # runs to (or past) midnight
                if clock >= opens:
                    return True
            elif opens <= clock < closes:
                return True
        overnight = closes < opens and closes != MIDNIGHT
        if overnight and code_yesterday in days and _valid_on(s, yesterday) and clock < closes:
            return True
    return False
