"""Cost of "hide housing barred by residency rules" as a search filter: the set of barred housing
services over the whole directory (app.residency.barred), at N synthetic services and 20,000
restricted sites.

    .venv/bin/python bench/residency_barred.py [--services 50000] [--sites 20000] [--json]

Generates the services once into a throw-away SQLite file under /tmp (or --database-url), loads
bench/residency.py's sites and its two state rules, then times, wall clock and CPU:

- cold: the first search after the sites or rules change (every housing place checked);
- after a catalog change: one service edited (the places are read again, the verdicts of the
  places seen before are reused);
- warm: every other search (one primary-key read of the two content versions);
- a search with the exclusion beside the same search without it (Whoosh, "housing" near
  Hartford), to show what passing the set to the backend costs.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _timed(fn) -> tuple[float, float, object]:  # noqa: ANN001
    started, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000, out


def setup(args: argparse.Namespace):  # noqa: ANN201
    from app import create_app
    from app.extensions import db
    from config import Config

    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{workdir}/barred-{args.services}.db"

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        SEARCH_INDEX_DIR = str(workdir / f"index-{args.services}")
        RATELIMIT_STORAGE_URI = "memory://"
        SEARCH_SYNC = "off"

    app = create_app(BenchConfig)
    with app.app_context():
        from app.directory.models import Service
        from app.residency.models import ResidencyRule, RestrictedSite

        db.create_all()
        count = db.session.query(Service).count()
        if count < args.services:
            from app.seeding.synthetic import generate_synthetic

            generate_synthetic(args.services - count, seed=args.seed + count)
            db.session.commit()
        if db.session.query(RestrictedSite).count() < args.sites:
            from residency import RULES, make_sites

            db.session.query(RestrictedSite).delete()
            db.session.query(ResidencyRule).delete()
            for site in make_sites(args.sites, random.Random(args.seed)):
                lat0, lon0, lat1, lon1 = site.bbox
                db.session.add(
                    RestrictedSite(kind=site.kind, name=site.name, town=None,
                                   geometry=site.shape.to_geojson(), min_lat=lat0,
                                   min_lon=lon0, max_lat=lat1, max_lon=lon1)
                )  # fmt: skip
            for rule in RULES:
                db.session.add(
                    ResidencyRule(name=rule.name, level=rule.level,
                                  jurisdiction=rule.jurisdiction,
                                  kinds=[k.value for k in rule.kinds],
                                  distance_ft=rule.distance_ft)
                )  # fmt: skip
            db.session.commit()
    return app


def run(args: argparse.Namespace) -> dict:
    from app.extensions import db
    from app.residency import barred, index

    app = setup(args)
    figures: dict = {"services": args.services, "sites": args.sites}
    with app.app_context():
        places = barred.housing_places()
        figures["housing_services"] = len(places)
        figures["housing_places"] = sum(len(p) for p in places.values())
        index.forget()
        barred.forget()
        _, _, _ = _timed(index.current)  # the site grid: measured by bench/residency.py
        wall, cpu, found = _timed(barred.barred_ids)
        figures.update(cold_wall_ms=round(wall), cold_cpu_ms=round(cpu), barred=len(found))
        warm = [_timed(barred.barred_ids)[:2] for _ in range(50)]
        figures["warm_wall_p50_ms"] = round(statistics.median(w for w, _ in warm), 2)
        changes = []
        from app.directory.models import Service

        some = db.session.query(Service).limit(5).all()
        for n, service in enumerate(some):
            service.description = (service.description or "") + f" ({n})"
            db.session.commit()
            changes.append(_timed(barred.barred_ids)[:2])
        figures["change_wall_p50_ms"] = round(statistics.median(w for w, _ in changes))
        figures["change_cpu_p50_ms"] = round(statistics.median(c for _, c in changes))
        if not args.no_search:
            figures.update(_searches(app, found))
    return figures


def _searches(app, found: frozenset[str]) -> dict:  # noqa: ANN001
    from app.directory.eligibility import EligibilityProfile
    from app.search import SearchRequest, search
    from app.search.index import rebuild_index

    if not Path(app.config["SEARCH_INDEX_DIR"]).exists():
        rebuild_index()
    out = {}
    for label, excluded in (("search_without_ms", frozenset()), ("search_with_ms", found)):
        times = []
        for _ in range(12):
            request = SearchRequest(text="housing", near="Hartford", radius_miles=15,
                                    profile=EligibilityProfile(on_registry=True),
                                    eligibility_mode="show_all", barred=excluded)  # fmt: skip
            times.append(_timed(lambda request=request: search(request))[0])
        out[label] = round(statistics.median(times[2:]), 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=50_000)
    parser.add_argument("--sites", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "barred-bench"))
    parser.add_argument("--database-url")
    parser.add_argument("--no-search", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = run(args)
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:34} {value}")


if __name__ == "__main__":
    main()
