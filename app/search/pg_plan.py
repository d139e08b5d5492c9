"""A search's page plan in one SQL statement over the PostgreSQL search rows (app.search.pg_schema).

The database filters, counts and ranks; Python touches only the page it shows. What the Whoosh
planner (app.search.planning) decides per candidate in Python is here a column or an expression:

- status, need area, town and language: columns (GIN indexes on the arrays);
- text: app.search.pg_text (condition, tier, relevance);
- place: app.search.pg_place (the row's own place in the bounding box, or a point of a service
  at several places; a point near the radius's edge decided in Python first, exactly as
  nearby.Distances does, and passed in);
- capacity state: the latest time a figure said room / waitlist / assessment / anything,
  compared with the freshness threshold of this moment (the rules of ranking.capacity_state);
- "would refuse this person": every distinct eligibility rule is judged once in Python by the
  one matcher (app.directory.eligibility.match_rules; a handful of rules, not thousands of
  services), and rows whose rule keys include a refusing rule are hidden;
- open now: a row of search_hours open at this local time (the rules of app.search.open_now);
- boosts, order and page: SQL expressions with ORDER BY ... LIMIT; facets and hidden counts:
  GROUP BY over the same filtered rows.

The arithmetic (boosts, distances, ranks) is written in float8 in the same order as Python's,
so both backends give the same scores, ties and pages.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import text

from app.directory.models import WEEKDAYS
from app.search import pg_lookups, pg_pipeline, pg_place
from app.search.hidden import BARRED, BY_CAPACITY, NO_FIGURE, REFUSES
from app.search.pg_pipeline import driver_sql
from app.search.pg_text import THRESHOLD_SQL, TextQuery
from app.search.ranking import (
    ACTIVE,
    ASSESSMENT,
    FULL,
    HAS_ROOM,
    NOT_LISTED,
    ROOM_BOOST,
    VERIFIED_BOOST,
    VERIFIED_HORIZON_DAYS,
    WAITLIST,
    Plan,
    PlanContext,
)
from app.search.results import UNKNOWN

F8 = "CAST(:{} AS float8)"

# Sent with each search, for this transaction only. psycopg prepares a statement after five
# runs, and PostgreSQL may then switch to a generic plan that ignores the actual box or filter
# values (30-40 ms for a geo search with no hit): plan each statement for its own values. No JIT
# (compiling costs 10-50 ms, more than the whole search), no parallel workers (two cores serve
# several requests at once), and room to count and sort tens of thousands of matching rows in
# memory rather than in temporary files. No read-ahead of the bitmap's heap pages: the search
# tables are read by every search and stay in memory, so prefetching them only costs a buffer
# lookup per page. The trigram threshold of typo matching (pg_text).
SETTINGS_SQL = "SELECT " + ", ".join(
    [
        *(
            f"set_config('{name}', '{value}', true)"
            for name, value in (
                ("plan_cache_mode", "force_custom_plan"),
                ("jit", "off"),
                ("max_parallel_workers_per_gather", "0"),
                ("work_mem", "32MB"),
                ("effective_io_concurrency", "0"),
            )
        ),
        THRESHOLD_SQL,
    ]
)

# ranking.capacity_state over the row's summary columns; :fresh is the oldest fresh moment
CAPACITY_STATE = f"""CASE
    WHEN d.cap_room >= :fresh THEN '{HAS_ROOM}'
    WHEN d.cap_waitlist >= :fresh THEN '{WAITLIST}'
    WHEN d.cap_assessment >= :fresh THEN '{ASSESSMENT}'
    WHEN d.cap_any >= :fresh THEN '{FULL}'
    WHEN d.cap_count > 0 THEN '{UNKNOWN}'
    ELSE '{NOT_LISTED}' END"""

# app.search.open_now.is_open_at at local :clock on :today (weekday code :dow; :dow_before)
OPEN_NOW = """EXISTS (SELECT 1 FROM search_hours h WHERE h.doc = d.doc AND (
    (h.day = :dow AND (h.valid_from IS NULL OR h.valid_from <= :today)
     AND (h.valid_to IS NULL OR h.valid_to >= :today)
     AND (((h.closes = CAST('00:00' AS time) OR h.closes < h.opens) AND :clock >= h.opens)
          OR (h.opens <= :clock AND :clock < h.closes)))
    OR (h.day = :dow_before AND h.closes < h.opens AND h.closes <> CAST('00:00' AS time)
        AND (h.valid_from IS NULL OR h.valid_from <= :yesterday)
        AND (h.valid_to IS NULL OR h.valid_to >= :yesterday) AND :clock < h.closes)))"""


# ranking: 1 + room boost when there is room + verified boost fading over the horizon
BOOST = f"""((CAST(1 AS float8) + CASE WHEN cap = '{HAS_ROOM}'
    THEN {F8.format("room_boost")} ELSE CAST(0 AS float8) END)
    + {F8.format("verified_boost")} * CASE WHEN verified IS NULL THEN CAST(0 AS float8)
      ELSE GREATEST(CAST(0 AS float8), CAST(1 AS float8)
                    - ({F8.format("now_ts")} - verified) / {F8.format("horizon")}) END)"""
FACETS = ("need_area", "town", "language", "capacity_status")

ORDERS = {
    "relevance": ["tier", "score DESC", 'service_id COLLATE "C"'],
    "distance": ["miles", "tier", "boost DESC", 'service_id COLLATE "C"'],
    "verified": ["verified DESC NULLS LAST", "boost DESC", 'service_id COLLATE "C"'],
}


def plan(session: Any, ext: str, ctx: PlanContext) -> Plan:
    """The page plan: its lookups and statement in as few round trips as they allow.

    When every lookup is remembered (app.search.pg_lookups), the statement is built from the
    remembered answers and sent with the settings in one round trip; it carries the versions
    they were remembered under and scans nothing if the versions moved (a one-time filter),
    and only then are the lookups asked again. Otherwise the settings and the lookups go in
    one round trip, then the statement."""
    if session.autoflush:  # what session.execute would do first: statements sent past it
        session.flush()
    params: dict[str, Any] = {"active": ACTIVE}
    words = TextQuery(session, ext, ctx.parts) if ctx.parts else None
    lookups = _questions(ctx, words, params)
    held = pg_lookups.remembered(session, lookups) if lookups else ({}, None)
    found = None
    if held is not None:
        answers, version = held
        sql, bound = _statement(ctx, words, answers, dict(params), version)
        sent = pg_pipeline.send(session, [(SETTINGS_SQL, {}), driver_sql(session, sql, bound)])
        found = _json(sent[1][0][0][0])
        if version is not None and found.get("_a") != version:
            found = None  # the directory changed since: ask again
    if found is None:
        answers = pg_lookups.fetch(session, lookups, params, first=SETTINGS_SQL)
        sql, bound = _statement(ctx, words, answers, dict(params), None)
        found = _json(session.execute(text(sql), bound).scalar_one())
    rows = found["page"] or []
    counts: dict[str, dict[str, int]] = {key: {} for key in (*FACETS, "hidden")}
    for kind, key, n in found["counts"] or []:
        counts[kind][key] = n
    total = sum(counts["capacity_status"].values())  # every kept row has one capacity state
    suggestion = words.suggest(ctx.parts) if words is not None and total == 0 else None
    return Plan(
        total=total,
        facets={key: counts[key] for key in FACETS},
        page=[(sid, tier_of, score) for sid, tier_of, score, *_ in rows],
        nearby={sid: (miles, loc) for sid, _, _, _, miles, loc in rows if miles is not None},
        did_you_mean=suggestion,
        hidden=counts["hidden"],
        hidden_of={sid: why for sid, _, _, why, _, _ in rows if why is not None},
        versions=found.get("_v"),
    )


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _questions(
    ctx: PlanContext, words: TextQuery | None, params: dict[str, Any]
) -> dict[str, tuple[Any, str]]:
    """What the statement needs decided in Python first (pg_lookups: name -> (memo key, SQL))."""
    lookups = words.lookups(params) if words is not None else {}
    if ctx.place is not None:
        lookups["edge"] = pg_place.edge_question(ctx, params)
    if _hides(ctx.request):
        lookups["rules"] = (
            ("rules",),
            "SELECT json_agg(json_build_array(key, criterion, answer, vals, min_age, max_age, "
            "strict)) "
            "FROM search_rule WHERE answer IN ('yes', 'no')",  # only these can refuse
        )
    return lookups


def _hides(request: Any) -> bool:
    return request.profile is not None and request.eligibility_mode == "hide_ineligible"


def _statement(
    ctx: PlanContext,
    words: TextQuery | None,
    found: dict[str, Any],
    params: dict[str, Any],
    version: str | None,
) -> tuple[str, dict[str, Any]]:
    """The search statement (and its parameters) given the lookups' answers; it says which
    content versions it saw (`_v`, for the page rows), and with `version` (the lookups') it
    scans nothing unless they are still that (and says which it saw: `_a`)."""
    request = ctx.request
    hide = _hides(request)
    where = ["d.status = :active", *_filters(ctx, params)]
    if version is not None:  # a one-time filter: no row is read when the directory changed
        params["_guard"] = version
        where.append(f"{pg_lookups.ASKED} = CAST(:_guard AS text)")
    tier, relevance = "0", "CAST(1 AS float8)"
    if words is not None:
        words.load(found)
        condition, tier, relevance = words.sql(params)
        where.append(condition)
    near, join, place_columns = "", "", "CAST(NULL AS float8) AS miles, NULL AS location_id"
    if ctx.place is not None:
        measure, box = pg_place.box(ctx, params)
        pg_place.near_params(measure, found.get("edge") or [], params)
        near = pg_place.NEAR.format(box=box.format(p=""))
        join = "LEFT JOIN near n ON n.doc = d.doc"
        # by the row's own place or by the key: both indexable, so the database ANDs them
        # with the text's bitmap and reads only the rows that match both
        where.append(pg_place.IN_CIRCLE.format(row_box=box.format(p="d.")))
        place_columns = pg_place.PLACE_COLUMNS
    if request.open_now:
        where.append(OPEN_NOW)
        _open_now_params(ctx, params)
    refusing = _refusing_rules(found.get("rules") or [], request.profile) if hide else []
    params["refusing"] = refusing
    refuses = "d.rule_keys && CAST(:refusing AS text[])" if refusing else "FALSE"
    # ~12,000 ids at 50,000 services: one string (a text array parameter of that size costs
    # the driver and the server ~25 ms to write and read), split once into a constant array
    params["barred"] = ",".join(request.barred)
    barred = (
        "d.service_id = ANY(string_to_array(CAST(:barred AS text), ','))"
        if request.barred
        else "FALSE"
    )
    params["fresh"] = (ctx.now - timedelta(days=ctx.stale_days)).timestamp()
    params.update(
        now_ts=ctx.now.timestamp(),
        horizon=float(VERIFIED_HORIZON_DAYS * 86400),
        room_boost=ROOM_BOOST,
        verified_boost=VERIFIED_BOOST,
        limit=request.per_page,
        offset=(request.page - 1) * request.per_page,
    )
    boost = BOOST
    if request.acceptance:  # who really accepts: service id -> factor, one JSON value
        params["accept"] = json.dumps(request.acceptance)
        boost = (
            f"({BOOST}) * coalesce(CAST(CAST(:accept AS jsonb) ->> service_id AS float8), "
            "CAST(1 AS float8))"
        )
    reason = _reason_sql(request, params)
    kept = "TRUE" if request.show_hidden else "reason IS NULL"
    order = ", ".join(ORDERS[request.sort])
    asked = f" '_a', {pg_lookups.ASKED}," if version is not None else ""
    # Hidden rows are counted, not ranked: relevance (ts_rank) and boosts are worked out for
    # the rows that are kept only, and their product (the score) for the rows the page sorts.
    # One materialized pass over the matching rows; one GROUP BY counts them per combination
    # of facet values (search_facet: a few thousand combinations, not tens of thousands of
    # rows) and per capacity state, with their hidden reasons; then each combination's values.
    sql = f"""WITH {near}m AS MATERIALIZED (
    SELECT doc, service_id, facet_key, verified, cap, reason, miles,
           location_id, CASE WHEN {kept} THEN {tier} END AS tier,
           CASE WHEN {kept} THEN {relevance} END AS relevance,
           CASE WHEN {kept} THEN {boost} END AS boost
    FROM (
        SELECT c.*, {reason} AS reason FROM (
            SELECT d.doc, d.service_id, d.facet_key, d.verified,
                   d.tsv, d.tsv_es, d.spell, {CAPACITY_STATE} AS cap, {refuses} AS refuses,
                   {barred} AS barred,
                   {place_columns}
            FROM search_document d {join}
            WHERE {" AND ".join(where)}
            OFFSET 0  -- a fence: each row's capacity state is worked out once, not per use
        ) c
    ) d
), g AS (
    SELECT facet_key, cap, reason, GROUPING(facet_key) AS by_cap, count(*) AS n
    FROM m GROUP BY GROUPING SETS ((facet_key, reason), (cap, reason))
), v AS (
    SELECT f.need_areas, f.town_names, f.languages, g.n
    FROM g JOIN search_facet f ON f.key = g.facet_key WHERE g.by_cap = 0 AND {kept}
), counts AS (
    SELECT kind, k, CAST(sum(n) AS bigint) AS n FROM (
        SELECT 'need_area' AS kind, unnest(need_areas) AS k, n FROM v
        UNION ALL SELECT 'town', unnest(town_names), n FROM v
        UNION ALL SELECT 'language', unnest(languages), n FROM v
        UNION ALL SELECT 'capacity_status', cap, n FROM g WHERE by_cap = 1 AND {kept}
        UNION ALL SELECT 'hidden', reason, n FROM g WHERE by_cap = 1 AND reason IS NOT NULL
    ) c GROUP BY kind, k
)
SELECT json_build_object(
    '_v', {pg_lookups.CURRENT},{asked}
    'counts', (SELECT json_agg(json_build_array(kind, k, n)) FROM counts),
    'page', (SELECT json_agg(json_build_array(service_id, tier, score, reason, miles,
                                              location_id) ORDER BY {order})
             FROM (SELECT m.*, relevance * boost AS score FROM m WHERE {kept}
                   ORDER BY {order} LIMIT :limit OFFSET :offset) p)
)"""
    return sql, params


def _filters(ctx: PlanContext, params: dict[str, Any]) -> list[str]:
    filters, clauses = ctx.filters, []
    if filters.need_areas:
        params["needs"] = sorted(filters.need_areas)
        clauses.append("d.need_areas && CAST(:needs AS text[])")
    if filters.language:
        params["language"] = filters.language.lower()
        clauses.append("d.languages @> ARRAY[CAST(:language AS text)]")
    if filters.town:
        params["town"] = filters.town.strip()
        clauses.append("d.towns @> ARRAY[lower(CAST(:town AS text))]")
    if filters.towns:
        params["towns"] = sorted({t.strip().lower().replace(",", " ") for t in filters.towns})
        clauses.append("d.towns && CAST(:towns AS text[])")
    return clauses


def _reason_sql(request: Any, params: dict[str, Any]) -> str:
    """app.search.hidden.hidden_reason as SQL over the row's `refuses`, `barred` and `cap`."""
    cases = [f"WHEN refuses THEN '{REFUSES}'", f"WHEN barred THEN '{BARRED}'"]
    if request.has_capacity:
        wanted = [HAS_ROOM, WAITLIST] if request.include_waitlist else [HAS_ROOM]
        params["wanted"] = wanted
        by_state = " ".join(f"WHEN '{state}' THEN '{why}'" for state, why in BY_CAPACITY.items())
        cases.append(
            f"WHEN cap <> ALL(CAST(:wanted AS text[])) "
            f"THEN CASE cap {by_state} ELSE '{NO_FIGURE}' END"
        )
    return f"CASE {' '.join(cases)} END"


def _open_now_params(ctx: PlanContext, params: dict[str, Any]) -> None:
    moment = ctx.moment
    today = moment.date()
    yesterday = today - timedelta(days=1)
    params.update(
        dow=WEEKDAYS[today.weekday()],
        dow_before=WEEKDAYS[yesterday.weekday()],
        today=today,
        yesterday=yesterday,
        clock=moment.time(),
    )


# (profile, rule) -> refuses: a pure function of the two, and a search judges every distinct
# rule (~50) for its person; counselors search for the same person again and again
_REFUSES: dict[tuple[Any, tuple], bool] = {}
_REFUSES_MAX = 20_000


def _refusing_rules(rows: list, profile: Any) -> list[str]:
    """Keys of the distinct rules (key, criterion, answer, values, min, max, strict) that
    refuse this person: the one matcher decides (its verdicts remembered per person and rule)."""
    from app.directory.eligibility import Status, match_rules
    from app.directory.vocabulary import Answer, Criterion
    from app.search.facts import RuleRow

    try:
        hash(profile)
        memo: dict[tuple[Any, tuple], bool] | None = _REFUSES
    except TypeError:  # a profile holding a set: judged afresh, never remembered
        memo = None
    if memo is not None and len(memo) > _REFUSES_MAX:
        memo.clear()
    refusing = []
    for key, criterion, answer, values, min_age, max_age, strict in rows:
        seen = (profile, (criterion, answer, tuple(values), min_age, max_age, strict))
        refuses = memo.get(seen) if memo is not None else None
        if refuses is None:
            try:
                rule = RuleRow(
                    Criterion(criterion), Answer(answer), list(values), min_age, max_age, strict
                )
            except ValueError:
                refuses = False  # a criterion this version does not know refuses nobody
            else:
                refuses = match_rules(profile, [rule]).status == Status.NOT_ELIGIBLE
            if memo is not None:
                memo[seen] = refuses
        if refuses:
            refusing.append(key)
    return refusing
