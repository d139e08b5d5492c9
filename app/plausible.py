"""Which dates (and how long a list) a person could really mean, in one place.

Forms (the `PlausibleDate` and `MaxLines` validators) and services (`problem_with`,
`list_problem`) both ask here, so a page and the API refuse the same birth date in 2090, intake
on 9999-12-31 or a 20,000-line "what to bring" with the same words, and nothing that far out
reaches arithmetic that overflows or a card that runs to 80 pages. "Today" is the network's day.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from wtforms.validators import ValidationError

from app.clock import latest_today, local_today


class DateKind(StrEnum):
    BIRTH = "birth"
    RELEASED = "released"  # released on (already happened)
    PROJECTED_RELEASE = "projected_release"
    CONSENT_SIGNED = "consent_signed"
    CONSENT_EXPIRES = "consent_expires"
    INTAKE = "intake"
    WAITLIST_EXPECTED = "waitlist_expected"
    NEEDED_BY = "needed_by"
    PLAN_ITEM_DUE = "plan_item_due"  # a release plan item's due date
    SITE_VISIT = "site_visit"
    REPORT = "report"  # either end of a report's period


# kind -> (years back, years ahead) from the network's today; 0 ahead means "not in the future".
RANGES: dict[DateKind, tuple[int, int]] = {
    DateKind.BIRTH: (120, 0),
    DateKind.RELEASED: (80, 0),
    DateKind.PROJECTED_RELEASE: (20, 100),
    DateKind.CONSENT_SIGNED: (20, 0),
    DateKind.CONSENT_EXPIRES: (20, 100),
    DateKind.INTAKE: (5, 5),
    DateKind.WAITLIST_EXPECTED: (5, 10),
    DateKind.NEEDED_BY: (5, 10),
    DateKind.PLAN_ITEM_DUE: (5, 10),
    DateKind.SITE_VISIT: (30, 0),
    DateKind.REPORT: (50, 5),
}


def _years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def date_range(kind: DateKind, today: date | None = None) -> tuple[date, date]:
    """The earliest and latest date accepted for `kind`, both included.

    "Not in the future" ends at the later of the network's and UTC's today: code that stamps
    dates in UTC (and the people it shows them to) must never be told their today is tomorrow.
    """
    today = today or local_today()
    back, ahead = RANGES[kind]
    latest = _years(today, ahead) if ahead else max(today, latest_today())
    return _years(today, -back), latest


def problem_with(kind: DateKind, value: date | None, today: date | None = None) -> str | None:
    """None when `value` is plausible for `kind` (or missing); otherwise the message to show."""
    if value is None:
        return None
    earliest, latest = date_range(kind, today)
    if value > latest:
        if not RANGES[kind][1]:
            return "This date cannot be in the future."
        return f"Enter a date no later than {latest:%B} {latest.day}, {latest.year}."
    if value < earliest:
        return f"Enter a date no earlier than {earliest:%B} {earliest.day}, {earliest.year}."
    return None


def first_problem(
    *checks: tuple[str, DateKind, date | None], today: date | None = None
) -> tuple[str, str] | None:
    """(field, message) for the first implausible date of (field, kind, value) checks, or None."""
    for field, kind, value in checks:
        message = problem_with(kind, value, today)
        if message:
            return field, message
    return None


class PlausibleDate:
    """WTForms validator: the field's date lies in the range for `kind` (empty passes)."""

    def __init__(self, kind: DateKind) -> None:
        self.kind = kind

    def __call__(self, form: object, field: object) -> None:
        message = problem_with(self.kind, getattr(field, "data", None))
        if message:
            raise ValidationError(message)


MAX_LIST_LINES = 30  # a list a person reads: what to bring, documents required


def list_problem(text: str | None, max_lines: int = MAX_LIST_LINES) -> str | None:
    """None when `text` has at most `max_lines` non-empty lines; otherwise the message."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    if len(lines) > max_lines:
        return f"Keep this to {max_lines} lines or fewer (it has {len(lines)})."
    return None


class MaxLines:
    """WTForms validator: at most `max_lines` non-empty lines."""

    def __init__(self, max_lines: int = MAX_LIST_LINES) -> None:
        self.max_lines = max_lines

    def __call__(self, form: object, field: object) -> None:
        message = list_problem(getattr(field, "data", None), self.max_lines)
        if message:
            raise ValidationError(message)
