"""One SearchRequest -> ranked SearchResults: text (the backend), then geo, capacity,
eligibility and open-now from the database for the candidates, then ranking, facets and a page.

Ranking (sort="relevance"):

    rank = relevance × (1 + 0.3·room + 0.2·verified)

- relevance: the backend's text score (Whoosh BM25F with field boosts); 1 when there is no text.
- room: 1 when a fresh capacity figure says there is room (app.directory.capacity.has_room),
  else 0. A stale figure never counts.
- verified: max(0, 1 − days since last verification / 365); 0 when never verified.

Results that matched every word exactly always come before results that needed a typo match;
within each group, higher rank first. sort="distance" orders by miles (then rank);
sort="verified" by the last verification date, newest first (then rank).

Facet counts (need area, town, language, capacity status) are over the whole filtered result
set, not just the page. Only active services are searched.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.common import utcnow
from app.search import facts
from app.search.backend import IndexFilters, SearchBackend, TextHit, get_backend
from app.search.geo import Place, bounding_box, distance_miles, haversine_miles, resolve_place
from app.search.open_now import is_open_at, local_now
from app.search.results import (
    UNKNOWN,
    CapacityInfo,
    PageContext,
    ResultLocation,
    SearchResult,
    SearchResults,
    build_page,
)
from app.search.synonyms import parse_text

ROOM_BOOST = 0.3
VERIFIED_BOOST = 0.2
VERIFIED_HORIZON_DAYS = 365
DEFAULT_RADIUS_MILES = 25.0
MAX_RADIUS_MILES = 500.0
MAX_PER_PAGE = 100
SORTS = ("relevance", "distance", "verified")
ELIGIBILITY_MODES = ("hide_ineligible", "show_all")

# Service-level capacity status codes (facet keys); "unknown" = only stale figures.
HAS_ROOM, WAITLIST, ASSESSMENT, FULL, NOT_LISTED = (
    "has_room",
    "waitlist",
    "assessment_required",
    "full",
    "not_listed",
)


class SearchError(ValueError):
    """A request that cannot be answered; `parameter` names the API parameter at fault."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass
class SearchRequest:
    text: str = ""
    near: str | None = None
    radius_miles: float | None = None  # DEFAULT_RADIUS_MILES when `near` is given without one
    need_areas: tuple[str, ...] | list[str] = ()
    has_capacity: bool = False
    include_waitlist: bool = False
    open_now: bool = False
    language: str | None = None
    town: str | None = None
    profile: Any = None  # app.directory.eligibility.EligibilityProfile
    eligibility_mode: str = "hide_ineligible"
    sort: str = "relevance"
    page: int = 1
    per_page: int = 25


# --- validation ---------------------------------------------------------------------------------


def _need_area_tree() -> dict[str, str | None]:
    from app.directory.models import NEED_AREA_TAXONOMY, TaxonomyTerm
    from app.extensions import db

    rows = db.session.execute(
        select(TaxonomyTerm.id, TaxonomyTerm.code, TaxonomyTerm.parent_id).where(
            TaxonomyTerm.taxonomy == NEED_AREA_TAXONOMY
        )
    ).all()
    code_of = {r.id: r.code for r in rows}
    return {r.code: code_of.get(r.parent_id) for r in rows}


def expand_need_areas(codes: list[str] | tuple[str, ...]) -> frozenset[str]:
    """The codes with all their descendants; SearchError for an unknown code."""
    if not codes:
        return frozenset()
    tree = _need_area_tree()
    found: set[str] = set()
    for code in codes:
        if code not in tree:
            raise SearchError("need", f"Unknown need area: {code}")
        found.add(code)
    changed = True
    while changed:
        children = {c for c, parent in tree.items() if parent in found and c not in found}
        found |= children
        changed = bool(children)
    return frozenset(found)


def _validate(request: SearchRequest) -> tuple[frozenset[str], Place | None, float | None]:
    if request.per_page < 1 or request.per_page > MAX_PER_PAGE:
        raise SearchError("per_page", f"per_page must be between 1 and {MAX_PER_PAGE}")
    if request.page < 1:
        raise SearchError("page", "page must be 1 or more")
    if request.sort not in SORTS:
        raise SearchError("sort", f"sort must be one of: {', '.join(SORTS)}")
    if request.eligibility_mode not in ELIGIBILITY_MODES:
        raise SearchError(
            "eligibility_mode", "eligibility_mode must be hide_ineligible or show_all"
        )
    radius = request.radius_miles
    if radius is not None and not (0 < radius <= MAX_RADIUS_MILES):
        raise SearchError(
            "radius_miles", f"radius_miles must be more than 0 and at most {MAX_RADIUS_MILES:g}"
        )
    needs = expand_need_areas(list(request.need_areas))
    place = None
    if request.near and request.near.strip():
        place = resolve_place(request.near)
        if place is None:
            raise SearchError("near", f"We could not find the place “{request.near.strip()}”")
        radius = radius or DEFAULT_RADIUS_MILES
    elif request.sort == "distance":
        raise SearchError("sort", "Sorting by distance needs a place (near)")
    return needs, place, radius


# --- evaluation ---------------------------------------------------------------------------------


def capacity_state(rows: list[Any], now: datetime, stale_days: int) -> str:
    from app.directory.capacity import has_room, is_stale
    from app.directory.vocabulary import CapacityStatus

    if not rows:
        return NOT_LISTED
    fresh = [r for r in rows if not is_stale(r, now=now, stale_days=stale_days)]
    if not fresh:
        return UNKNOWN
    if any(has_room(r, now=now, stale_days=stale_days) for r in fresh):
        return HAS_ROOM
    statuses = {r.status for r in fresh}
    if CapacityStatus.WAITLIST in statuses:
        return WAITLIST
    if CapacityStatus.ASSESSMENT_REQUIRED in statuses:
        return ASSESSMENT
    return FULL


