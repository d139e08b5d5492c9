"""Search benchmark: generate N synthetic services, build the index, time queries.

    .venv/bin/python bench/search.py --services 5000 [--json]
    .venv/bin/python bench/search.py --backend postgres --services 50000 \
        --database-url postgresql://postgres@127.0.0.1:5432/partners_bench

On PostgreSQL both backends run on the same data in the same run (the one named by --backend
first, the other as the baseline; --no-baseline skips it). For the postgres backend, "update" is
the write a catalog change's commit adds (the service's search rows, then COMMIT).

Uses a throw-away SQLite file and index directory under /tmp (never the repo's instance/);
pass --database-url to run against PostgreSQL instead. Prints build time, index size, one-service
update time, and p50/p95/p99 latency of text-only, geo-only and text+geo+filters+profile
searches over a fixed query list (including the very common "housing"). On PostgreSQL on this
machine, also the CPU ms each search used (this process plus its database backend): on a
shared machine it compares runs better than the wall clock.

--cold (postgres) forgets the remembered lookups and page rows before every search, as on a
worker's first search; --busy confirms one capacity figure somewhere before every search
(committed with its search row, as a busy network does all day): the remembered lookups stand
(no capacity figure answers one), the page rows are read again.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text as sa_text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TEXTS = (
    "housing",
    "sober house",
    "food pantry",
    "job training",
    "housng",
    "legal aid",
    "mental health counseling",
    "halfway house",
    "detox",
    "bus pass",
)
PLACES = ("Hartford", "06510", "Bridgeport, CT", "Waterbury", "41.56,-72.65")


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "p50": round(cuts[49], 2),
        "p95": round(cuts[94], 2),
        "p99": round(cuts[98], 2),
        "n": len(ordered),
    }


def timed(fn, repeat: int) -> list[float]:  # noqa: ANN001
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def setup(args: argparse.Namespace, generate: bool = True):  # noqa: ANN201
    from app import create_app
    from app.extensions import db

    database_url = args.database_url or f"sqlite:///{args.workdir}/bench-{args.services}.db"
    from config import Config

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = database_url
        SEARCH_INDEX_DIR = str(Path(args.workdir) / f"index-{args.services}")
        RATELIMIT_STORAGE_URI = "memory://"
        SEARCH_SYNC = "off"  # the benchmark writes the index itself

    app = create_app(BenchConfig)
    with app.app_context():
        from app.directory.models import Service

        if args.fresh and not args.database_url:
            db.drop_all()
        db.create_all()
        if db.engine.dialect.name == "postgresql":
            from app.search import pg_schema

            with db.engine.begin() as conn:
                pg_schema.create(conn)
        count = db.session.query(Service).count()
        generated = 0.0
        if generate and count < args.services:
            from app.seeding.synthetic import generate_synthetic

            started = time.perf_counter()
            generate_synthetic(args.services - count, seed=args.seed + count)
            db.session.commit()
            generated = time.perf_counter() - started
            if db.engine.dialect.name == "postgresql":  # fresh statistics, as autovacuum would
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                    c.execute(sa_text("ANALYZE"))
    return app, generated


def _requests():  # noqa: ANN202
    from app.directory.eligibility import EligibilityProfile
    from app.search import SearchRequest

    profile = EligibilityProfile(
        on_registry=False, violent_conviction=False, veteran=False, sober=True, age=35
    )
    return {
        "text_only": [SearchRequest(text=t) for t in TEXTS],
        "geo_only": [SearchRequest(near=p, radius_miles=10) for p in PLACES],
        "full": [
            SearchRequest(
                text=t,
                near=PLACES[i % len(PLACES)],
                radius_miles=15,
                has_capacity=True,
                profile=profile,
            )
            for i, t in enumerate(TEXTS)
        ],
        "housing_full": [
            SearchRequest(
                text="housing", near="Hartford", radius_miles=15, has_capacity=True,
                profile=profile,
            )
        ],
    }  # fmt: skip


def _build_and_updates(backend: str, app, args, figures: dict) -> None:  # noqa: ANN001
    """Build (or reuse) the backend's search data, then time one-service updates."""
    from app.directory.models import Service
    from app.extensions import db

    some_ids = [s for (s,) in db.session.query(Service.id).limit(20)]
    if backend == "postgres":
        from app.search.pg_backend import PostgresBackend, has_rows, write

        if args.reuse_index and has_rows(db.session):
            figures["indexed"], figures["build_s"] = "reused", None
        else:
            cpu = _database_cpu_ms(db)
            started = time.perf_counter()
            figures["indexed"] = PostgresBackend().rebuild()
            figures["build_s"] = round(time.perf_counter() - started, 2)
            used = cpu()
            figures["build_cpu_s"] = round(used / 1000, 1) if used is not None else None
        from app.search.pg_schema import TABLES

        size = "SELECT " + " + ".join(f"pg_total_relation_size('{t}')" for t in TABLES)
        figures["index_mb"] = round(db.session.execute(sa_text(size)).scalar_one() / 1e6, 1)

        def one(service_id: str) -> None:  # the write a catalog change's commit adds
            write(db.session, [service_id])
            db.session.commit()

        one(some_ids[0])
        samples, cpu = [], []
        for i in some_ids + some_ids:
            used = _cpu_ms(db)
            samples.extend(timed(lambda i=i: one(i), 1))
            cpu.append(used())
        figures["update_one_ms"] = percentiles(samples)
        if all(ms is not None for ms in cpu):
            figures["update_one_ms"]["cpu"] = percentiles(cpu)
        figures["merges"] = None
        return
    from app.search.index import (
        SMALL_SEGMENTS_MAX,
        forget,
        index_size_bytes,
        merge_small_segments,
        rebuild_index,
        update_services,
    )

    index_dir = app.config["SEARCH_INDEX_DIR"]
    if args.reuse_index and Path(index_dir).exists():
        figures["indexed"], figures["build_s"] = "reused", None
    else:
        shutil.rmtree(index_dir, ignore_errors=True)
        started = time.perf_counter()
        figures["indexed"] = rebuild_index()
        figures["build_s"] = round(time.perf_counter() - started, 2)
    figures["index_mb"] = round(index_size_bytes() / 1e6, 1)
    forget()
    update_services([some_ids[0]])  # warm up: the first write checks the index once
    merge_small_segments()
    # As the background writer does: one update, then merge small segments if too many.
    updates, merges = [], []
    for service_id in some_ids + some_ids:
        updates.extend(timed(lambda i=service_id: update_services([i]), 1))
        started = time.perf_counter()
        if merge_small_segments() > SMALL_SEGMENTS_MAX + 1:
            merges.append((time.perf_counter() - started) * 1000)
    figures["update_one_ms"] = percentiles(updates)
    figures["merges"] = {
        "count": len(merges),
        "ms_p50": round(statistics.median(merges), 1) if merges else None,
    }


