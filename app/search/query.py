"""One SearchRequest -> ranked SearchResults.

The backend answers for the whole result set (app.search.backend.SearchBackend.plan): text
matches, points near the place, filters, facet counts, the total and the page's order, from
what its index carries (Whoosh: per-document facts visited in Python, app.search.planning;
PostgreSQL: columns, in one SQL statement, app.search.pg_plan). Only the page shown is read
from the database (live capacity, eligibility, open now and status; app.search.results).

Ranking (sort="relevance"; app.search.ranking):

    rank = relevance × (1 + 0.3·room + 0.2·verified)

- relevance: the backend's text score (Whoosh BM25F with field boosts, PostgreSQL ts_rank with
  weights); 1 when there is no text.
- room: 1 when a fresh capacity figure says there is room (app.directory.capacity.has_room),
  else 0. A stale figure never counts; staleness is decided now, from each figure's date.
- verified: max(0, 1 − days since last verification / 365); 0 when never verified.

Results that matched every word exactly always come before results that needed a typo match;
within each group, higher rank first (ties by service id). sort="distance" orders by miles (then
rank boosts); sort="verified" by the last verification date, newest first (then rank boosts).

Facet counts (need area, town, language, capacity status) are over the whole filtered result
set, not just the page. Only active services are searched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.common import utcnow
from app.search.backend import IndexFilters, SearchBackend, get_backend
from app.search.fallback import plain_page
from app.search.geo import Place, resolve_place
from app.search.open_now import local_now
from app.search.ranking import (  # noqa: F401 - the search's vocabulary, read from here too
    ACTIVE,
    ASSESSMENT,
    FULL,
    HAS_ROOM,
    MAX_BOOST,
    NOT_LISTED,
    ROOM_BOOST,
    VERIFIED_BOOST,
    VERIFIED_HORIZON_DAYS,
    WAITLIST,
    Plan,
    PlanContext,
    capacity_state,
)
from app.search.rebuild import IndexUnavailable
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

DEFAULT_RADIUS_MILES = 25.0
MAX_RADIUS_MILES = 500.0
MAX_PER_PAGE = 100
MAX_PAGE = 10_000  # past it the index is asked for an offset it cannot seek to
SORTS = ("relevance", "distance", "verified")
ELIGIBILITY_MODES = ("hide_ineligible", "show_all")


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
    # Any of these towns (staff search's parole district, app.conditions.districts): a filter
    # of the search itself, so the total, facets and pages are the district's.
    towns: tuple[str, ...] = ()
    profile: Any = None  # app.directory.eligibility.EligibilityProfile
    eligibility_mode: str = "hide_ineligible"
    sort: str = "relevance"
    page: int = 1
    per_page: int = 25
    # Staff page "show them": keep what the filters would hide, marked with the reason.
    show_hidden: bool = False
    # Services to leave out as barred by residency rules for this person (app.residency.barred:
    # only for staff who may see residency, searching for a person on the registry, with "hide
    # barred housing"); counted in the hidden reasons like the other filters.
    barred: frozenset[str] = frozenset()
    # Who really accepts people like this one (app.referrals.acceptance.search_boosts: staff
    # searching for a person): service id -> rank factor, 1 + 0.3 × share accepted (at most
    # 1.3); a service not named keeps its rank. Multiplies the ranking boost.
    acceptance: dict[str, float] = field(default_factory=dict)


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
    if not 1 <= request.page <= MAX_PAGE:
        raise SearchError("page", f"page must be between 1 and {MAX_PAGE}")
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


def search(
    request: SearchRequest,
    *,
    now: datetime | None = None,
    backend: SearchBackend | None = None,
    fallback: bool = True,
    moment: datetime | None = None,
) -> SearchResults:
    """Ranked results from the index. While the index is being rebuilt, plain database results
    marked `fallback` (or, with fallback=False, IndexUnavailable for the caller to answer 503).
    `moment` (local wall-clock time for open now) defaults to `now`; a cache that keeps results
    for a minute judges open now at the minute's start and freshness at its end."""
    now = now or utcnow()
    backend = backend or get_backend()
    needs, place, radius = _validate(request)
    ctx = PlanContext(
        request=request,
        parts=parse_text(request.text),
        filters=IndexFilters(
            need_areas=needs,
            language=(request.language or "").strip() or None,
            town=(request.town or "").strip() or None,
            towns=tuple(t.strip() for t in request.towns if t.strip()),
            statuses=(),
        ),
        place=place,
        radius=radius,
        now=now,
        stale_days=current_app.config["CAPACITY_STALE_DAYS"],
        moment=moment or local_now(now),
    )
    unavailable = None
    try:
        plan = backend.plan(ctx)
    except IndexUnavailable as error:
        if not fallback:
            raise
        unavailable = error.state
        total, ids = plain_page(request.text, needs, request.page, request.per_page)
        plan = Plan(total, {}, [(sid, 0, 1.0) for sid in ids], {}, None)
    results = SearchResults(
        total=plan.total,
        page=request.page,
        per_page=request.per_page,
        place=place,
        fallback=unavailable,
    )
    results.facets = plan.facets
    results.did_you_mean = plan.did_you_mean
    results.hidden = plan.hidden
    page = PageContext(
        now=now,
        stale_days=ctx.stale_days,
        place=place,
        nearby=plan.nearby if place else None,
        moment=ctx.moment,
        profile=request.profile,
        versions=plan.versions,
    )
    results.results = build_page(plan.page, page)
    for result in results.results:
        result.hidden_reason = plan.hidden_of.get(result.service_id)
    return results


__all__ = [
    "UNKNOWN",
    "IndexUnavailable",
    "CapacityInfo",
    "ResultLocation",
    "SearchError",
    "SearchRequest",
    "SearchResult",
    "SearchResults",
    "search",
]
