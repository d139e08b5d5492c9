"""Search benchmark: generate N synthetic services, build the index, time queries.

    .venv/bin/python bench/search.py --services 5000 [--json]

Uses a throw-away SQLite file and index directory under /tmp (never the repo's instance/);
pass --database-url to run against PostgreSQL instead. Prints build time, index size, one-service
update time, and p50/p95/p99 latency of text-only, geo-only and text+geo+filters+profile
searches over a fixed query list (including the very common "housing"), plus the p95 of a bare
Whoosh query for the same texts (the floor: parse, search, top 25, nothing else).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

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


def setup(args: argparse.Namespace):  # noqa: ANN201
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
        count = db.session.query(Service).count()
        generated = 0.0
        if count < args.services:
            from app.seeding.synthetic import generate_synthetic

            started = time.perf_counter()
            generate_synthetic(args.services - count, seed=args.seed + count)
            db.session.commit()
            generated = time.perf_counter() - started
    return app, generated


def run(args: argparse.Namespace) -> dict:
    from app.directory.eligibility import EligibilityProfile
    from app.extensions import db
    from app.search import SearchRequest, search
    from app.search.index import (
        FIELD_BOOSTS,
        SMALL_SEGMENTS_MAX,
        forget,
        index_size_bytes,
        merge_small_segments,
        rebuild_index,
        searcher,
        update_services,
    )

    app, generated = setup(args)
    figures: dict = {"services": args.services, "generate_s": round(generated, 1)}
    with app.app_context():
        from app.directory.models import Service

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

        some_ids = [s for (s,) in db.session.query(Service.id).limit(20)]
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

        profile = EligibilityProfile(
            on_registry=False, violent_conviction=False, veteran=False, sober=True, age=35
        )
        requests = {
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
        for batch in requests.values():  # warm up: geocoder tables, readers, caches
            for request in batch:
                search(request)
        for name, batch in requests.items():
            samples = []
            for _ in range(args.repeat):
                for request in batch:
                    samples.extend(timed(lambda r=request: search(r), 1))
                    db.session.rollback()
            figures[name] = percentiles(samples)
        totals = {t: search(SearchRequest(text=t)).total for t in TEXTS}
        figures["text_totals"] = totals

        from whoosh.qparser import AndGroup, MultifieldParser

        parser = MultifieldParser(list(FIELD_BOOSTS), searcher().schema, group=AndGroup)
        bare = []
        for _ in range(args.repeat):
            for text in TEXTS:
                s = searcher()

                def bare_query(text: str = text, s=s) -> None:  # noqa: ANN001
                    s.search(parser.parse(text), limit=25)

                bare.extend(timed(bare_query, 1))
        figures["bare_whoosh"] = percentiles(bare)
        figures["full_over_bare_p95"] = round(
            figures["full"]["p95"] / figures["bare_whoosh"]["p95"], 1
        )
    return figures


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
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    figures = run(args)
    if args.json:
        print(json.dumps(figures))
        return
    print(f"services           {figures['services']} (generated in {figures['generate_s']} s)")
    print(f"index build        {figures['build_s']} s, {figures['index_mb']} MB")
    print(f"{'latency (ms)':<18} {'p50':>8} {'p95':>8} {'p99':>8} {'n':>6}")
    for name in ("update_one_ms", "text_only", "geo_only", "full", "housing_full", "bare_whoosh"):
        row = figures[name]
        print(f"{name:<18} {row['p50']:>8} {row['p95']:>8} {row['p99']:>8} {row['n']:>6}")
    merges = figures["merges"]
    print(
        f"after {figures['update_one_ms']['n']} updates: {merges['count']} merges of small "
        f"segments (background writer), p50 {merges['ms_p50']} ms each"
    )
    print(f"full p95 / bare-Whoosh p95 = {figures['full_over_bare_p95']}")
    print("matches per text:", ", ".join(f"{k}={v}" for k, v in figures["text_totals"].items()))


if __name__ == "__main__":
    main()
