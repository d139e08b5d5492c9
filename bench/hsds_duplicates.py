"""Benchmark: a second source listing the same services (other ids) is flagged, merged and
re-imported without doubling.

Generates the 1.1 source of bench/hsds_legacy.py (--services, one organization per four) and a
copy with every id changed, as a second 211 would publish the same agencies; then times, in an
empty throw-away SQLite database (or --database-url):

- first import (nothing to compare with) and second import (every organization and service
  flagged as a probable duplicate);
- merging --merges flagged pairs one by one (each is one administrator's "Merge" click);
- with --bulk N: N more pairs merged in one POST of the review page ("Merge selected"), through
  the Flask test client as a logged-in administrator (form parsing, CSRF off, the all-or-nothing
  service, the commit), timed as one request;
- re-importing both sources after the merge (must create nothing).

    .venv/bin/python bench/hsds_duplicates.py --services 5000
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _copy_with_new_ids(source: Path, target: Path) -> None:
    """Every id and reference prefixed with "B", except the shared taxonomy's."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for path in source.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        header = rows[0]
        shared = path.name == "taxonomy.csv"
        keys = [i for i, name in enumerate(header) if (name == "id" or name.endswith("_id"))
                and not shared and name not in ("taxonomy_id", "parent_id")]  # fmt: skip
        for row in rows[1:]:
            for i in keys:
                row[i] = f"B{row[i]}" if row[i] else row[i]
        with (target / path.name).open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)


def _bulk_merge(app, count: int) -> dict[str, object]:  # noqa: ANN001
    """Merge `count` open pairs in one POST of the review page, as an administrator."""
    from sqlalchemy import func, select

    from app.accounts.models import Role, User
    from app.extensions import db
    from app.interop import duplicates_bulk
    from app.interop.models import DuplicateCandidate, DuplicateStatus

    duplicates_bulk.MAX_PAIRS = max(duplicates_bulk.MAX_PAIRS, count)  # measure past the cap
    admin = User(email="bench-admin@example.org", name="Bench admin", role=Role.ADMIN)
    admin.set_password("bench-password-1234")
    db.session.add(admin)
    db.session.commit()
    open_pairs = select(DuplicateCandidate.id).where(
        DuplicateCandidate.status == DuplicateStatus.OPEN
    )
    ids = list(db.session.scalars(open_pairs.order_by(DuplicateCandidate.kind).limit(count)))
    app.config.update(WTF_CSRF_ENABLED=False)
    client = app.test_client()
    login = {"email": admin.email, "password": "bench-password-1234"}
    assert client.post("/account/login", data=login).status_code == 302
    started = time.perf_counter()
    response = client.post("/admin/hsds/duplicates/decide", data={"pair": ids, "action": "merge"})
    seconds = time.perf_counter() - started
    assert response.status_code == 303, response.status_code
    db.session.expire_all()
    done = (DuplicateCandidate.id.in_(ids), DuplicateCandidate.status == DuplicateStatus.MERGED)
    merged = db.session.scalar(select(func.count()).select_from(DuplicateCandidate).where(*done))
    return {"bulk_pairs": len(ids), "bulk_merged": merged, "bulk_post_s": round(seconds, 2),
            "bulk_ms_per_pair": round(seconds * 1000 / max(len(ids), 1), 1)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--workdir", default="/tmp/partners-bench-hsds-duplicates")  # noqa: S108
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--merges", type=int, default=100, help="pairs to merge (timed each)")
    parser.add_argument("--bulk", type=int, default=0, help="pairs to merge in one POST")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{workdir / 'dup.db'}"
    os.environ["DATABASE_URL"] = url
    os.environ["SEARCH_INDEX_DIR"] = str(workdir / "index")
    os.environ["SEARCH_SYNC"] = "off"

    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.interop.csv_import import import_path
    from app.interop.duplicates import merge
    from app.interop.models import DuplicateCandidate
    from bench.hsds_legacy import generate

    first, second = workdir / "county", workdir / "region-211"
    generate(first, args.services, 1)
    _copy_with_new_ids(first, second)
    app = create_app()
    app.config.update(SEARCH_SYNC="off")
    results: dict[str, object] = {"services": args.services, "database": url.split(":")[0]}
    with app.app_context():
        db.drop_all()
        db.create_all()
        for key, path in (("first_import_s", first), ("second_import_s", second)):
            started = time.perf_counter()
            report = import_path(path)
            db.session.commit()
            results[key] = round(time.perf_counter() - started, 2)
            assert report.ok, report.problems[:5]
        results["flagged"] = report.duplicates
        started = time.perf_counter()
        pairs = list(db.session.scalars(select(DuplicateCandidate).order_by(
            DuplicateCandidate.kind)))  # fmt: skip
        merged = 0
        for pair in pairs[: args.merges]:
            if pair.status.value == "open":
                merge(pair, None)
                db.session.commit()
                merged += 1
        results["merged"] = merged
        results["ms_per_merge"] = round((time.perf_counter() - started) * 1000 / max(merged, 1))
        if args.bulk:
            results |= _bulk_merge(app, args.bulk)
        created = 0
        for key, path in (("reimport_first_s", first), ("reimport_second_s", second)):
            started = time.perf_counter()
            again = import_path(path)
            db.session.commit()
            results[key] = round(time.perf_counter() - started, 2)
            created += sum(again.created.values())
        results["created_on_reimport"] = created
    print(json.dumps(results))


if __name__ == "__main__":
    main()
