"""Issue 14 experiment: would a narrower PostgreSQL search row make searches cheaper?

    .venv/bin/python bench/search_narrow_row.py --services 50000 --repeat 10 \
        --database-url postgresql://postgres@127.0.0.1:5432/partners_bench

Run bench/search.py with the same arguments first (it generates the data and builds the search
rows). This script takes the search statement of every search of bench/search.py as this
checkout builds it (captured while the search runs), copies search_document into throw-away
schemas laid out differently, and runs each statement on every layout, interleaved, on one
connection. It prints the database backend's CPU per statement (read from /proc, so PostgreSQL
must run on this machine) and says whether each layout gave the same answer as today's row.

Layouts (search_point, search_hours, search_facet, search_rule and search_word stay shared):

- wide (now): search_document as it is (English, Spanish and typo vectors in the row).
- side table: the Spanish and typo vectors in search_extra (doc, tsv_es, spell), each with its
  GIN index; the statement matches them through `doc IN (SELECT doc FROM search_extra WHERE
  ...)` (a hashed sub-plan) and ranks a typo match by a sub-select. Same answers.
- no typo vector: only `spell` moved out (tsv_es stays in the row). Same answers.
- bound: the side-table row with the Spanish and typo conditions dropped altogether. Different
  answers; it shows the most any narrowing of the row could save.

The throw-away schemas are dropped at the end (--keep keeps them for EXPLAIN).
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import statistics
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERY = r"(CAST\(%\((?:q\d+|typo_q)\)s AS tsquery\))"
FACTS = (
    "doc, service_id, status, tsv, {es}need_areas, languages, towns, town_names, verified, "
    "cap_count, cap_room, cap_waitlist, cap_assessment, cap_any, rule_keys, facet_key"
)
SCHEMAS = {  # schema -> (columns kept in its search_document, columns of its search_extra)
    "bench_narrow": (FACTS.format(es=""), "doc, tsv_es, spell"),
    "bench_nospell": (FACTS.format(es="tsv_es, "), "doc, spell"),
}


def _bench() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("bench_search", ROOT / "bench" / "search.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def spanish_aside(sql: str) -> str:
    sql = sql.replace("d.tsv, d.tsv_es, d.spell,", "d.tsv, d.spell,")
    return re.sub(
        "tsv_es @@ " + QUERY,
        r"d.doc IN (SELECT x.doc FROM search_extra x WHERE x.tsv_es @@ \1)",
        sql,
    )


def typos_aside(sql: str) -> str:
    sql = sql.replace("d.tsv_es, d.spell,", "d.tsv_es,").replace("d.tsv, d.spell,", "d.tsv,")
    sql = re.sub(
        r"ts_rank\(spell, " + QUERY + r"\)",
        r"(SELECT ts_rank(x.spell, \1) FROM search_extra x WHERE x.doc = d.doc)",
        sql,
    )
    return re.sub(
        r"(?<!x\.)spell @@ " + QUERY,
        r"d.doc IN (SELECT x.doc FROM search_extra x WHERE x.spell @@ \1)",
        sql,
    )


def bound(sql: str) -> str:
    sql = sql.replace("d.tsv, d.tsv_es, d.spell,", "d.tsv,")
    sql = re.sub("tsv_es @@ " + QUERY, "FALSE", sql)
    sql = re.sub(r"ts_rank\(spell, " + QUERY + r"\)", "CAST(0 AS real)", sql)
    return re.sub("spell @@ " + QUERY, "FALSE", sql)


LAYOUTS = {
    "wide (now)": ("public", lambda sql: sql),
    "side table": ("bench_narrow, public", lambda sql: typos_aside(spanish_aside(sql))),
    "no typo vector": ("bench_nospell, public", typos_aside),
    "bound (not same)": ("bench_narrow, public", bound),
}


def capture(app, bench: types.ModuleType) -> list[tuple[str, str, str, dict]]:  # noqa: ANN001
    """(class, text, statement, parameters) of each search's main statement."""
    from sqlalchemy import event

    from app.extensions import db
    from app.search import search

    found: list = []
    grabbed: list = []

    def grab(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if "GROUPING SETS" in statement:
            grabbed.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", grab)
    try:
        for kind, batch in bench._requests().items():  # noqa: SLF001
            for request in batch:
                grabbed.clear()
                search(request)
                db.session.rollback()
                found.append((kind, request.text, *grabbed[-1]))
    finally:
        event.remove(db.engine, "before_cursor_execute", grab)
    return found


def make_schemas(conn) -> None:  # noqa: ANN001
    for schema, (kept, aside) in SCHEMAS.items():
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA {schema}")
        for table, columns in (("search_document", kept), ("search_extra", aside)):
            conn.execute(
                f"CREATE TABLE {schema}.{table} AS SELECT {columns} "  # noqa: S608 - ours
                "FROM public.search_document ORDER BY doc"
            )
            conn.execute(f"ALTER TABLE {schema}.{table} ADD PRIMARY KEY (doc)")
            for column in ("tsv", "tsv_es", "spell", "need_areas", "languages", "towns"):
                if re.search(rf"\b{column}\b", columns):
                    conn.execute(f"CREATE INDEX ON {schema}.{table} USING gin ({column})")
        conn.execute(f"CREATE UNIQUE INDEX ON {schema}.search_document (service_id)")
        for table in ("search_document", "search_extra"):
            conn.execute(f"VACUUM ANALYZE {schema}.{table}")
        size = conn.execute(
            f"SELECT pg_relation_size('{schema}.search_document')"  # noqa: S608
        ).fetchone()[0]
        print(f"{schema}: search_document {size / 1e6:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", default="/tmp/partners-bench")  # noqa: S108 - throw-away
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--keep", action="store_true", help="keep the throw-away schemas")
    args = parser.parse_args()
    args.seed, args.fresh = 1, False
    bench = _bench()
    app, _ = bench.setup(args, generate=False)
    app.config["SEARCH_BACKEND"] = "postgres"
    with app.app_context():
        from app.extensions import db

        statements = capture(app, bench)
        raw = db.engine.raw_connection()
        conn = raw.driver_connection
        conn.autocommit = True
        stat = Path(f"/proc/{conn.info.backend_pid}/schedstat")
        size = conn.execute("SELECT pg_relation_size('public.search_document')").fetchone()[0]
        print(f"public: search_document {size / 1e6:.0f} MB")
        make_schemas(conn)
        # the search statement's own settings (app.search.pg_backend)
        conn.execute("SET jit = off")
        conn.execute("SET max_parallel_workers_per_gather = 0")
        conn.execute("SET work_mem = '32MB'")
        conn.execute("SET plan_cache_mode = force_custom_plan")

        def run(path: str, sql: str, params: dict) -> tuple[float, dict]:
            conn.execute(f"SET search_path = {path}")
            started = int(stat.read_text().split()[0])
            answer = conn.execute(sql, params).fetchone()[0]
            used = (int(stat.read_text().split()[0]) - started) / 1e6
            answer["counts"] = sorted(map(tuple, answer["counts"] or []))  # json_agg's order
            return used, answer

        differ: dict[str, int] = dict.fromkeys(LAYOUTS, 0)
        for _, _, sql, params in statements:
            answers = {
                name: run(path, fix(sql), params)[1] for name, (path, fix) in LAYOUTS.items()
            }
            for name, answer in answers.items():
                differ[name] += answer != answers["wide (now)"]
        samples: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.repeat):
            for kind, words, sql, params in statements:
                for name, (path, fix) in LAYOUTS.items():
                    used, _ = run(path, fix(sql), params)
                    samples.setdefault((kind, name), []).append(used)
                    if words == "housing":
                        samples.setdefault((f"{kind}: housing", name), []).append(used)
        if not args.keep:
            for schema in SCHEMAS:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
        raw.close()
    _print(samples, differ, len(statements))


def _print(samples: dict, differ: dict, count: int) -> None:
    def cut(values: list[float], share: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]

    print(f"\n{'database CPU ms: p50 / p95':<24}" + "".join(f"{n:>28}" for n in LAYOUTS))
    for kind in dict.fromkeys(k for k, _ in samples):
        base = statistics.median(samples[(kind, "wide (now)")])
        cells = []
        for name in LAYOUTS:
            values = samples[(kind, name)]
            change = 100 * (statistics.median(values) / base - 1)
            cells.append(f"{cut(values, 0.5):.1f} / {cut(values, 0.95):.1f} ({change:+.0f}%)")
        print(f"{kind:<24}" + "".join(f"{c:>28}" for c in cells))
    print("answers differing from today's row, of", count, "searches:", differ)
    with open("/proc/loadavg", encoding="ascii") as load:
        print("load average:", " ".join(load.read().split()[:3]))


if __name__ == "__main__":
    main()
