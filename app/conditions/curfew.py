"""Does a service's opening time fall inside a person's curfew? Pure: no queries, no Flask.

A curfew runs daily from `start` to `end`; an end earlier than the start runs overnight
(9 pm to 6 am). Opening hours follow the catalog (app.directory.hours): a closing time earlier
than the opening runs past midnight, 00:00-00:00 is open all day. The curfew applies every
day, so only the times of each opening matter, not the weekdays.

Verdicts: INSIDE when every listed opening lies wholly inside the curfew (the person cannot go
at any listed time: "Meets at 7–9 pm: after the 6 pm curfew"), PARTLY when some opening time
does, CLEAR when none does, UNKNOWN when the service lists no hours ("hours unknown").
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time
from typing import Any

from app.directory.hours import format_time

DAY = 24 * 60
MIDNIGHT = time(0, 0)


class CurfewFit(enum.StrEnum):
    INSIDE = "inside"
    PARTLY = "partly"
    CLEAR = "clear"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CurfewCheck:
    fit: CurfewFit
    message: str | None  # None when there is nothing to say (CLEAR)


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def clock(value: time) -> str:
    """'7 pm', '7:30 pm', 'midnight', 'noon' (the hours' own wording, short)."""
    return format_time(value, short=True)


def span(opens: time, closes: time) -> str:
    """'7–9 pm', '11 am–1 pm', '10 pm–2 am'."""
    first, last = clock(opens), clock(closes)
    same_half = (opens.hour < 12) == (closes.hour < 12) and " " in first and " " in last
    if same_half and closes > opens:
        return f"{first.rsplit(' ', 1)[0]}–{last}"
    return f"{first}–{last}"


def _curfew_intervals(start: time, end: time) -> list[tuple[int, int]]:
    """The curfew on a two-day line (minutes 0..2*DAY), so openings past midnight fit."""
    s, e = _minutes(start), _minutes(end)
    if s == e:
        return [(0, 2 * DAY)]  # round the clock
    if s < e:
        return [(s, e), (s + DAY, e + DAY)]
    return [(0, e), (s, e + DAY), (s + DAY, 2 * DAY)]


def _opening(opens: time, closes: time) -> tuple[int, int]:
    o, c = _minutes(opens), _minutes(closes)
    if c <= o:  # past midnight, or 00:00-00:00 = all day
        c += DAY
    return o, c


def _overlap(window: tuple[int, int], intervals: list[tuple[int, int]]) -> int:
    return sum(max(0, min(window[1], b) - max(window[0], a)) for a, b in intervals)


def openings(schedules: Iterable[Any]) -> list[tuple[time, time]]:
    """Distinct (opens, closes) of weekly or daily schedule rows, in time order."""
    found = {
        (row.opens_at, row.closes_at)
        for row in schedules
        if row.opens_at is not None
        and row.closes_at is not None
        and (row.freq or "WEEKLY").upper() in {"WEEKLY", "DAILY"}
    }
    return sorted(found)


def check_curfew(start: time, end: time, hours: list[tuple[time, time]]) -> CurfewCheck:
    """How a curfew from `start` to `end` meets these openings (see the module docstring)."""
    curfew_words = f"the {clock(start)}–{clock(end)} curfew"
    if not hours:
        return CurfewCheck(CurfewFit.UNKNOWN, f"Hours unknown: check them against {curfew_words}")
    intervals = _curfew_intervals(start, end)
    inside, partly = [], []
    for opens, closes in hours:
        window = _opening(opens, closes)
        covered = _overlap(window, intervals)
        if covered >= window[1] - window[0]:
            inside.append((opens, closes))
        elif covered:
            partly.append((opens, closes))
    if inside and not partly and len(inside) == len(hours):
        times = ", ".join(span(o, c) for o, c in inside)
        return CurfewCheck(CurfewFit.INSIDE, f"Meets at {times}: {_where(inside[0], start, end)}")
    if inside or partly:
        times = ", ".join(span(o, c) for o, c in inside + partly)
        return CurfewCheck(CurfewFit.PARTLY, f"Open {times}: partly inside {curfew_words}")
    return CurfewCheck(CurfewFit.CLEAR, None)


def _where(opening: tuple[time, time], start: time, end: time) -> str:
    """'after the 6 pm curfew' for an evening opening, else 'before the curfew ends at 6 am'."""
    s, e, o = _minutes(start), _minutes(end), _minutes(opening[0])
    overnight = s > e
    if (overnight and o >= s) or (not overnight and s <= o):
        return f"after the {clock(start)} curfew"
    return f"before the curfew ends at {clock(end)}"