def measure(backend: str, app, args) -> dict:  # noqa: ANN001
    """Build and update figures of one backend here; its queries in a fresh process (so its
    memory is that of a worker that has served them, and nothing else)."""
    figures: dict = {"backend": backend}
    app.config["SEARCH_BACKEND"] = backend
    with app.app_context():
        _build_and_updates(backend, app, args, figures)
    command = [sys.executable, __file__, "--queries-only", "--backend", backend]
    command += ["--services", str(args.services), "--repeat", str(args.repeat)]
    command += ["--workdir", args.workdir]
    if args.database_url:
        command += ["--database-url", args.database_url]
    if args.cold:
        command.append("--cold")
    if args.busy:
        command.append("--busy")
    child = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if child.returncode != 0:
        raise SystemExit(f"query run failed:\n{child.stderr}")
    figures.update(json.loads(child.stdout.strip().splitlines()[-1]))
    return figures


def rss_mb() -> dict[str, float]:
    """This process's resident memory now and at its peak (Linux)."""
    now = 0.0
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                now = int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rss_mb": round(now, 1), "peak_rss_mb": round(peak, 1)}


def queries(backend: str, app, args) -> dict:  # noqa: ANN001
    """Query figures of one backend (run in its own process by `measure`)."""
    from app.extensions import db
    from app.search import SearchRequest, search

    figures: dict = {}
    app.config["SEARCH_BACKEND"] = backend
    with app.app_context():
        requests = _requests()
        busy = _capacity_changes(db) if args.busy and backend == "postgres" else None
        for batch in requests.values():  # warm up: geocoder tables, readers, caches
            for request in batch:
                search(request)
                db.session.rollback()
        for name, batch in requests.items():
            samples, cpu = [], []
            for _ in range(args.repeat):
                for request in batch:
                    if args.cold and backend == "postgres":
                        from app.search import page_rows, pg_lookups

                        pg_lookups.forget()
                        page_rows.forget()
                    if busy is not None:
                        busy()
                    used = _cpu_ms(db) if backend == "postgres" else None
                    samples.extend(timed(lambda r=request: search(r), 1))
                    if used is not None:
                        cpu.append(used())
                    db.session.rollback()
            figures[name] = percentiles(samples)
            if all(ms is not None for ms in cpu) and cpu:
                figures[name]["cpu"] = percentiles(cpu)
        figures["text_totals"] = {t: search(SearchRequest(text=t)).total for t in TEXTS}
        db.session.rollback()
        if backend == "postgres":
            figures["plan_cache"] = _plan_cache(search, db)
    figures.update(rss_mb())
    return figures


