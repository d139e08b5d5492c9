"""The page plan over an IndexView (the Whoosh backend): every candidate's facts are visited
once in Python to filter (status, open now, room, eligibility), count facets, and find the
top k. The PostgreSQL backend does the same in SQL (app.search.pg_plan).

Only candidates whose relevance × MAX_BOOST can still beat the page's last result are scored
(see backend.IndexView.top). Results that matched every word exactly always come before results
that needed a typo match; within each group, higher rank first. sort="distance" orders by miles
(then rank boosts); sort="verified" by the last verification date, newest first (then rank
boosts). Facet counts are over the whole filtered result set, not just the page.
"""

from __future__ import annotations

import heapq
from collections import Counter
from itertools import chain
from typing import Any

from app.search.backend import IndexView
from app.search.hidden import hidden_reason
from app.search.open_now import is_open_at
from app.search.ranking import (
    ACTIVE,
    HAS_ROOM,
    MAX_BOOST,
    ROOM_BOOST,
    VERIFIED_BOOST,
    VERIFIED_HORIZON_DAYS,
    WAITLIST,
    Plan,
    PlanContext,
    cached_capacity_state,
)


def _candidates(view: IndexView, ctx: PlanContext) -> tuple[dict[int, int] | None, Any, dict]:
    tiers = view.match(ctx.parts, ctx.filters)
    nearby = view.near(ctx.place, ctx.radius, tiers) if ctx.place is not None else None
    if tiers is None:
        keys: Any = nearby.keys() if nearby is not None else view.all_keys()
    elif nearby is not None:
        keys = [k for k in tiers if k in nearby]
    else:
        keys = tiers.keys()
    return tiers, keys, nearby or {}


def index_plan(view: IndexView, ctx: PlanContext) -> Plan:
    from app.directory.eligibility import Status, match_rules

    request = ctx.request
    tiers, keys, nearby = _candidates(view, ctx)
    wanted = frozenset({HAS_ROOM, WAITLIST} if request.include_waitlist else {HAS_ROOM})
    room = wanted if request.has_capacity else None
    profile = request.profile
    hide = profile is not None and request.eligibility_mode == "hide_ineligible"
    barred_ids, service_id = request.barred, view.service_id
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
        barred = bool(barred_ids) and service_id(key) in barred_ids
        reason = hidden_reason(refuses=refuses, capacity=cap, room=room, barred=barred)
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

    accepts = request.acceptance

    def boost(key: int) -> float:
        """1 + 0.3·room + 0.2·verified, × who really accepts (see the module docstring); runs
        for every candidate."""
        verified = facts_of(key).verified_ts
        recency = 0.0 if verified is None else max(0.0, 1 - (now_ts - verified) / horizon)
        value = 1 + (ROOM_BOOST if state[key] == HAS_ROOM else 0.0) + VERIFIED_BOOST * recency
        return value * accepts[service_id(key)] if accepts and service_id(key) in accepts else value

    if request.sort == "relevance" and ctx.parts:
        ceiling = MAX_BOOST * max(accepts.values(), default=1.0)
        ranked = _top_by_relevance(view, ctx.parts, found, tier_of, boost, end, ceiling)
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
    return Plan(len(found), facets, page, near_ids, suggestion, dict(hidden), hidden_of)


def _top_by_relevance(view, parts, found, tier_of, boost, end, ceiling):  # noqa: ANN001,ANN202
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
            ceiling,  # the largest boost any candidate can have
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
