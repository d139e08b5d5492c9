"""One SearchRequest -> ranked SearchResults.

The index answers for the whole result set: text matches, points near the place, and the
facts each document carries (status, capacity figures with their dates, eligibility rules,
hours, need areas, towns, languages), so filters, facet counts and the total never load rows
from the database. Only the page shown is read from the database (live capacity, eligibility,
open now and status; app.search.results).

Ranking (sort="relevance"):

    rank = relevance × (1 + 0.3·room + 0.2·verified)

- relevance: the backend's text score (Whoosh BM25F with field boosts); 1 when there is no text.
- room: 1 when a fresh capacity figure says there is room (app.directory.capacity.has_room),
  else 0. A stale figure never counts; staleness is decided now, from each figure's date.
- verified: max(0, 1 − days since last verification / 365); 0 when never verified.

The boost is at most 1.5, so only candidates whose relevance × 1.5 can still beat the page's
last result are scored (see backend.IndexView.top).

Results that matched every word exactly always come before results that needed a typo match;
within each group, higher rank first. sort="distance" orders by miles (then rank boosts);
sort="verified" by the last verification date, newest first (then rank boosts).

Facet counts (need area, town, language, capacity status) are over the whole filtered result
set, not just the page. Only active services are searched.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import chain
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.common import utcnow
from app.directory.vocabulary import CapacityStatus
from app.search.backend import IndexFilters, IndexView, SearchBackend, get_backend
from app.search.fallback import plain_page
from app.search.geo import Place, resolve_place
from app.search.hidden import hidden_reason
from app.search.open_now import is_open_at, local_now
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

ROOM_BOOST = 0.3
VERIFIED_BOOST = 0.2
MAX_BOOST = 1 + ROOM_BOOST + VERIFIED_BOOST
ACTIVE = "active"
VERIFIED_HORIZON_DAYS = 365
DEFAULT_RADIUS_MILES = 25.0
MAX_RADIUS_MILES = 500.0
MAX_PER_PAGE = 100
MAX_PAGE = 10_000  # past it the index is asked for an offset it cannot seek to
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
    # Staff page "show them": keep what the two filters would hide, marked with the reason.
    show_hidden: bool = False


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


# --- evaluation ---------------------------------------------------------------------------------


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
class _Plan:
    """What the index decided: the whole result set's size and facets, and the page's order."""

    total: int
    facets: dict[str, dict[str, int]]
    page: list[tuple[str, int, float]]  # (service id, tier, rank)
    nearby: dict[str, tuple[float, str]]
    did_you_mean: str | None
    hidden: dict[str, int] = field(default_factory=dict)  # reason -> places (app.search.hidden)
    hidden_of: dict[str, str] = field(default_factory=dict)  # service id -> reason, when shown


@dataclass
class _Context:
    request: SearchRequest
    parts: list
    filters: IndexFilters
    place: Place | None
    radius: float | None
    now: datetime
    stale_days: int
    moment: datetime


def search(
    request: SearchRequest,
    *,
    now: datetime | None = None,
    backend: SearchBackend | None = None,
    fallback: bool = True,
) -> SearchResults:
    """Ranked results from the index. While the index is being rebuilt, plain database results
    marked `fallback` (or, with fallback=False, IndexUnavailable for the caller to answer 503)."""
    now = now or utcnow()
    backend = backend or get_backend()
    needs, place, radius = _validate(request)
    ctx = _Context(
        request=request,
        parts=parse_text(request.text),
        filters=IndexFilters(
            need_areas=needs,
            language=(request.language or "").strip() or None,
            town=(request.town or "").strip() or None,
            statuses=(),
        ),
        place=place,
        radius=radius,
        now=now,
        stale_days=current_app.config["CAPACITY_STALE_DAYS"],
        moment=local_now(now),
    )
    unavailable = None
    try:
        plan: _Plan = backend.run(lambda view: _plan(view, ctx))  # type: ignore[assignment]
    except IndexUnavailable as error:
        if not fallback:
            raise
        unavailable = error.state
        total, ids = plain_page(request.text, needs, request.page, request.per_page)
        plan = _Plan(total, {}, [(sid, 0, 1.0) for sid in ids], {}, None)
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
    )
    results.results = build_page(plan.page, page)
    for result in results.results:
        result.hidden_reason = plan.hidden_of.get(result.service_id)
    return results


def _candidates(view: IndexView, ctx: _Context) -> tuple[dict[int, int] | None, Any, dict]:
    tiers = view.match(ctx.parts, ctx.filters)
    nearby = view.near(ctx.place, ctx.radius, tiers) if ctx.place is not None else None
    if tiers is None:
        keys: Any = nearby.keys() if nearby is not None else view.all_keys()
    elif nearby is not None:
        keys = [k for k in tiers if k in nearby]
    else:
        keys = tiers.keys()
    return tiers, keys, nearby or {}


def _plan(view: IndexView, ctx: _Context) -> _Plan:
    from app.directory.eligibility import Status, match_rules

    request = ctx.request
    tiers, keys, nearby = _candidates(view, ctx)
    wanted = frozenset({HAS_ROOM, WAITLIST} if request.include_waitlist else {HAS_ROOM})
    room = wanted if request.has_capacity else None
    profile = request.profile
    hide = profile is not None and request.eligibility_mode == "hide_ineligible"
    found: list[int] = []
    state: dict[int, str] = {}
    hidden: Counter[str] = Counter()
    hidden_of: dict[str, str] = {}
    for key in keys:
        facts = view.facts(key)
        if facts.status != ACTIVE:
            continue
        if request.open_now and not is_open_at(facts.hours, ctx.moment):
            continue
        cap = cached_capacity_state(facts, ctx.now, ctx.stale_days)
        refuses = hide and match_rules(profile, facts.rules).status == Status.NOT_ELIGIBLE
        reason = hidden_reason(refuses=refuses, capacity=cap, room=room)
        if reason is not None:  # counted once, by its first reason (app.search.hidden)
            hidden[reason] += 1
            if not request.show_hidden:
                continue
            hidden_of[view.service_id(key)] = reason
        found.append(key)
        state[key] = cap

    facets = _facets(view, found, state)
    start = (request.page - 1) * request.per_page
    end = start + request.per_page
    tier_of = (lambda k: tiers[k]) if tiers is not None else (lambda k: 0)

    now_ts, horizon, facts_of = ctx.now.timestamp(), VERIFIED_HORIZON_DAYS * 86400, view.facts

    def boost(key: int) -> float:
        """1 + 0.3·room + 0.2·verified (see the module docstring); runs for every candidate."""
        verified = facts_of(key).verified_ts
        recency = 0.0 if verified is None else max(0.0, 1 - (now_ts - verified) / horizon)
        return 1 + (ROOM_BOOST if state[key] == HAS_ROOM else 0.0) + VERIFIED_BOOST * recency

    if request.sort == "relevance" and ctx.parts:
        ranked = _top_by_relevance(view, ctx.parts, found, tier_of, boost, end)
        page = [(view.service_id(k), t, r) for r, k, t in ranked[start:end]]
    else:
        page_keys = _sorted_page(view, request.sort, found, tier_of, boost, nearby, start, end)
        scores: dict[int, float] = {}
        for tier in {tier_of(k) for k in page_keys}:
            if ctx.parts:
                same = [k for k in page_keys if tier_of(k) == tier]
                scores.update(view.relevance(ctx.parts, tier, same))
        page = [(view.service_id(k), tier_of(k), scores.get(k, 1.0) * boost(k)) for k in page_keys]
    suggestion = view.suggest(ctx.parts) if not found and ctx.parts else None
    near_ids = {view.service_id(k): v for k, v in nearby.items() if k in state}
    return _Plan(len(found), facets, page, near_ids, suggestion, dict(hidden), hidden_of)


def _top_by_relevance(view, parts, found, tier_of, boost, end):  # noqa: ANN001,ANN202
    """(rank, key, tier) of the best `end` results: every exact match before any typo match."""
    out: list[tuple[float, int, int]] = []
    for tier in (0, 1):
        allowed = {k for k in found if tier_of(k) == tier}
        if not allowed or len(out) >= end:
            continue
        best = view.top(
            parts,
            tier,
            allowed,
            lambda k, relevance: relevance * boost(k),
            end - len(out),
            MAX_BOOST,
        )
        out.extend((r, k, tier) for r, k in best)
    return out


def _sorted_page(view, sort, found, tier_of, boost, nearby, start, end) -> list[int]:  # noqa: ANN001
    """The page's keys for sorts that need no relevance (and for searches without text)."""
    if sort == "distance":

        def key(k: int) -> tuple:
            return (nearby[k][0], tier_of(k), -boost(k), view.service_id(k))
    elif sort == "verified":
        oldest = float("-inf")

        def key(k: int) -> tuple:
            verified = view.facts(k).verified
            stamp = verified.timestamp() if verified is not None else oldest
            return (-stamp, -boost(k), view.service_id(k))
    else:

        def key(k: int) -> tuple:
            return (tier_of(k), -boost(k), view.service_id(k))

    return heapq.nsmallest(end, found, key=key)[start:end]


def _facets(view: IndexView, keys: list[int], state: dict[int, str]) -> dict:
    every = [view.facts(key) for key in keys]
    return {
        "need_area": dict(Counter(chain.from_iterable([f.need_areas for f in every]))),
        "town": dict(Counter(chain.from_iterable([f.towns for f in every]))),
        "language": dict(Counter(chain.from_iterable([f.languages for f in every]))),
        "capacity_status": dict(Counter(state.values())),
    }


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
