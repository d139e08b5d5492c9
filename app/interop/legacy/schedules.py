"""Opening hours. We store weekly hours only (one row per weekday and opening, HSDS 3.x
freq WEEKLY + byday). A 1.x row is kept exactly or dropped with the reason — never published
with a meaning it did not have (a fortnightly or monthly rule is not weekly; a numbered weekday
whose numbering the file does not show is not guessed).

- 1.1 regular_schedules.csv: weekday + opens_at + closes_at -> one weekly schedule row.
- 1.1 holiday_schedules.csv: closures and special hours on dates; we have no place for those,
  so every row is reported (dropped) with that reason.
- 2.0 schedules.csv: already RRULE-shaped; kept when it is a plain weekly rule.
"""

from __future__ import annotations

import re
from datetime import date

from app.clock import network_zone
from app.interop.legacy.common import Out, cell, legacy_id
from app.interop.legacy.files import LegacyFile
from app.interop.legacy.report import FileReport

CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
NAMES = {name: code for code, full in zip(CODES, ["monday", "tuesday", "wednesday", "thursday",
         "friday", "saturday", "sunday"], strict=True)
         for name in (full, full[:3], full[:2], code.lower())}  # fmt: skip
NAMES.update({"tues": "TU", "thur": "TH", "thurs": "TH"})
TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([ap]\.?m\.?)?$", re.IGNORECASE)
OWNERS = ("service_id", "location_id", "service_at_location_id")
NOT_WEEKLY = ("count", "until", "byweekno", "bymonthday", "byyearday")


def parse_time(text: str) -> str | None:
    """'9:00', '09:00:00', '9am', '5:30 PM' -> 'HH:MM:SS'; None when it is not a time."""
    found = TIME.match(text.strip())
    if not found:
        return None
    hour, minute, second = int(found[1]), int(found[2] or 0), int(found[3] or 0)
    meridiem = (found[4] or "").lower().replace(".", "")
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    elif found[2] is None:
        return None  # a bare number is not a time
    if hour == 24 and minute == second == 0:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    return f"{hour:02}:{minute:02}:{second:02}"


def _numbering(src: LegacyFile) -> dict[str, str] | None:
    """How this file numbers weekdays: 0 = Sunday (0-6), 7 = Sunday (ISO 1-7); None when only
    1-6 appear, which reads either way."""
    numbers = {cell(row, "weekday") for _n, row in src.rows if cell(row, "weekday").isdigit()}
    if "0" in numbers and "7" not in numbers:
        return dict(zip("0123456", ["SU", *CODES[:6]], strict=True))
    if "7" in numbers and "0" not in numbers:
        return dict(zip("1234567", CODES, strict=True))
    return None


def _owners(row: dict[str, str]) -> dict[str, str | None]:
    return {key: legacy_id(key.removesuffix("_id"), row.get(key)) for key in OWNERS}


def _hours(row: dict[str, str]) -> tuple[str | None, str | None, str | None]:
    """(opens, closes, reason to drop)."""
    opens_text, closes_text = cell(row, "opens_at"), cell(row, "closes_at")
    if not opens_text or not closes_text:
        return None, None, "opens_at or closes_at is missing"
    opens, closes = parse_time(opens_text), parse_time(closes_text)
    if opens is None or closes is None:
        return None, None, "opens_at or closes_at is not a time"
    return opens, closes, None


def regular_schedules(src: LegacyFile, out: Out, report: FileReport) -> set[str]:
    numbering = _numbering(src)
    for row_no, row in src.rows:
        report.read += 1
        owners = _owners(row)
        weekday = cell(row, "weekday").lower()
        day = NAMES.get(weekday.rstrip("."))
        if weekday.isdigit():
            day = (numbering or {}).get(weekday)
            if numbering is None:
                report.drop(row_no, "weekday is a number and the file does not show whether 1 "
                            "is Sunday or Monday")  # fmt: skip
                continue
        if not any(owners.values()):
            report.drop(row_no, "belongs to no service or location")
            continue
        if day is None:
            report.drop(row_no, "weekday is not a day of the week")
            continue
        opens, closes, reason = _hours(row)
        if reason:
            report.drop(row_no, reason)
            continue
        out.add(src.name, row_no, {"id": legacy_id("regular_schedule", row.get("id")),
                                   **owners, "freq": "WEEKLY", "byday": day,
                                   "opens_at": opens, "closes_at": closes})  # fmt: skip
        report.converted += 1
    return {"id", "weekday", "opens_at", "closes_at", *OWNERS}


def holiday_schedules(src: LegacyFile, report: FileReport) -> None:
    for row_no, _row in src.rows:
        report.read += 1
        report.drop(row_no, "holiday closures and special hours are not stored; check the "
                    "published hours around these dates")  # fmt: skip


def _starts(row: dict) -> tuple[str, str | None]:
    """The day the hours start: valid_from, or dtstart's day when that is later (a rule that
    starts next month must not be published as today's hours). (value, reason to drop)."""
    valid_from, dtstart = cell(row, "valid_from"), cell(row, "dtstart")
    if not dtstart:
        return valid_from, None
    try:
        first = date.fromisoformat(dtstart[:10])
    except ValueError:
        return valid_from, f"dtstart {dtstart!r} is not a date; the hours' first day is unknown"
    try:
        if valid_from and date.fromisoformat(valid_from[:10]) >= first:
            return valid_from, None
    except ValueError:
        return valid_from, None  # the importer reports a bad valid_from at its column
    return first.isoformat(), None


def schedules(src: LegacyFile, out: Out, report: FileReport) -> set[str]:
    """HSDS 2.0 schedules.csv: only plain weekly rules are kept."""
    zone = network_zone().key
    for row_no, row in src.rows:
        report.read += 1
        owners = _owners(row)
        freq, interval = cell(row, "freq").upper(), cell(row, "interval")
        days = [d.strip().upper() for d in cell(row, "byday").split(",") if d.strip()]
        reason = None
        if not any(owners.values()):
            reason = "belongs to no service or location"
        elif freq not in ("", "WEEKLY"):
            reason = f"freq {freq} is not weekly; only weekly hours are stored"
        elif interval not in ("", "1"):
            reason = "repeats every few weeks (interval); only every-week hours are stored"
        elif any(cell(row, key) for key in NOT_WEEKLY):
            reason = "has count, until, byweekno, bymonthday or byyearday; not a plain weekly rule"
        elif not days or any(d not in CODES for d in days):
            reason = "byday is missing or is not a list of weekdays (MO, TU ...)"
        elif cell(row, "timezone") and cell(row, "timezone") != zone:
            reason = f"timezone {cell(row, 'timezone')} is not the network's ({zone})"
        opens, closes, bad_hours = _hours(row)
        reason = reason or bad_hours
        starts, bad_start = _starts(row)
        reason = reason or bad_start
        if reason:
            report.drop(row_no, reason)
            continue
        if starts != cell(row, "valid_from"):
            report.note(row_no, "valid from dtstart (the rule starts then)")
        out.add(src.name, row_no, {
            "id": legacy_id("schedule", row.get("id")), **owners, "freq": "WEEKLY",
            "byday": ",".join(days), "opens_at": opens, "closes_at": closes,
            "valid_from": starts, "valid_to": cell(row, "valid_to"),
            "description": row.get("description"),
        })  # fmt: skip
        report.converted += 1
    return {"id", "freq", "interval", "byday", "opens_at", "closes_at", "valid_from", "valid_to",
            "description", "timezone", "wkst", "dtstart", *OWNERS, *NOT_WEEKLY}  # fmt: skip
