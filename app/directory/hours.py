"""Weekly opening hours: reading Schedule rows for display and checking what a form entered.

Schedule rows follow HSDS (see the Schedule docstring): a weekday without a row is closed,
00:00-00:00 is open 24 hours, and a closing time earlier than the opening time runs past
midnight. Kept free of Flask so pages, cards and the API describe hours the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time

from app.directory.models import WEEKDAYS, Schedule

DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}

CLOSED = "closed"
OPEN = "open"
ALL_DAY = "24h"
MODES = ((CLOSED, "Closed"), (OPEN, "Open"), (ALL_DAY, "Open 24 hours"))

MIDNIGHT = time(0, 0)
NOT_LISTED = "Hours not listed — call"


@dataclass(frozen=True)
class DayHours:
    """What one weekday looks like on the hours form: closed, open between two times, or 24h."""

    mode: str = CLOSED
    opens: time | None = None
    closes: time | None = None

    @property
    def past_midnight(self) -> bool:
        return (
            self.mode == OPEN
            and self.opens is not None
            and self.closes is not None
            and self.closes < self.opens
            and self.closes != MIDNIGHT
        )


def day_errors(day: DayHours) -> dict[str, str]:
    """Problems with one weekday, keyed by "opens"/"closes"; empty when the day is fine."""
    if day.mode not in {CLOSED, OPEN, ALL_DAY}:
        return {"mode": "Choose Closed, Open or Open 24 hours."}
    if day.mode != OPEN:
        return {}
    errors = {}
    if day.opens is None:
        errors["opens"] = "Enter the opening time, or choose Closed."
    if day.closes is None:
        errors["closes"] = "Enter the closing time, or choose Closed."
    if not errors and day.opens == day.closes:
        errors["closes"] = (
            "The closing time is the same as the opening time. "
            "Choose Open 24 hours if it never closes."
        )
    return errors


def format_time(value: time, *, short: bool = False) -> str:
    """'8:00 am', '12:30 pm': the clock people read, not 24-hour time; short drops ':00'
    ('7 pm', '7:30 pm')."""
    if value == MIDNIGHT:
        return "midnight"
    if value == time(12, 0):
        return "noon"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if short and not value.minute:
        return f"{hour} {suffix}"
    return f"{hour}:{value.minute:02d} {suffix}"


def describe_interval(opens: time | None, closes: time | None) -> str:
    """One opening in words; closing before opening is labeled as the next day."""
    if opens is None or closes is None:
        return "Open (times not listed)"
    if opens == MIDNIGHT and closes == MIDNIGHT:
        return "Open 24 hours"
    text = f"{format_time(opens)} – {format_time(closes)}"
    if closes < opens and closes != MIDNIGHT:
        text += " (next day)"
    return text


def _weekly_days(schedule: Schedule) -> list[str]:
    freq = (schedule.freq or "WEEKLY").upper()
    if freq == "DAILY" and not schedule.byday:
        return list(WEEKDAYS)
    if freq not in {"WEEKLY", "DAILY"}:
        return []
    return schedule.days


def openings_by_day(
    schedules: Iterable[Schedule],
) -> dict[str, list[tuple[time | None, time | None]]]:
    """Each weekday's openings in time order; days with no row are absent (closed)."""
    days: dict[str, list[tuple[time | None, time | None]]] = {}
    for schedule in schedules:
        for code in _weekly_days(schedule):
            days.setdefault(code, []).append((schedule.opens_at, schedule.closes_at))
    for openings in days.values():
        openings.sort(key=lambda pair: pair[0] or MIDNIGHT)
    return days


def weekly_hours(schedules: Iterable[Schedule]) -> list[tuple[str, str]] | None:
    """Monday to Sunday as (day name, hours text); None when no hours are listed at all."""
    days = openings_by_day(schedules)
    if not days:
        return None
    rows = []
    for code in WEEKDAYS:
        openings = days.get(code)
        text = "; ".join(describe_interval(o, c) for o, c in openings) if openings else "Closed"
        rows.append((DAY_NAMES[code], text))
    return rows


def form_days(schedules: Iterable[Schedule]) -> tuple[dict[str, DayHours], list[str]]:
    """Current hours as form values, plus the days with more than one opening (the form keeps
    only the first, so the page warns about them)."""
    days = openings_by_day(schedules)
    values: dict[str, DayHours] = {}
    split: list[str] = []
    for code in WEEKDAYS:
        openings = days.get(code)
        if not openings:
            values[code] = DayHours(CLOSED)
            continue
        if len(openings) > 1:
            split.append(DAY_NAMES[code])
        opens, closes = openings[0]
        if opens == MIDNIGHT and closes == MIDNIGHT:
            values[code] = DayHours(ALL_DAY)
        else:
            values[code] = DayHours(OPEN, opens, closes)
    return values, split
