"""The PostgreSQL search rows, built by the database from the catalog tables (one SQL text).

Why SQL: the rows are read by SQL only, so the database builds them where the data is: no
Python document per service, no round trips. The same statements serve one service's update
(`write`, in the catalog change's own transaction) and the rebuild of all of them (`rebuild`:
fresh tables in a side schema, indexes made after the bulk load, then swapped in), so the two
can never disagree (the rebuild is app.search.pg_rebuild).

What a row holds mirrors the Whoosh document (app.search.documents, which tests compare it
with): title = name and alternate name; tags = taxonomy term names, organization name and
alternate name; body = description, eligibility text, language names, towns; spell = title,
description, tags; need areas = the service's need-area terms, those mapped from its other
terms, and all their ancestors; a location's town is its physical address's city, else its
first address's; hours are the service's own, else its locations'.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from sqlalchemy import text

from app.directory.models import NEED_AREA_TAXONOMY, WEEKDAYS

DEG = math.pi / 180  # as Python's math.radians, so distances agree with app.search.nearby
# one rebuild at a time per schema; writers take it shared (see `write`)
LOCK = "7310014, hashtext(current_schema())"

_TSV = (
    "setweight(to_tsvector('partners_en', title), 'A') || "
    "setweight(to_tsvector('partners_en', tags), 'B') || "
    "setweight(to_tsvector('partners_en', body), 'C')"
)
# Spanish forms only decide matches (ts_rank reads the English vector): one unweighted vector
_ES = "to_tsvector('partners_es', concat_ws(' ', title, tags, body, es_text))"
# a rule's key holds every field the matcher reads, the strictly-required flag included
RULE_KEY = (
    "md5(json_build_array(x.criterion, x.answer, x.values, x.min_age, x.max_age, "
    "coalesce(x.strict, false))::text)"
)

# One row per service: {svc} filters service (s), {child} a table with service_id (x), {sal}
# service_at_location (sal). Text fields are '' rather than NULL (to_tsvector(NULL) is NULL).
DOCUMENTS = f"""
svc AS (
    SELECT s.id, s.name, s.alternate_name, s.description, s.eligibility_description, s.status,
           s.last_verified_at, o.name AS org_name, o.alternate_name AS org_alt,
           concat_ws(' ', NULLIF(st.name, ''), NULLIF(st.description, ''),
                     NULLIF(st.eligibility_description, '')) AS es_text  -- the provider's Spanish
    FROM service s LEFT JOIN organization o ON o.id = s.organization_id
    LEFT JOIN service_translation st ON st.service_id = s.id AND st.language = 'es'
    WHERE {{svc}}
), need_term AS (
    SELECT id, code, parent_id FROM taxonomy_term WHERE taxonomy = :need_taxonomy
), link AS (
    SELECT x.service_id, x.taxonomy_term_id AS term_id FROM service_taxonomy_term x WHERE {{child}}
), terms AS (
    SELECT l.service_id, string_agg(NULLIF(t.name, ''), ' ' ORDER BY t.name, t.id) AS names
    FROM link l JOIN taxonomy_term t ON t.id = l.term_id GROUP BY l.service_id
), base AS (
    SELECT l.service_id, n.id FROM link l JOIN need_term n ON n.id = l.term_id
    UNION
    SELECT l.service_id, m.need_area_id FROM link l
    JOIN need_area_mapping m ON m.taxonomy_term_id = l.term_id
    WHERE NOT EXISTS (SELECT 1 FROM need_term n WHERE n.id = l.term_id)
), up AS (
    SELECT service_id, id FROM base
    UNION
    SELECT up.service_id, n.parent_id FROM up JOIN need_term n ON n.id = up.id
    WHERE n.parent_id IS NOT NULL
), needs AS (
    SELECT up.service_id, array_agg(DISTINCT n.code COLLATE "C") AS codes
    FROM up JOIN need_term n ON n.id = up.id WHERE n.code <> '' GROUP BY up.service_id
), langs AS (
    SELECT x.service_id,
           array_agg(DISTINCT lower(x.code) COLLATE "C") FILTER (WHERE x.code <> '') AS codes,
           string_agg(NULLIF(x.name, ''), ' ' ORDER BY x.name, x.id) AS names
    FROM language x WHERE {{child}} GROUP BY x.service_id
), town_of AS (  -- a location's town: its physical address's city, else its first address's
    SELECT DISTINCT ON (a.location_id) a.location_id, a.city FROM address a
    WHERE a.location_id IN (SELECT sal.location_id FROM service_at_location sal WHERE {{sal}})
    ORDER BY a.location_id, (a.address_type = 'physical') DESC, a.id
), towns AS (
    SELECT sal.service_id, array_agg(DISTINCT t.city COLLATE "C") AS names
    FROM service_at_location sal JOIN town_of t ON t.location_id = sal.location_id
    WHERE {{sal}} AND t.city <> '' GROUP BY sal.service_id
), caps AS (
    SELECT service_id, count(*) AS n,
        max(e) FILTER (WHERE status = 'has-capacity' AND (available IS NULL OR available > 0))
            AS room,
        max(e) FILTER (WHERE status = 'waitlist') AS waitlist,
        max(e) FILTER (WHERE status = 'assessment-required') AS assessment,
        max(e) AS anything
    FROM (SELECT x.service_id, x.status, x.available,
                 CAST(extract(epoch FROM x.updated) AS float8) AS e
          FROM service_capacity x WHERE {{child}}) c
    GROUP BY service_id
), spot AS (  -- where the service is (its first point, to store neighbours together), and
    -- how many points it has (as many as POINTS writes)
    SELECT DISTINCT ON (sal.service_id) sal.service_id, l.id AS location_id, l.latitude,
           l.longitude, count(*) OVER (PARTITION BY sal.service_id) AS points
    FROM service_at_location sal JOIN location l ON l.id = sal.location_id
    WHERE {{sal}} AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL
    ORDER BY sal.service_id, l.id
), rules AS (
    SELECT x.service_id, array_agg({RULE_KEY}) AS keys FROM eligibility_rule x
    WHERE {{child}} GROUP BY x.service_id
), doc AS (
    SELECT svc.id, svc.status, svc.last_verified_at,
        concat_ws(' ', NULLIF(svc.name, ''), NULLIF(svc.alternate_name, '')) AS title,
        concat_ws(' ', terms.names, NULLIF(svc.org_name, ''), NULLIF(svc.org_alt, '')) AS tags,
        concat_ws(' ', NULLIF(svc.description, ''), NULLIF(svc.eligibility_description, ''),
                  langs.names, array_to_string(towns.names, ' ')) AS body,
        svc.description, svc.es_text, needs.codes AS needs, langs.codes AS languages,
        towns.names AS towns,
        caps.n, caps.room, caps.waitlist, caps.assessment, caps.anything, rules.keys,
        spot.latitude, spot.longitude, spot.location_id, spot.points
    FROM svc
    LEFT JOIN terms ON terms.service_id = svc.id
    LEFT JOIN needs ON needs.service_id = svc.id
    LEFT JOIN langs ON langs.service_id = svc.id
    LEFT JOIN towns ON towns.service_id = svc.id
    LEFT JOIN caps ON caps.service_id = svc.id
    LEFT JOIN rules ON rules.service_id = svc.id
    LEFT JOIN spot ON spot.service_id = svc.id
)
"""


def unit_vector(lat: str, lon: str) -> list[str]:
    """x, y, z of the point in columns `lat`, `lon` (as app.search.nearby.unit_vector); one
    text for the row's own place and its points, so both give the same floats."""
    return [
        f"cos({lat} * :deg) * cos({lon} * :deg)",
        f"cos({lat} * :deg) * sin({lon} * :deg)",
        f"sin({lat} * :deg)",
    ]


