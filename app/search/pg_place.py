"""The place part of a PostgreSQL search (app.search.pg_plan): the bounding box, the edge band
and the circle, as SQL over the search rows.

A service at one place keeps it on its search row (lat, lon and unit vector, with a btree on lat
and lon), so the statement ANDs the box's index bitmap with the words'. The points of services
at several places are in search_point (`multi`). A point close to the radius's edge is measured
in Python first, by nearby.Distances itself, so inclusion is exactly the Whoosh path's: the
edge band is one of the search's small remembered questions (app.search.pg_lookups).
"""

from __future__ import annotations

import json
from typing import Any

from app.search.geo import EARTH_RADIUS_MILES, bounding_box
from app.search.nearby import Distances
from app.search.ranking import PlanContext


# the unit-vector chord of app.search.nearby.Distances, and its great-circle miles
def _chord2(p: str = "") -> str:
    """The squared chord to the place of the unit vector in columns {p}x, {p}y, {p}z."""
    return " + ".join(f"({p}{c} - :o{c}) * ({p}{c} - :o{c})" for c in "xyz")


CHORD2 = _chord2()
ROW_CHORD2 = _chord2("d.")
MILES = "CAST(:diameter AS float8) * asin(LEAST(CAST(1 AS float8), sqrt({c2}) / 2))"
# The docs whose place is not on their row, nearest point first: services at several places
# (their points in the circle), and services whose point lies near the radius's edge (measured
# in Python first: `near_params`). A service at one place surely inside is found by its own row.
NEAR = f"""inner_multi AS MATERIALIZED (
    SELECT doc, location_id, c2 FROM (
        SELECT doc, location_id, {CHORD2} AS c2 FROM search_point WHERE multi AND {{box}}) p
    WHERE c2 < :inner2
), near AS MATERIALIZED (
    SELECT DISTINCT ON (doc) doc, location_id, miles FROM (
        SELECT doc, location_id, {MILES.format(c2="c2")} AS miles FROM inner_multi
        UNION ALL
        SELECT CAST(e->>0 AS bigint), e->>1, CAST(e->>2 AS float8)
        FROM json_array_elements(CAST(:edge AS json)) e
    ) q ORDER BY doc, miles, location_id COLLATE "C"
), """
# a row in the circle: its own place surely inside, one of the edge band's docs measured inside
# (a constant array: the database looks a row up in it by hash, not item by item), or a service
# at several places with a point inside
IN_CIRCLE = f"""(({{row_box}} AND {ROW_CHORD2} < :inner2)
    OR d.doc = ANY(CAST(string_to_array(CAST(:edge_docs AS text), ',') AS bigint[]))
    OR d.doc = ANY(ARRAY(SELECT doc FROM inner_multi)))"""
PLACE_COLUMNS = f"""coalesce(n.miles, {MILES.format(c2=ROW_CHORD2)}) AS miles,
    coalesce(n.location_id, d.location_id) AS location_id"""


def edge_question(ctx: PlanContext, params: dict[str, Any]) -> tuple[tuple, str]:
    """The edge band's lookup: (memo key, SQL of one JSON value): each place near the radius's
    edge once (many services share one: a building), with its docs."""
    assert ctx.place is not None
    _, found = box(ctx, params)
    return (
        ("edge", ctx.place.lat, ctx.place.lon, ctx.radius),
        "SELECT json_agg(json_build_array(location_id, lat, lon, x, y, z, docs)) FROM ("
        "SELECT location_id, lat, lon, x, y, z, array_agg(doc ORDER BY doc) AS docs "
        f"FROM search_point WHERE {found.format(p='')} AND {CHORD2} BETWEEN :inner2 AND "
        ":outer2 GROUP BY location_id, lat, lon, x, y, z) e",
    )


def box(ctx: PlanContext, params: dict[str, Any]) -> tuple[Distances, str]:
    """The place's Distances and its bounding box as SQL (parameters added; "{p}" stands for
    the table's prefix)."""
    assert ctx.place is not None and ctx.radius is not None
    measure = Distances(ctx.place, ctx.radius)
    box = bounding_box(ctx.place.lat, ctx.place.lon, ctx.radius)
    params.update(lat0=box.min_lat, lat1=box.max_lat)
    lons = []
    for n, (lo, hi) in enumerate(box.lon_ranges):
        params[f"lo{n}"], params[f"hi{n}"] = lo, hi
        lons.append(f"{{p}}lon BETWEEN :lo{n} AND :hi{n}")
    ox, oy, oz = measure.vector
    params.update(
        ox=ox,
        oy=oy,
        oz=oz,
        inner2=measure.inner2,
        outer2=measure.outer2,
        diameter=2 * EARTH_RADIUS_MILES,
    )
    return measure, f"{{p}}lat BETWEEN :lat0 AND :lat1 AND ({' OR '.join(lons)})"


def near_params(measure: Distances, edge: list, params: dict[str, Any]) -> None:
    """The parameters of the `near` CTE (doc, location_id, miles of its nearest point within
    the radius, for the docs whose place is not decided by their own row) and of IN_CIRCLE.
    The places close to the edge (`edge`: location id, lat, lon, unit vector and the docs
    there, each place once) are measured here first, by nearby.Distances itself; the ones
    inside go in as (doc, location, miles). Worked out once per remembered edge answer (the
    same object while pg_lookups keeps it), not again for each search around that place."""
    key = (id(edge), measure.origin, measure.radius)
    held = _NEAR.get(key)
    if held is None or held[0] is not edge:
        measure.scan([[(n, loc, *point) for n, (loc, *point, _) in enumerate(edge)]])
        inside = [
            [doc, loc, miles]
            for n, (miles, loc) in sorted(measure.nearest.items())
            for doc in edge[n][6]
        ]
        # one JSON text (floats written to round-trip exactly): three arrays of a few hundred
        # items each cost the driver more to write than the statement's other work
        docs = ",".join(str(doc) for doc in sorted({doc for doc, _, _ in inside}))
        held = (edge, json.dumps(inside), docs)
        if len(_NEAR) >= _NEAR_MAX:
            _NEAR.clear()
        _NEAR[key] = held
    params["edge"], params["edge_docs"] = held[1], held[2]


_NEAR: dict[tuple, tuple[list, str, str]] = {}
_NEAR_MAX = 256
