"""What a staff search left out for the person, and why: "12 hidden: 7 would refuse this
person, 5 are full — show them".

Two filters hide places: "hide places that would refuse this person" (a profile is given and a
rule says not eligible) and "has room now" (no fresh figure says there is room). The verdicts
are the search's own (app.directory.eligibility.match_rules, app.search.ranking.capacity_state).
A place hidden for both reasons is counted once, as "would refuse this person": a rule does not
change next week, room may. Places left out by "open now" are not counted: that filter is a
choice about the hour, not about the person.
"""

from __future__ import annotations

REFUSES = "refuses"
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
ORDER = (REFUSES, FULL, WAITLIST, ASSESSMENT, NO_FIGURE)
# (one, several) for the hidden line
PHRASES = {
    REFUSES: ("would refuse this person", "would refuse this person"),
    FULL: ("is full", "are full"),
    WAITLIST: ("has a waitlist", "have a waitlist"),
    ASSESSMENT: ("needs an assessment first", "need an assessment first"),
    NO_FIGURE: ("has no recent room figure", "have no recent room figure"),
}
# The mark on a result shown after "show them"
LABELS = {
    REFUSES: "Would refuse this person",
    FULL: "No room: full",
    WAITLIST: "No room: waitlist",
    ASSESSMENT: "No room: assessment required first",
    NO_FIGURE: "No recent room figure",
}


def hidden_reason(*, refuses: bool, capacity: str, room: frozenset[str] | None) -> str | None:
    """Why this place is left out (None: it is shown). `room` is the capacity states that
    count as room when "has room now" is asked, else None."""
    if refuses:
        return REFUSES
    if room is not None and capacity not in room:
        return BY_CAPACITY.get(capacity, NO_FIGURE)
    return None


def hidden_line(counts: dict[str, int]) -> str | None:
    """'12 hidden: 7 would refuse this person, 5 are full'; None when nothing was hidden."""
    total = sum(counts.values())
    if not total:
        return None
    parts = []
    for reason in ORDER:
        n = counts.get(reason, 0)
        if n:
            one, several = PHRASES[reason]
            parts.append(f"{n} {one if n == 1 else several}")
    return f"{total} hidden: " + ", ".join(parts)