# the place of a service at exactly one (its point as in POINTS), else NULLs
ONE_PLACE = ", ".join(
    f"CASE WHEN points = 1 THEN {value} END"
    for value in ("latitude", "longitude", *unit_vector("latitude", "longitude"), "location_id")
)

# the facet values of a row (need areas, towns as written, languages), and their key
FACET_VALUES = (
    "coalesce(needs, CAST('{}' AS text[])) AS f_needs, "
    "coalesce(towns, CAST('{}' AS text[])) AS f_towns, "
    "coalesce(languages, CAST('{}' AS text[])) AS f_langs"
).replace("{}", "{{}}")  # DOC_INSERT is formatted once more
FACET_KEY = "sha256(convert_to(json_build_array(f_needs, f_towns, f_langs)::text, 'UTF8'))"

# the rows of `doc` into {t}search_document
DOC_INSERT = f"""
INSERT INTO {{t}}search_document (service_id, status, lat, lon, x, y, z, location_id, tsv,
    tsv_es, spell, need_areas, languages, towns, town_names, verified, cap_count, cap_room,
    cap_waitlist, cap_assessment, cap_any, rule_keys, facet_key)
SELECT id, status, {ONE_PLACE}, {_TSV}, {_ES},
    to_tsvector('partners_words',
                concat_ws(' ', NULLIF(title, ''), NULLIF(description, ''), NULLIF(tags, ''))),
    f_needs, f_langs,
    ARRAY(SELECT lower(replace(t, ',', ' ')) FROM unnest(towns) t), f_towns,
    CAST(extract(epoch FROM last_verified_at) AS float8),
    coalesce(n, 0), room, waitlist, assessment, anything, coalesce(keys, '{{{{}}}}'),
    {FACET_KEY}
FROM (SELECT doc.*, {FACET_VALUES} FROM doc) doc
ORDER BY floor(latitude * 20), longitude  -- a place's rows share pages: a radius reads fewer
"""

