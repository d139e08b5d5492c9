"""What every search backend shares when it plans a page: the ranking boosts, the capacity
state of a service from its figures, and the plan a backend hands back (app.search.query
turns it into SearchResults).

    rank = relevance × (1 + 0.3·room + 0.2·verified) × (1 + 0.3·accepted)

- relevance: the backend's text score; 1 when there is no text.
- room: 1 when a fresh capacity figure says there is room (app.directory.capacity.has_room),
  else 0. A stale figure never counts; staleness is decided now, from each figure's date.
- verified: max(0, 1 − days since last verification / 365); 0 when never verified.
- accepted: in a staff search for a person, the lowest share of referrals of people with the
  person's conviction-related answers that the service accepted in the last 12 months, where
  it has a figure (app.referrals.acceptance); else the factor is 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from app.directory.vocabulary import CapacityStatus
from app.search.backend import IndexFilters
from app.search.geo import Place
from app.search.results import UNKNOWN

ROOM_BOOST = 0.3
VERIFIED_BOOST = 0.2
MAX_BOOST = 1 + ROOM_BOOST + VERIFIED_BOOST
ACCEPTANCE_BOOST = 0.3
ACTIVE = "active"
VERIFIED_HORIZON_DAYS = 365

# Service-level capacity status codes (facet keys); "unknown" = only stale figures.
HAS_ROOM, WAITLIST, ASSESSMENT, FULL, NOT_LISTED = (
    "has_room",
    "waitlist",
    "assessment_required",
    "full",
    "not_listed",
)


def capacity_state(rows: list[Any], now: datetime, stale_days: int) -> str:
    """One status for a service from all its figures. The rules of app.directory.capacity
    (is_stale, has_room), written out once here because this runs for every candidate:
    a figure is fresh when updated within `stale_days`; only fresh figures count."""
    if not rows:
        return NOT_LISTED
    threshold = now - timedelta(days=stale_days)
    fresh = [r for r in rows if r.updated is not None and r.updated >= threshold]
    if not fresh:
        return UNKNOWN
    statuses = set()
    for r in fresh:
        if r.status == CapacityStatus.HAS_CAPACITY and (r.available is None or r.available > 0):
            return HAS_ROOM
        statuses.add(r.status)
    if CapacityStatus.WAITLIST in statuses:
        return WAITLIST
    if CapacityStatus.ASSESSMENT_REQUIRED in statuses:
        return ASSESSMENT
    return FULL


def cached_capacity_state(facts: Any, now: datetime, stale_days: int) -> str:
    """capacity_state of an indexed service, remembered on its (immutable) facts until the next
    moment it can change: when one of its fresh figures turns stale. Exact, and most searches
    then skip the figure-by-figure check."""
    memo = facts.state_memo
    if memo is not None and memo[0] == stale_days and memo[1] <= now <= memo[2]:
        return memo[3]
    state = capacity_state(facts.capacities, now, stale_days)
    horizon = timedelta(days=stale_days)
    turns_stale = [
        r.updated + horizon
        for r in facts.capacities
        if r.updated is not None and r.updated + horizon >= now
    ]
    facts.state_memo = (stale_days, now, min(turns_stale, default=_END_OF_TIME), state)
    return state


_END_OF_TIME = datetime.max.replace(tzinfo=UTC)


@dataclass
class Plan:
    """What the index decided: the whole result set's size and facets, and the page's order."""

    total: int
    facets: dict[str, dict[str, int]]
    page: list[tuple[str, int, float]]  # (service id, tier, rank)
    nearby: dict[str, tuple[float, str]]
    did_you_mean: str | None
    hidden: dict[str, int] = field(default_factory=dict)  # reason -> places (app.search.hidden)
    hidden_of: dict[str, str] = field(default_factory=dict)  # service id -> reason, when shown
    # the content versions the plan was read under (PostgreSQL), for the page's remembered rows
    versions: str | None = None


@dataclass
class PlanContext:
    request: Any  # app.search.query.SearchRequest
    parts: list
    filters: IndexFilters
    place: Place | None
    radius: float | None
    now: datetime
    stale_days: int
    moment: datetime
