"""Issue 14 experiment: a cheaper place part for a PostgreSQL search (the points in the circle
and their search rows)?

    .venv/bin/python bench/search_place_part.py --services 50000 --repeat 10 \
        --database-url postgresql://postgres@127.0.0.1:5432/partners_bench

Run bench/search.py with the same arguments first, and this script from a checkout of the
commit that added it (`git log --diff-filter=A -- bench/search_place_part.py`): it rewrites the
plan of that time, before search rows kept their box. It takes the statement of every search of
bench/search.py that has a place, as that checkout builds it, and runs it and its variants
interleaved on one connection, reading the database backend's CPU from /proc (PostgreSQL must
run on this machine); it says how many gave the same answer as today's.

- now: the points in the box scanned twice (inside the radius; near its edge, joined to the
  edge points decided in Python), then the search rows fetched one key each
  (`d.doc = ANY(ARRAY(SELECT doc FROM near))`).
- one points scan: both kinds of points in one scan of the box (a left join to the edge points).
- by runs: the rebuild stores the rows in the order of their place, so a circle's docs fall in
  a few runs of consecutive keys (gaps over 64 split them); the rows fetched by a range scan of
  each run (computing the runs with window functions costs more than it saves).
- bitmap: today's statement with index scans off (a bitmap heap scan by key).
- bbox + one scan: a copy of search_document with `bbox` (the box around the row's points) and
  a GiST index on it, in the throw-away schema bench_bbox; the rows fetched by `bbox && the
  search's box` (a bitmap heap scan), then joined to the points as today.

bench_bbox is dropped at the end (--keep keeps it for EXPLAIN).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BY_KEY = " AND d.doc = ANY(ARRAY(SELECT doc FROM near))"
BOX = "lat BETWEEN %(lat0)s AND %(lat1)s AND (lon BETWEEN %(lo0)s AND %(hi0)s)"
CHORD2 = "(x - %(ox)s) * (x - %(ox)s) + (y - %(oy)s) * (y - %(oy)s) + (z - %(oz)s) * (z - %(oz)s)"
ONE_SCAN = f"""    SELECT DISTINCT ON (doc) doc, location_id, miles FROM (
        SELECT doc, location_id, CASE WHEN c2 < %(inner2)s
            THEN CAST(%(diameter)s AS float8) * asin(LEAST(CAST(1 AS float8), sqrt(c2) / 2))
            ELSE edge END AS miles
        FROM (SELECT p.doc, p.location_id, e.miles AS edge, {CHORD2} AS c2 FROM search_point p
              LEFT JOIN unnest(CAST(%(edge_loc)s AS text[]), CAST(%(edge_miles)s AS float8[]))
                e(loc, miles) ON p.location_id = e.loc
              WHERE {BOX}) p
        WHERE c2 < %(inner2)s OR edge IS NOT NULL
"""  # noqa: S608 - our own text
BY_BBOX = " AND d.bbox && box(point(%(lo0)s, %(lat0)s), point(%(hi0)s, %(lat1)s))"
JOIN = "FROM search_document d JOIN near n ON n.doc = d.doc"
RUNS = """), runs AS MATERIALIZED (
    SELECT min(doc) AS lo, max(doc) AS hi FROM (
        SELECT doc, sum(CASE WHEN doc - prev > 64 THEN 1 ELSE 0 END) OVER (ORDER BY doc) AS run
        FROM (SELECT doc, lag(doc, 1, doc) OVER (ORDER BY doc) AS prev FROM near) a
    ) b GROUP BY run
), m AS MATERIALIZED ("""
BY_RUNS = (
    "FROM (SELECT x.* FROM runs r CROSS JOIN LATERAL (SELECT * FROM search_document x "
    "WHERE x.doc BETWEEN r.lo AND r.hi OFFSET 0) x OFFSET 0) d JOIN near n ON n.doc = d.doc"
)
BBOX_SCHEMA = """
DROP SCHEMA IF EXISTS bench_bbox CASCADE;
CREATE SCHEMA bench_bbox;
CREATE TABLE bench_bbox.search_document AS
    SELECT d.*, b.bbox FROM public.search_document d LEFT JOIN (
        SELECT doc, box(point(min(lon), min(lat)), point(max(lon), max(lat))) AS bbox
        FROM public.search_point GROUP BY doc) b ON b.doc = d.doc
    ORDER BY d.doc;
ALTER TABLE bench_bbox.search_document ADD PRIMARY KEY (doc);
CREATE INDEX ON bench_bbox.search_document USING gist (bbox);
CREATE INDEX ON bench_bbox.search_document USING gin (tsv);
CREATE INDEX ON bench_bbox.search_document USING gin (tsv_es);
CREATE INDEX ON bench_bbox.search_document USING gin (spell);
"""


def _module(name: str):  # noqa: ANN202
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def one_scan(sql: str) -> str:
    start = sql.index("    SELECT DISTINCT ON (doc)")
    end = sql.index("    ) q ORDER BY doc, miles")
    return sql[:start] + ONE_SCAN + sql[end:]


def variants(sql: str) -> dict[str, tuple[str, str, str | None]]:
    """name -> (statement, search_path, setting turned off)"""
    runs = sql.replace("), m AS MATERIALIZED (", RUNS, 1).replace(JOIN, BY_RUNS)
    return {
        "now": (sql, "public", None),
        "one points scan": (one_scan(sql), "public", None),
        "by runs": (runs.replace(BY_KEY, ""), "public", None),
        "bitmap": (sql, "public", "enable_indexscan"),
        "bbox + one scan": (one_scan(sql).replace(BY_KEY, BY_BBOX), "bench_bbox, public", None),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--workdir", default="/tmp/partners-bench")  # noqa: S108 - throw-away
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--keep", action="store_true", help="keep the schema bench_bbox")
    args = parser.parse_args()
    args.seed, args.fresh = 1, False
    narrow = _module("search_narrow_row")
    bench = narrow._bench()  # noqa: SLF001
    app, _ = bench.setup(args, generate=False)
    app.config["SEARCH_BACKEND"] = "postgres"
    with app.app_context():
        from app.extensions import db

        statements = [s for s in narrow.capture(app, bench) if BY_KEY in s[2]]
        if not statements:
            sys.exit("no statement fetches its rows by key: see the docstring")
        raw = db.engine.raw_connection()
        conn = raw.driver_connection
        conn.autocommit = True
        stat = Path(f"/proc/{conn.info.backend_pid}/schedstat")
        conn.execute(BBOX_SCHEMA)
        conn.execute("VACUUM ANALYZE bench_bbox.search_document")
        for setting in ("jit = off", "max_parallel_workers_per_gather = 0",
                        "work_mem = '32MB'", "plan_cache_mode = force_custom_plan"):  # fmt: skip
            conn.execute(f"SET {setting}")

        def run(way: tuple[str, str, str | None], params: dict) -> tuple[float, dict]:
            sql, path, off = way
            conn.execute(f"SET search_path = {path}")
            if off:
                conn.execute(f"SET {off} = off")
            started = int(stat.read_text().split()[0])
            answer = conn.execute(sql, params).fetchone()[0]
            used = (int(stat.read_text().split()[0]) - started) / 1e6
            if off:
                conn.execute(f"RESET {off}")
            answer["counts"] = sorted(map(tuple, answer["counts"] or []))  # json_agg's order
            return used, answer

        ways = [(kind, params, variants(sql)) for kind, _, sql, params in statements]
        same: dict[str, int] = {}
        for _, params, by_name in ways:
            today = run(by_name["now"], params)[1]
            for name, way in by_name.items():
                same[name] = same.get(name, 0) + (run(way, params)[1] == today)
        samples: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.repeat):
            for kind, params, by_name in ways:
                for name, way in by_name.items():  # interleaved: the same load for each
                    samples.setdefault((kind, name), []).append(run(way, params)[0])
        if not args.keep:
            conn.execute("DROP SCHEMA bench_bbox CASCADE")
        raw.close()
    print(f"same answer as now, of {len(ways)} place searches: {same}")
    print(f"{'CPU ms':<34} {'p50':>6} {'p95':>6}")
    for (kind, name), values in samples.items():
        values.sort()
        p95 = values[max(0, round(len(values) * 0.95) - 1)]
        print(f"{kind + ': ' + name:<34} {statistics.median(values):6.1f} {p95:6.1f}")


if __name__ == "__main__":
    main()