UPSERT = """ON CONFLICT (service_id) DO UPDATE SET
    status = excluded.status, lat = excluded.lat, lon = excluded.lon, x = excluded.x,
    y = excluded.y, z = excluded.z, location_id = excluded.location_id, tsv = excluded.tsv,
    tsv_es = excluded.tsv_es, spell = excluded.spell, need_areas = excluded.need_areas,
    languages = excluded.languages,
    towns = excluded.towns, town_names = excluded.town_names, verified = excluded.verified,
    cap_count = excluded.cap_count, cap_room = excluded.cap_room,
    cap_waitlist = excluded.cap_waitlist, cap_assessment = excluded.cap_assessment,
    cap_any = excluded.cap_any, rule_keys = excluded.rule_keys, facet_key = excluded.facet_key
RETURNING doc, service_id, lat, spell, facet_key, need_areas, town_names, languages"""

POINTS = f"""
INSERT INTO {{t}}search_point (doc, location_id, lat, lon, x, y, z, multi)
SELECT d.doc, l.id, l.latitude, l.longitude,
    {", ".join(unit_vector("l.latitude", "l.longitude"))},
    d.lat IS NULL  -- a row without its own place: several points
FROM service_at_location sal JOIN location l ON l.id = sal.location_id
JOIN {{docs}} d ON d.service_id = sal.service_id
WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL AND {{sal}}
"""

# app.search.open_now: DAILY without days = every day; other frequencies have no days
HOURS = """
INSERT INTO {t}search_hours (doc, day, opens, closes, valid_from, valid_to)
SELECT d.doc, days.day, h.opens_at, h.closes_at, h.valid_from, h.valid_to
FROM (
    SELECT x.service_id, x.freq, x.byday, x.opens_at, x.closes_at, x.valid_from, x.valid_to
    FROM schedule x WHERE {child}
    UNION ALL
    SELECT sal.service_id, x.freq, x.byday, x.opens_at, x.closes_at, x.valid_from, x.valid_to
    FROM service_at_location sal
    JOIN schedule x ON x.location_id = sal.location_id AND x.service_id IS NULL
    WHERE {sal} AND NOT EXISTS (SELECT 1 FROM schedule o WHERE o.service_id = sal.service_id)
) h
JOIN {docs} d ON d.service_id = h.service_id
CROSS JOIN LATERAL (
    SELECT ARRAY(
        SELECT btrim(w) FROM unnest(string_to_array(coalesce(h.byday, ''), ',')) w
        WHERE btrim(w) = ANY(CAST(:weekdays AS text[]))
    ) AS listed, upper(coalesce(NULLIF(h.freq, ''), 'WEEKLY')) AS freq
) f
CROSS JOIN LATERAL unnest(
    CASE WHEN f.freq = 'DAILY' AND cardinality(f.listed) = 0 THEN CAST(:weekdays AS text[])
         WHEN f.freq IN ('WEEKLY', 'DAILY') THEN f.listed
         ELSE CAST('{{}}' AS text[]) END
) AS days(day)
WHERE h.opens_at IS NOT NULL AND h.closes_at IS NOT NULL
"""

RULES = f"""
INSERT INTO {{t}}search_rule (key, criterion, answer, vals, min_age, max_age, strict)
SELECT DISTINCT ON (1) {RULE_KEY}, x.criterion, x.answer,
    ARRAY(SELECT json_array_elements_text(
        CASE WHEN json_typeof(x.values) = 'array' THEN x.values ELSE '[]' END)),
    x.min_age, x.max_age, coalesce(x.strict, false)
FROM eligibility_rule x WHERE {{child}}
ON CONFLICT DO NOTHING
"""


