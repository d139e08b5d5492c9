"""What a staff search left out for the person, and why: "12 hidden — 7 would refuse this
person, 2 barred by residency rules, 3 have no room now (1 full, 2 no recent figure) — show them".

Three filters hide places: "hide places that would refuse this person" (a profile is given and a
rule says not eligible), "hide housing barred by residency rules" (a person on the registry;
the barred services come from app.residency.barred) and "has room now" (no fresh figure says
there is room). The verdicts are the search's own (app.directory.eligibility.match_rules,
app.search.ranking.capacity_state). A place hidden for several reasons is counted once, by the
first of: would refuse, barred, no room (a rule does not change next week, room may). Places
left out by "open now" are not counted: that filter is a choice about the hour, not about the
person.
"""

from __future__ import annotations

from dataclasses import dataclass

REFUSES = "refuses"
BARRED = "barred"  # by residency rules, for a person on the registry
FULL = "full"
WAITLIST = "waitlist"
ASSESSMENT = "assessment_required"
NO_FIGURE = "no_figure"  # no capacity listed, or only figures too old to trust

# capacity_state code -> hidden reason (has_room is never hidden)
BY_CAPACITY = {
    "full": FULL,
    "waitlist": WAITLIST,
    "assessment_required": ASSESSMENT,
    "unknown": NO_FIGURE,
    "not_listed": NO_FIGURE,
}
ORDER = (REFUSES, BARRED, FULL, WAITLIST, ASSESSMENT, NO_FIGURE)
NO_ROOM = (FULL, WAITLIST, ASSESSMENT, NO_FIGURE)
# How each no-room reason reads inside the brackets of the hidden line
PHRASES = {
    FULL: "full",
    WAITLIST: "waitlist",
    ASSESSMENT: "assessment first",
    NO_FIGURE: "no recent figure",
}
# The mark on a result shown after "show them"
LABELS = {
    REFUSES: "Would refuse this person",
    BARRED: "Barred by residency rules",
    FULL: "No room: full",
    WAITLIST: "No room: waitlist",
    ASSESSMENT: "No room: assessment required first",
    NO_FIGURE: "No recent room figure",
}


def hidden_reason(
    *, refuses: bool, capacity: str, room: frozenset[str] | None, barred: bool = False
) -> str | None:
    """Why this place is left out (None: it is shown). `room` is the capacity states that
    count as room when "has room now" is asked, else None."""
    if refuses:
        return REFUSES
    if barred:
        return BARRED
    if room is not None and capacity not in room:
        return BY_CAPACITY.get(capacity, NO_FIGURE)
    return None


@dataclass(frozen=True)
class HiddenLine:
    """How many were hidden and why, in words: str() is the whole line."""

    total: int
    why: str  # "7 would refuse this person, 5 have no room now (3 full, 2 no recent figure)"

    def __str__(self) -> str:
        return f"{self.total} hidden — {self.why}"


def hidden_line(counts: dict[str, int]) -> HiddenLine | None:
    """'12 hidden — 7 would refuse this person, 5 have no room now (3 full, 2 no recent
    figure)'; None when nothing was hidden."""
    total = sum(counts.values())
    if not total:
        return None
    parts = []
    refuses = counts.get(REFUSES, 0)
    if refuses:
        parts.append(f"{refuses} would refuse this person")
    barred = counts.get(BARRED, 0)
    if barred:
        parts.append(f"{barred} barred by residency rules")
    no_room = sum(counts.get(reason, 0) for reason in NO_ROOM)
    if no_room:
        kinds = [(counts[r], PHRASES[r]) for r in NO_ROOM if counts.get(r)]
        verb = "has" if no_room == 1 else "have"
        detail = " (" + ", ".join(f"{n} {phrase}" for n, phrase in kinds) + ")"
        parts.append(f"{no_room} {verb} no room now{detail}")
    return HiddenLine(total, ", ".join(parts))