def _within_radius(place: Place, radius: float, ids: list[str] | None) -> dict[str, tuple]:
    """service id -> (miles, location id) of its nearest location within the radius."""
    box = bounding_box(place.lat, place.lon, radius)
    nearest: dict[str, tuple[float, str]] = {}
    origin = (place.lat, place.lon)
    for row in facts.locations_in_box(box, ids):
        miles = haversine_miles(origin, (row.lat, row.lon))
        if abs(miles - radius) <= 0.006 * radius + 0.05:  # near the edge: decide exactly
            miles = distance_miles(origin, (row.lat, row.lon))
        if miles <= radius and (
            row.service_id not in nearest or miles < nearest[row.service_id][0]
        ):
            nearest[row.service_id] = (miles, row.location_id)
    return nearest


def _recency(verified: datetime | None, now: datetime) -> float:
    if verified is None:
        return 0.0
    return max(0.0, 1 - (now - verified).total_seconds() / 86400 / VERIFIED_HORIZON_DAYS)


def search(
    request: SearchRequest, *, now: datetime | None = None, backend: SearchBackend | None = None
) -> SearchResults:
    now = now or utcnow()
    backend = backend or get_backend()
    needs, place, radius = _validate(request)
    parts = parse_text(request.text)
    # Status is re-checked in the database for every candidate (facts.active_services).
    filters = IndexFilters(
        need_areas=needs,
        language=request.language or None,
        town=request.town or None,
        statuses=(),
    )

    hits: dict[str, TextHit] | None = None
    if parts or needs or filters.language or filters.town:
        hits = {h.id: h for h in backend.search_ids(parts, filters).hits}
    nearby = _within_radius(place, radius, hits) if place else None
    if hits is not None:
        candidates = [i for i in hits if nearby is None or i in nearby]
    elif nearby is not None:
        candidates = list(nearby)
    else:
        candidates = None
    verified = facts.active_services(candidates)
    ids = [i for i in candidates if i in verified] if candidates is not None else list(verified)

    stale_days = current_app.config["CAPACITY_STALE_DAYS"]
    caps = facts.capacities(ids)
    cap_state = {i: capacity_state(caps.get(i, []), now, stale_days) for i in ids}
    if request.has_capacity:
        wanted = {HAS_ROOM, WAITLIST} if request.include_waitlist else {HAS_ROOM}
        ids = [i for i in ids if cap_state[i] in wanted]

    open_state: dict[str, bool | None] = {}
    moment = local_now(now, current_app.config.get("TIMEZONE"))
    if request.open_now:
        hours = facts.schedules(ids)
        open_state = {i: is_open_at(hours.get(i, []), moment) for i in ids}
        ids = [i for i in ids if open_state[i]]

    verdicts: dict[str, Any] = {}
    if request.profile is not None:
        from app.directory.eligibility import Status, match_rules

        rules = facts.eligibility_rules(ids)
        no_rules = match_rules(request.profile, [])
        verdicts = {
            i: match_rules(request.profile, rules[i]) if i in rules else no_rules for i in ids
        }
        if request.eligibility_mode == "hide_ineligible":
            ids = [i for i in ids if verdicts[i].status != Status.NOT_ELIGIBLE]

    def rank(i: str) -> float:
        relevance = hits[i].score if hits is not None and parts else 1.0
        room = 1.0 if cap_state[i] == HAS_ROOM else 0.0
        return relevance * (1 + ROOM_BOOST * room + VERIFIED_BOOST * _recency(verified[i], now))

    ranks = {i: rank(i) for i in ids}
    tier = {i: hits[i].tier if hits is not None else 0 for i in ids}
    if request.sort == "distance":
        ids.sort(key=lambda i: (nearby[i][0], tier[i], -ranks[i]))
    elif request.sort == "verified":
        oldest = datetime.min.replace(tzinfo=now.tzinfo)
        ids.sort(key=lambda i: (verified[i] or oldest, ranks[i]), reverse=True)
    else:
        ids.sort(key=lambda i: (tier[i], -ranks[i], i))

    results = SearchResults(
        total=len(ids), page=request.page, per_page=request.per_page, place=place
    )
    results.facets = _facets(backend, ids, cap_state)
    if not ids and parts:
        results.did_you_mean = backend.suggest(parts)
    start = (request.page - 1) * request.per_page
    page_ids = ids[start : start + request.per_page]
    if page_ids and not request.open_now:
        hours = facts.schedules(page_ids)
        open_state = {i: is_open_at(hours.get(i, []), moment) for i in page_ids}
    context = PageContext(now, stale_days, place, nearby, cap_state, open_state, verdicts, ranks)
    results.results = build_page(page_ids, context, tier)
    return results


def _facets(backend: SearchBackend, ids: list[str], cap_state: dict[str, str]) -> dict:
    need, town, language = Counter(), Counter(), Counter()
    for values in backend.facet_values(ids).values():
        need.update(values.need_areas)
        town.update(values.towns)
        language.update(values.languages)
    return {
        "need_area": dict(need),
        "town": dict(town),
        "language": dict(language),
        "capacity_status": dict(Counter(cap_state[i] for i in ids)),
    }


__all__ = [
    "CapacityInfo",
    "ResultLocation",
    "SearchError",
    "SearchRequest",
    "SearchResult",
    "SearchResults",
    "search",
]