# One statement writes a service's rows: the row, its points, hours, rules and words. All parts
# see the same snapshot, so the old points and hours are deleted while the new ones go in.
WRITE = f"""WITH RECURSIVE {DOCUMENTS}, written AS ({DOC_INSERT} {UPSERT}
), gone AS (
    DELETE FROM search_document WHERE service_id = ANY(:ids)
    AND NOT EXISTS (SELECT 1 FROM service s WHERE s.id = service_id)
), old_points AS (
    DELETE FROM search_point WHERE doc IN (SELECT doc FROM written)
), old_hours AS (
    DELETE FROM search_hours WHERE doc IN (SELECT doc FROM written)
), new_points AS ({POINTS}), new_hours AS ({HOURS}), new_rules AS ({RULES}
), new_words AS (
    INSERT INTO search_word (word) SELECT DISTINCT w.lexeme FROM written, unnest(written.spell) w
    ON CONFLICT DO NOTHING
), new_facets AS (
    INSERT INTO search_facet (key, need_areas, town_names, languages)
    SELECT DISTINCT ON (facet_key) facet_key, need_areas, town_names, languages FROM written
    ON CONFLICT DO NOTHING
)
SELECT count(*) FROM written"""


WORDS = (
    "INSERT INTO {t}search_word (word) "
    "SELECT word FROM ts_stat('SELECT spell FROM {t}search_document')"
)
# every combination of facet values once (a row's combination never changes under its key, so
# a write only adds the new ones; combinations no longer used stay until the next rebuild)
FACETS = (
    "INSERT INTO {t}search_facet (key, need_areas, town_names, languages) "
    "SELECT DISTINCT ON (facet_key) facet_key, need_areas, town_names, languages "
    "FROM {t}search_document"
)


def params_for(ids: list[str] | None) -> dict[str, Any]:
    params: dict[str, Any] = {
        "need_taxonomy": NEED_AREA_TAXONOMY,
        "deg": DEG,
        "weekdays": list(WEEKDAYS),
    }
    if ids is not None:
        params["ids"] = ids
    return params


def where_for(ids: bool, share: bool = False) -> dict[str, str]:
    """The filters of the templates: these services (:ids), a share of all (:part of :parts,
    by a hash of the id), or all."""
    if ids:
        condition = "{} = ANY(:ids)"
    elif share:
        condition = "(hashtext({}) & 2147483647) % :parts = :part"
    else:
        condition = "TRUE"
    return {
        "svc": condition.format("s.id"),
        "child": condition.format("x.service_id"),
        "sal": condition.format("sal.service_id"),
    }


# Up to this many services, `write` runs one prepared statement with a generic plan: the
# statement is long (planning it cost more than running it: ~20 of ~30 ms for one service),
# and its plan (index lookups by service id) is the same for every small set of ids.
PREPARED_MAX_IDS = 50
_compiled: dict[tuple[str, str], str] = {}  # WRITE in the driver's parameter style


def write(session: Any, ids: Iterable[str]) -> int:
    """Upsert the search rows of these services from the session's current state (uncommitted
    changes included); rows of services no longer there are deleted. Returns rows written."""
    ids = sorted(set(ids))
    if not ids:
        return 0
    conn = session.connection()
    sql = WRITE.format(t="", docs="written", **where_for(ids=True))
    if len(ids) > PREPARED_MAX_IDS:  # planned for its own ids (a bulk change)
        conn.execute(text(f"SELECT pg_advisory_xact_lock_shared({LOCK})"))  # not in a rebuild
        return conn.execute(text(sql), params_for(ids)).scalar_one()
    dialect = conn.dialect
    compiled = _compiled.get((dialect.name, dialect.driver))
    if compiled is None:
        compiled = str(text(sql).compile(dialect=dialect))
        _compiled[dialect.name, dialect.driver] = compiled
    driver = conn.connection.driver_connection  # psycopg: the same connection and transaction
    # the lock (writers wait for a rebuild), and a generic plan for this one statement: the
    # setting goes back to what it was after it (a failed write aborts the transaction, which
    # undoes the setting anyway)
    before = driver.execute(
        f"SELECT pg_advisory_xact_lock_shared({LOCK}), current_setting('plan_cache_mode'), "
        "set_config('plan_cache_mode', 'force_generic_plan', true)"
    ).fetchone()[1]
    written = driver.execute(compiled, params_for(ids), prepare=True).fetchone()[0]
    driver.execute("SELECT set_config('plan_cache_mode', %s, true)", [before])
    return written
