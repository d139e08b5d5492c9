"""Small-cell suppression: a count of 1-4 could point to a person, so it is never shown.

The same rule is used on screen and in every CSV, so a download never reveals what the page hid.
Rates and percentiles built on fewer than 5 referrals are withheld for the same reason.
"""

from __future__ import annotations

THRESHOLD = 5
FEWER_THAN = "fewer than 5"
WITHHELD = "not shown (fewer than 5)"


def is_small(count: int | None) -> bool:
    return count is not None and 0 < count < THRESHOLD


def show_count(count: int | None) -> str:
    """0 stays 0 (it points to nobody); 1-4 becomes "fewer than 5"."""
    if count is None:
        return "—"
    return FEWER_THAN if is_small(count) else str(count)


def show_rate(numerator: int, denominator: int) -> str:
    """A percentage, withheld when its base is too small to hide a person."""
    if denominator == 0:
        return "—"
    if denominator < THRESHOLD or is_small(numerator) or is_small(denominator - numerator):
        return WITHHELD
    return f"{round(100 * numerator / denominator)}%"


def show_hours(seconds: float | None, base: int) -> str:
    """A duration in hours, withheld when fewer than 5 referrals make it up."""
    if seconds is None or base == 0:
        return "—"
    if base < THRESHOLD:
        return WITHHELD
    return format_hours(seconds)


def format_hours(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 3600:.1f} hours"
