"""Residency check benchmark: a page of 50 housing results against 20,000 restricted sites.

    .venv/bin/python bench/residency.py [--sites N] [--results N] [--rounds N] [--json]

Generates sites (70 % points: schools and child-care centers; 30 % polygons: parks and
playgrounds of 8 to 24 corners), 40 % of them clustered around eight Connecticut town
centers (about 3.5 miles either way) and the rest spread over the state, and two state
rules (schools and child-care centers 1,000 ft; parks and playgrounds 2,000 ft). The 50
locations sit in the towns, where housing is. Times `check()` over the grid index (the
page's cost once the index is built) beside a brute-force baseline that measures every
site for every location, in the same run, and asserts both find the same bars. Pure
Python, no database: the page adds one primary-key read (the content version) to this.
CPU time is printed too: on a shared machine the wall clock mostly measures the others.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.residency.geometry import BAND, Plane, Shape, geodesic_ft, nearest  # noqa: E402
from app.residency.index import Rule, Site, build  # noqa: E402
from app.residency.verdicts import Where, check  # noqa: E402
from app.residency.vocabulary import SiteKind  # noqa: E402

TOWNS = (
    (41.7658, -72.6734),  # Hartford
    (41.1865, -73.1952),  # Bridgeport
    (41.3083, -72.9279),  # New Haven
    (41.5582, -73.0515),  # Waterbury
    (41.6612, -72.7795),  # New Britain
    (41.5243, -72.0759),  # Norwich
    (41.0534, -73.5387),  # Stamford
    (41.5623, -72.6506),  # Middletown
)
RULES = [
    Rule("r1", "Connecticut school zone", "state", "Connecticut",
         frozenset({SiteKind.SCHOOL, SiteKind.CHILD_CARE}), 1000, "registry"),
    Rule("r2", "Connecticut park zone", "state", "Connecticut",
         frozenset({SiteKind.PARK, SiteKind.PLAYGROUND}), 2000, "registry"),
]  # fmt: skip


def _around(rng: random.Random, spread_deg: float, clustered: float) -> tuple[float, float]:
    if rng.random() < clustered:
        lat, lon = rng.choice(TOWNS)
        return lat + rng.gauss(0, spread_deg), lon + rng.gauss(0, spread_deg * 1.3)
    return rng.uniform(41.0, 42.05), rng.uniform(-73.7, -71.8)


def make_sites(n: int, rng: random.Random) -> list[Site]:
    sites = []
    for i in range(n):
        lat, lon = _around(rng, 0.05, 0.4)
        if rng.random() < 0.7:
            kind = rng.choice((SiteKind.SCHOOL, SiteKind.CHILD_CARE))
            shape = Shape(point=(lon, lat))
        else:
            kind = rng.choice((SiteKind.PARK, SiteKind.PLAYGROUND))
            corners, radius = rng.randint(8, 24), rng.uniform(0.0005, 0.004)
            ring = [
                (lon + radius * 1.3 * math.cos(a), lat + radius * math.sin(a))
                for a in sorted(rng.uniform(0, 2 * math.pi) for _ in range(corners))
            ]
            shape = Shape(polygons=([ring],))
        sites.append(Site(f"s{i}", kind, f"Site {i}", None, shape, shape.bbox()))
    return sites


def brute(sites: list[Site], where: Where) -> set[tuple[str, str]]:
    """Every site measured, no index: the baseline."""
    plane = Plane(where.latitude, where.longitude)
    found = set()
    for site in sites:
        if plane.box_feet(site.bbox) > 2000 * (1 + BAND):  # the cheap test, for a fair baseline
            continue
        for rule in RULES:
            if site.kind not in rule.kinds:
                continue
            feet, (plon, plat) = nearest(plane, site.shape)
            if feet > 0 and abs(feet - rule.distance_ft) <= rule.distance_ft * BAND:
                feet = geodesic_ft(where.latitude, where.longitude, plat, plon)
            if feet <= rule.distance_ft:
                found.add((rule.id, site.id))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=20_000)
    parser.add_argument("--results", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sites = make_sites(args.sites, rng)
    started = time.perf_counter()
    index = build(sites, RULES)
    build_ms = (time.perf_counter() - started) * 1000
    pages = [
        [Where(*_around(rng, 0.03, 1.0), town="Hartford") for _ in range(args.results)]
        for _ in range(args.rounds)
    ]
    timings, cpu, barred = [], [], 0
    for page in pages:
        started, started_cpu = time.perf_counter(), time.process_time()
        verdicts = [check(index, where) for where in page]
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        barred += sum(v.barred for v in verdicts)
    brute_timings = []
    for page in pages[:1]:
        started = time.perf_counter()
        expected = [brute(sites, where) for where in page]
        brute_timings.append((time.perf_counter() - started) * 1000)
        got = [{(b.rule.id, b.site.id) for b in check(index, w, every=True).bars} for w in page]
        assert got == expected, "the index and brute force disagree"
        quick = [check(index, w).barred for w in page]
        assert quick == [bool(e) for e in expected], "the early stop changed a verdict"
    timings.sort()
    cpu.sort()
    figures = {
        "sites": args.sites,
        "results_per_page": args.results,
        "rounds": args.rounds,
        "index_build_ms": round(build_ms, 1),
        "page_p50_ms": round(statistics.median(timings), 2),
        "page_p95_ms": round(timings[int(len(timings) * 0.95) - 1], 2),
        "page_cpu_min_ms": round(cpu[0], 2),
        "page_cpu_p50_ms": round(statistics.median(cpu), 2),
        "page_cpu_p95_ms": round(cpu[int(len(cpu) * 0.95) - 1], 2),
        "load_average": round(os.getloadavg()[0], 1),
        "brute_force_page_ms": round(statistics.median(brute_timings), 1),
        "barred_share": round(barred / (args.rounds * args.results), 3),
    }
    if args.json:
        print(json.dumps(figures))
        return
    print(f"{args.sites:,} sites, {args.results} locations a page, {args.rounds} pages")
    print(f"index build (once per process):   {figures['index_build_ms']} ms")
    print(
        f"page check with the grid:         p50 {figures['page_p50_ms']} ms, "
        f"p95 {figures['page_p95_ms']} ms"
    )
    print(
        f"  CPU time of this process:       best {figures['page_cpu_min_ms']} ms, "
        f"p50 {figures['page_cpu_p50_ms']} ms, p95 {figures['page_cpu_p95_ms']} ms"
    )
    print(f"page check by brute force:        {figures['brute_force_page_ms']} ms (same bars)")
    print(f"load average (2 cores):           {figures['load_average']}")
    print(f"locations barred:                 {figures['barred_share']:.1%}")


if __name__ == "__main__":
    main()