def _capacity_changes(db):  # noqa: ANN001,ANN202
    """A busy network: before each search one capacity figure somewhere is confirmed through
    the app ("still accurate": it is fresh again), committed with its search row, so the
    content versions move as they would between two searches of a busy day."""
    from app.directory.capacity import confirm_capacity
    from app.directory.models import ServiceCapacity
    from app.search.pg_backend import write

    ids = [i for (i,) in db.session.query(ServiceCapacity.id).order_by(ServiceCapacity.id)]
    turn = iter(range(10**9))

    def change() -> None:
        capacity = db.session.get(ServiceCapacity, ids[next(turn) * 7919 % len(ids)])
        confirm_capacity(capacity, actor=None, expected_version=capacity.version)
        write(db.session, [capacity.service_id])  # what the commit's search sync writes
        db.session.commit()

    return change


def _cpu_ms(db):  # noqa: ANN001,ANN202
    """CPU a search uses, in ms: this process's plus its PostgreSQL backend's (read from
    /proc, so only when the server runs on this machine). On a shared machine the wall-clock
    figures grow with everybody's load; these grow much less, so runs compare."""
    conn = db.session.connection().connection.driver_connection
    stat = Path(f"/proc/{conn.info.backend_pid}/schedstat")

    def server() -> float | None:
        try:
            return int(stat.read_text().split()[0]) / 1e6
        except (OSError, ValueError, IndexError):
            return None

    started, client = server(), time.process_time()

    def used() -> float | None:
        ended = server()
        if started is None or ended is None:
            return None
        return ended - started + (time.process_time() - client) * 1000

    return used


def _database_cpu_ms(db):  # noqa: ANN001,ANN202
    """CPU used by this process and every backend of this database from now until the
    returned function is called, in ms (None when /proc cannot tell: a remote server)."""

    def backends() -> dict[int, float] | None:
        pids = db.session.execute(
            sa_text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        ).scalars()
        found = {}
        for pid in pids:
            try:
                found[pid] = int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e6
            except (OSError, ValueError, IndexError):
                return None
        db.session.rollback()
        return found

    before, client = backends(), time.process_time()

    def used() -> float | None:
        after = backends()
        if before is None or after is None:
            return None
        server = sum(ms - before.get(pid, 0.0) for pid, ms in after.items())
        return server + (time.process_time() - client) * 1000

    return used


GEO_RUNS = 20


