"""Small-cell suppression: a count of 1-4 could point to a person, so it is never shown.

The same rule is used on screen and in every CSV, so a download never reveals what the page hid;
tables with totals also get complementary suppression (`Linked`, `protect`, below).
Rates and percentiles built on fewer than 5 referrals are withheld for the same reason.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

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


def show_days(days: int | None, base: int) -> str:
    """Whole local days, withheld when fewer than 5 items make it up."""
    if days is None or base == 0:
        return "—"
    if base < THRESHOLD:
        return WITHHELD
    return "1 day" if days == 1 else f"{days} days"


def format_hours(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 3600:.1f} hours"


# --- complementary suppression ------------------------------------------------------------------
#
# Hiding 1-4 is not enough when a table also shows totals: Accepted = 10 with months "fewer than
# 5" and 7 gives the hidden month away (10 - 7 = 3). So counts shown together (one page and its
# CSV) are registered with the sums that tie them, and `protect` hides more cells until no
# hidden cell follows from the shown ones by any combination of those sums. Every hidden cell
# then reads the same (SUPPRESSED): a separate "fewer than 5" label would tell which hidden cells
# are small, and with that bound subtraction can still pin one down (a + b = 6, a < 5, b >= 5).

SUPPRESSED = "not shown"
SUPPRESSED_NOTE = (
    "'not shown' marks a count from 1 to 4, or a count from which one could be worked out by "
    "subtracting the shown figures from a total."
)


@dataclass(frozen=True)
class Count:
    """A count placed in a table; shown as a number or SUPPRESSED once the table is protected."""

    key: Hashable
    value: int


@dataclass(frozen=True)
class Derived:
    """A figure worked out from counts (a share, a median): SUPPRESSED once any of the counts
    it is built on is hidden, since it would give that count back (a share times its base)."""

    keys: tuple[Hashable, ...]
    text: str


class Linked:
    """The counts of one page (and its CSV) and the sums between them."""

    def __init__(self) -> None:
        self.values: dict[Hashable, int] = {}
        self.sums: list[tuple[Hashable, tuple[Hashable, ...]]] = []

    def count(self, key: Hashable, value: int | None) -> Count:
        self.values[key] = int(value or 0)
        return Count(key, int(value or 0))

    def total_of(self, total: Hashable, parts: Iterable[Hashable]) -> None:
        """`total` equals the sum of `parts` (all registered before, so none is forgotten)."""
        parts = tuple(parts)
        missing = [key for key in (total, *parts) if key not in self.values]
        if missing:
            raise KeyError(f"register these counts before their sum: {missing}")
        if parts:
            self.sums.append((total, parts))

    def hidden(self) -> set[Hashable]:
        return protect(self.values, self.sums)

    def render(self, rows: list[tuple], hidden: set[Hashable]) -> list[tuple[str, ...]]:
        return [tuple(_render(cell, hidden) for cell in row) for row in rows]


def _render(cell: object, hidden: set[Hashable]) -> object:
    if isinstance(cell, Count):
        return SUPPRESSED if cell.key in hidden else str(cell.value)
    if isinstance(cell, Derived):
        return SUPPRESSED if any(key in hidden for key in cell.keys) else cell.text
    return cell


def protect(
    values: Mapping[Hashable, int], sums: Iterable[tuple[Hashable, Sequence[Hashable]]]
) -> set[Hashable]:
    """The cells to hide: every 1-4, then complementary cells until none can be derived."""
    sums = [(total, tuple(parts)) for total, parts in sums]
    hidden = {key for key, value in values.items() if is_small(value)}
    while (extra := _next_to_hide(values, sums, hidden)) is not None:
        hidden.add(extra)
    return hidden


def _cheapest(cells: Iterable[Hashable], values: Mapping[Hashable, int]) -> Hashable | None:
    """The shown cell whose hiding loses least: the smallest non-zero count first."""
    ranked = sorted(cells, key=lambda c: (values[c] == 0, values[c], repr(c)))
    return ranked[0] if ranked else None


def _next_to_hide(values, sums, hidden) -> Hashable | None:  # noqa: ANN001
    for total, parts in sums:
        cells = (total, *parts)
        hidden_here = [c for c in cells if c in hidden]
        if not hidden_here:
            continue
        shown_parts = [p for p in parts if p not in hidden]
        recovered = sum(values[p] for p in parts if p in hidden) if total not in hidden else None
        if len(hidden_here) == 1 or (recovered is not None and 0 < recovered < THRESHOLD):
            # One hidden cell is the total minus the rest; a small recoverable sum of hidden
            # cells is itself a small count.
            extra = _cheapest(shown_parts, values)
            if extra is None and total not in hidden:
                extra = total
            if extra is not None:
                return extra
    for cell in sorted(hidden, key=repr):
        if _derivable(cell, sums, hidden):
            around = {c for t, p in sums if cell in (t, *p) for c in (t, *p) if c not in hidden}
            anywhere = {c for t, p in sums for c in (t, *p) if c not in hidden}
            extra = _cheapest(around or anywhere, values)
            if extra is not None:
                return extra
    return None


def _derivable(cell: Hashable, sums, hidden) -> bool:  # noqa: ANN001
    """Whether the sums, with every shown cell known, fix `cell` exactly: its unit vector lies
    in the row space of the sums restricted to the hidden cells (exact rational arithmetic)."""
    unknowns = sorted(hidden, key=repr)
    index = {c: i for i, c in enumerate(unknowns)}
    rows = []
    for total, parts in sums:
        row = [Fraction(0)] * len(unknowns)
        if total in index:
            row[index[total]] += 1
        for p in parts:
            if p in index:
                row[index[p]] -= 1
        if any(row):
            rows.append(row)
    unit = [Fraction(int(c == cell)) for c in unknowns]
    return _rank([*rows, unit]) == _rank(rows)


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [list(r) for r in rows]
    rank, width = 0, len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][col] != 0:
                factor = rows[i][col] / rows[rank][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank
