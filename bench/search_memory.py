"""Where a search worker's memory goes: resident memory (RSS) of one fresh process at each step
of its first searches, on the data bench/search.py generated (run that first, same arguments).

    .venv/bin/python bench/search_memory.py --services 50000 [--backend whoosh] [--trace 15]

Steps: after importing the app, after create_app, after opening the searcher (Whoosh), after the
first search of each kind (words, place, need-area facet, eligibility profile, everything), then
after bench/search.py's whole query list. --trace N also prints the N lines of code that hold the
most memory at the end (tracemalloc; slows the searches down, so not for the RSS figures).
--code DIR imports the app from another checkout (to compare with main in the same run), and
--dump FILE writes every search's results (ids, ranks, totals, facets) to compare two checkouts.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent


def rss_mb() -> tuple[float, float, float]:
    """Resident memory: all of it, the process's own (anonymous), and mapped files (the index's
    pages, shared with every other process that maps the same files)."""
    found = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "RssAnon", "RssFile"):
                found[name] = round(int(value.split()[0]) / 1024, 1)
    return found.get("VmRSS", 0.0), found.get("RssAnon", 0.0), found.get("RssFile", 0.0)


def _kinds():  # noqa: ANN202
    from app.directory.eligibility import EligibilityProfile
    from app.search import SearchRequest

    profile = EligibilityProfile(
        on_registry=False, violent_conviction=False, veteran=False, sober=True, age=35
    )
    return {
        "words": SearchRequest(text="housing"),
        "place": SearchRequest(near="Hartford", radius_miles=10),
        "facet": SearchRequest(need_areas=["housing"]),
        "eligibility": SearchRequest(
            text="job training", profile=profile, eligibility_mode="hide_ineligible"
        ),
        "everything": SearchRequest(
            text="sober house", near="06510", radius_miles=15, has_capacity=True,
            profile=profile, open_now=True,
        ),
    }  # fmt: skip


def _summary(results) -> dict:  # noqa: ANN001
    """What must not change: the page (ids, ranks, labels), total, facets, hidden counts."""
    return {
        "total": results.total,
        "page": [
            [
                r.service_id,
                round(r.score, 9),
                None if r.distance_miles is None else round(r.distance_miles, 6),
                r.capacity_status,
                getattr(r.verdict, "status", None) and str(r.verdict.status),
                r.open_now,
                r.typo_match,
            ]
            for r in results.results
        ],
        "facets": {k: sorted(v.items()) for k, v in sorted(results.facets.items())},
        "hidden": sorted(results.hidden.items()),
        "did_you_mean": results.did_you_mean,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--workdir", default="/tmp/partners-bench")  # noqa: S108 - throw-away
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--backend", choices=("whoosh", "postgres"), default="whoosh")
    parser.add_argument("--trace", type=int, default=0, help="print the top N lines (tracemalloc)")
    parser.add_argument("--code", default=str(HERE.parent), help="checkout to import the app from")
    parser.add_argument("--dump", default=None, help="write every search's results here (JSON)")
    parser.add_argument("--cpu", type=int, default=0, help="then time the queries N times (CPU)")
    parser.add_argument("--at", default=None, help="freeze the clock here (ISO time, with --dump)")
    args = parser.parse_args()
    if args.at:
        import time_machine

        time_machine.travel(args.at, tick=False).start()
    if args.trace:
        tracemalloc.start(1)
    sys.path.insert(0, args.code)
    steps: list[tuple[str, tuple[float, float, float]]] = [("python", rss_mb())]

    import app as app_package  # noqa: F401 - imported to measure the import
    from config import Config

    steps.append(("import app", rss_mb()))
    database_url = args.database_url or f"sqlite:///{args.workdir}/bench-{args.services}.db"

    class MemoryConfig(Config):
        SQLALCHEMY_DATABASE_URI = database_url
        SEARCH_INDEX_DIR = str(Path(args.workdir) / f"index-{args.services}")
        RATELIMIT_STORAGE_URI = "memory://"
        SEARCH_SYNC = "off"
        SEARCH_BACKEND = args.backend

    from app import create_app

    flask_app = create_app(MemoryConfig)
    steps.append(("create_app", rss_mb()))
    dump: dict = {}
    with flask_app.app_context():
        from app.extensions import db
        from app.search import search

        if args.backend == "whoosh":
            from app.search.index import searcher

            searcher()
            steps.append(("open searcher", rss_mb()))
        from app.search.geo import resolve_place

        resolve_place("Hartford")
        steps.append(("geocoder's town table", rss_mb()))
        for name, request in _kinds().items():
            results = search(request)
            dump[name] = _summary(results)
            db.session.rollback()
            steps.append((f"first search: {name}", rss_mb()))
        sys.path.insert(0, str(HERE))
        from search import _requests  # bench/search.py's query list

        for batch, requests in _requests().items():
            for n, request in enumerate(requests):
                for sort in ("relevance", "distance", "verified"):
                    if sort == "distance" and request.near is None:
                        continue
                    request.sort = sort
                    dump[f"{batch} {n} {sort}"] = _summary(search(request))
                    db.session.rollback()
        gc.collect()
        steps.append(("bench/search.py's queries", rss_mb()))
        cpu = {}
        for batch, requests in _requests().items() if args.cpu else ():
            started = time.process_time()  # CPU time: steadier than wall time on a busy machine
            for _ in range(args.cpu):
                for request in requests:
                    search(request)
                    db.session.rollback()
            cpu[batch] = (time.process_time() - started) * 1000 / (args.cpu * len(requests))
    print(f"{'step':<32} {'RSS':>8} {'own':>8} {'files':>8}  (MB)")
    for name, (rss, own, files) in steps:
        print(f"{name:<32} {rss:>8.1f} {own:>8.1f} {files:>8.1f}")
    for batch, ms in cpu.items():
        print(f"CPU per search, {batch:<20} {ms:>8.1f} ms")
    if args.dump:
        Path(args.dump).write_text(json.dumps(dump, indent=1, sort_keys=True), encoding="utf-8")
    if args.trace:
        snapshot = tracemalloc.take_snapshot()
        print(f"\ntop {args.trace} lines by memory held (tracemalloc)")
        for stat in snapshot.statistics("lineno")[: args.trace]:
            frame = stat.traceback[0]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            print(f"{stat.size / 1e6:>8.1f} MB {stat.count:>9} blocks  {where}")
        total = sum(s.size for s in snapshot.statistics("filename")) / 1e6
        print(f"{total:>8.1f} MB in all (traced Python allocations)")


if __name__ == "__main__":
    main()
