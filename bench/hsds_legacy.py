"""Benchmark: an HSDS 1.1 datapackage of 5,000 services converts and imports in under 60 s.

Generates a 1.1 source shaped like a 211 export (per service about 17 rows: a phone, five
regular schedules, two taxonomy links, eligibility, a language, a service area, a required
document, a service at a location; a location with a physical address per two services; an
organization per four services; 200 taxonomy terms in two vocabularies) into --workdir, then
times in one run, each into an empty throw-away SQLite database (or --database-url):

- convert: reading and converting the 1.1 files only;
- legacy import: `import_path` on the 1.1 folder (detect + convert + validate + write);
- baseline: `import_path` on the HSDS 3.x export of the same data (what a 3.x source costs).

    .venv/bin/python bench/hsds_legacy.py --services 5000
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
BUDGET_S = 60.0


def _write(folder: Path, name: str, header: list[str], rows: list[list]) -> int:
    with (folder / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return len(rows)


def generate(folder: Path, services: int, seed: int) -> int:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    orgs, locations = max(1, services // 4), max(1, services // 2)
    total = _write(folder, "organizations.csv", ["id", "name", "description", "url"],
                   [[f"O{i}", f"Agency {i}", f"Helps people, branch {i}.",
                     f"https://agency{i}.example.org"] for i in range(orgs)])  # fmt: skip
    total += _write(folder, "services.csv",
                    ["id", "organization_id", "name", "description", "status", "fees"],
                    [[f"S{i}", f"O{i % orgs}", f"Service {i}", "Walk-in help. " * 8, "active",
                      "Free"] for i in range(services)])  # fmt: skip
    total += _write(folder, "locations.csv", ["id", "organization_id", "name", "latitude",
                                              "longitude"],
                    [[f"L{i}", f"O{i % orgs}", f"Office {i}", f"{41 + rng.random():.5f}",
                      f"{-73 + rng.random():.5f}"] for i in range(locations)])  # fmt: skip
    total += _write(folder, "physical_addresses.csv",
                    ["id", "location_id", "address_1", "city", "state_province", "postal_code",
                     "country"],
                    [[f"A{i}", f"L{i}", f"{i} Main Street", "Hartford", "CT", "06103", "US"]
                     for i in range(locations)])  # fmt: skip
    total += _write(
        folder,
        "services_at_location.csv",
        ["id", "service_id", "location_id"],
        [[f"SL{i}", f"S{i}", f"L{i % locations}"] for i in range(services)],
    )
    total += _write(folder, "phones.csv", ["id", "service_id", "number", "type"],
                    [[f"P{i}", f"S{i}", f"860-555-{i % 10000:04}", "voice"]
                     for i in range(services)])  # fmt: skip
    total += _write(folder, "regular_schedules.csv",
                    ["id", "service_id", "weekday", "opens_at", "closes_at"],
                    [[f"R{i}-{d}", f"S{i}", day, "9:00 AM", "5:00 PM"]
                     for i in range(services) for d, day in enumerate(DAYS)])  # fmt: skip
    terms = [[f"AIRS-{t}", f"Term {t}", "", "", "AIRS" if t % 2 else "Open Eligibility"]
             for t in range(200)]  # fmt: skip
    total += _write(folder, "taxonomy.csv", ["id", "name", "parent_id", "parent_name",
                                             "vocabulary"], terms)  # fmt: skip
    total += _write(folder, "services_taxonomy.csv", ["id", "service_id", "taxonomy_id"],
                    [[f"T{i}-{k}", f"S{i}", f"AIRS-{rng.randrange(100) * 2 + k}"]
                     for i in range(services) for k in (0, 1)])  # fmt: skip
    for name, column, value in (("eligibility.csv", "eligibility", "Adults 18 and over"),
                                ("languages.csv", "language", "Spanish"),
                                ("service_areas.csv", "service_area", "Hartford County"),
                                ("required_documents.csv", "document", "Photo ID")):  # fmt: skip
        total += _write(
            folder,
            name,
            ["id", "service_id", column],
            [[f"{name[:2]}{i}", f"S{i}", value] for i in range(services)],
        )
    return total


def _fresh(url: str) -> None:
    from app.extensions import db

    db.session.remove()
    db.drop_all()
    db.create_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", default="/tmp/partners-bench-hsds-legacy")  # noqa: S108
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{workdir / 'legacy.db'}"
    os.environ["DATABASE_URL"] = url
    os.environ["SEARCH_INDEX_DIR"] = str(workdir / "index")
    os.environ["SEARCH_SYNC"] = "off"

    from app import create_app
    from app.extensions import db
    from app.interop.csv_export import export_to_dir
    from app.interop.csv_import import import_path
    from app.interop.legacy.convert import convert_package
    from app.interop.legacy.detect import detect
    from app.interop.legacy.files import open_package

    source = workdir / "hsds11"
    rows = generate(source, args.services, args.seed)
    app = create_app()
    app.config.update(SEARCH_SYNC="off")
    results: dict[str, object] = {"services": args.services, "rows": rows,
                                  "database": url.split(":")[0]}  # fmt: skip
    with app.app_context():
        started = time.perf_counter()
        package = open_package(source)
        _converted, conversion, _errors = convert_package(package, detect(package))  # type: ignore[arg-type]
        results["convert_s"] = round(time.perf_counter() - started, 2)
        results["converted_rows"] = sum(f.converted for f in conversion.files.values())

        _fresh(url)
        started = time.perf_counter()
        report = import_path(source)
        db.session.commit()
        results["legacy_import_s"] = round(time.perf_counter() - started, 2)
        assert report.ok, report.problems[:5]
        results["imported_services"] = report.created["service"]

        export = workdir / "hsds3"
        export_to_dir(str(export))
        _fresh(url)
        started = time.perf_counter()
        baseline = import_path(export)
        db.session.commit()
        results["baseline_3x_import_s"] = round(time.perf_counter() - started, 2)
        assert baseline.ok, baseline.problems[:5]
    results["under_60_s"] = results["legacy_import_s"] < BUDGET_S  # type: ignore[operator]
    if args.json:
        print(json.dumps(results))
        return
    for key, value in results.items():
        print(f"{key:>22}: {value}")


if __name__ == "__main__":
    main()