def _plan_cache(search, db) -> dict:  # noqa: ANN001
    """The same geo searches run GEO_RUNS times on one connection: psycopg prepares a statement
    from its 6th run, and PostgreSQL may then plan it generically. Median ms of runs 1-5 and
    6-GEO_RUNS, as configured (force_custom_plan) and with generic plans forced, for contrast."""
    from app.search import SearchRequest, pg_plan

    cases = {
        "geo, no hits": SearchRequest(text="detox", near="41.05,-72.0", radius_miles=5),
        "geo + text": SearchRequest(text="legal aid", near="06510", radius_miles=5),
    }
    original = pg_plan.SETTINGS_SQL  # the settings each search sends with its statement
    out: dict = {}
    for mode in ("force_custom_plan", "force_generic_plan"):
        pg_plan.SETTINGS_SQL = original.replace("force_custom_plan", mode)
        try:
            for name, request in cases.items():
                db.session.close()  # a fresh connection: nothing prepared yet
                samples = []
                for _ in range(GEO_RUNS):
                    samples.extend(timed(lambda r=request: search(r), 1))
                    db.session.rollback()
                out[f"{name} ({mode})"] = {
                    "runs_1_5": round(statistics.median(samples[:5]), 2),
                    "runs_6_on": round(statistics.median(samples[5:]), 2),
                }
        finally:
            pg_plan.SETTINGS_SQL = original
    return out


def run(args: argparse.Namespace) -> dict:
    app, generated = setup(args)
    figures: dict = {"services": args.services, "generate_s": round(generated, 1)}
    on_postgres = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    if args.backend == "postgres" and not on_postgres:
        raise SystemExit("--backend postgres needs --database-url postgresql://...")
    order = [args.backend]
    if on_postgres and not args.no_baseline:  # the other backend, same data, same run
        order.append("whoosh" if args.backend == "postgres" else "postgres")
    figures["runs"] = [measure(name, app, args) for name in order]
    return figures


def _print_run(run: dict) -> None:
    merges = run["merges"]
    print(f"== {run['backend']} ==")
    print(
        f"build              {run['build_s']} s, {run['index_mb']} MB ({run['indexed']} services)"
    )
    if run.get("build_cpu_s") is not None:
        print(f"build cpu          {run['build_cpu_s']} s (this process and database backends)")
    print(f"{'latency (ms)':<18} {'p50':>8} {'p95':>8} {'p99':>8} {'n':>6}")
    for name in ("update_one_ms", "text_only", "geo_only", "full", "housing_full"):
        row = run[name]
        print(f"{name:<18} {row['p50']:>8} {row['p95']:>8} {row['p99']:>8} {row['n']:>6}")
    for name in ("update_one_ms", "text_only", "geo_only", "full", "housing_full"):
        row = run[name].get("cpu")
        if row:  # postgres, server on this machine
            label = name + " cpu"
            print(f"{label:<18} {row['p50']:>8} {row['p95']:>8} {row['p99']:>8} {row['n']:>6}")
    if merges is not None:
        print(
            f"after {run['update_one_ms']['n']} updates: {merges['count']} merges of small "
            f"segments (background writer), p50 {merges['ms_p50']} ms each"
        )
    print("matches per text:", ", ".join(f"{k}={v}" for k, v in run["text_totals"].items()))
    print(
        f"query process memory: {run['rss_mb']} MB resident after the queries "
        f"(peak {run['peak_rss_mb']} MB)"
    )
    for name, row in (run.get("plan_cache") or {}).items():
        print(
            f"{GEO_RUNS} runs of {name}: median {row['runs_1_5']} ms (runs 1-5), "
            f"{row['runs_6_on']} ms (runs 6-{GEO_RUNS}, prepared)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--workdir", default="/tmp/partners-bench")  # noqa: S108 - throw-away
    parser.add_argument("--database-url", default=None, help="default: a SQLite file in workdir")
    parser.add_argument("--fresh", action="store_true", help="start from an empty database")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--reuse-index", action="store_true", help="skip the rebuild if present")
    parser.add_argument("--backend", choices=("whoosh", "postgres"), default="whoosh")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="postgres: forget the remembered lookups and page rows before every search",
    )
    parser.add_argument(
        "--busy",
        action="store_true",
        help="postgres: one capacity figure confirmed and committed before every search",
    )
    parser.add_argument(
        "--no-baseline", action="store_true", help="on PostgreSQL, skip the other backend"
    )
    parser.add_argument("--queries-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    if args.queries_only:  # the child process of `measure`
        app, _ = setup(args, generate=False)
        print(json.dumps(queries(args.backend, app, args)))
        return
    figures = run(args)
    if args.json:
        print(json.dumps(figures))
        return
    print(f"services           {figures['services']} (generated in {figures['generate_s']} s)")
    for one in figures["runs"]:
        _print_run(one)


if __name__ == "__main__":
    main()
