"""Do both search backends answer the same? Runs bench/search.py's searches (and a few more
sorts and filters) on both backends over the same data and prints, for each, whether the totals,
facets and hidden counts agree and whether the page is the same.

    .venv/bin/python bench/search_compare.py --services 50000 \
        --database-url postgresql://postgres@127.0.0.1:5432/partners_bench

Run bench/search.py with the same arguments first (it generates the data and builds both
backends' search data). Text relevance differs by design (Whoosh BM25F, PostgreSQL ts_rank), so
pages ordered by text relevance may differ; everything else must agree.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--workdir", default="/tmp/partners-bench")  # noqa: S108 - throw-away
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()

    from app import create_app
    from app.common import utcnow
    from config import Config

    class CompareConfig(Config):
        SQLALCHEMY_DATABASE_URI = args.database_url
        SEARCH_SYNC = "off"
        SEARCH_INDEX_DIR = str(Path(args.workdir) / f"index-{args.services}")
        RATELIMIT_STORAGE_URI = "memory://"

    spec = importlib.util.spec_from_file_location("bench_search", ROOT / "bench" / "search.py")
    bench = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(bench)  # type: ignore[union-attr]
    app = create_app(CompareConfig)
    with app.app_context():
        from app.extensions import db
        from app.search import SearchRequest, search

        requests = [r for batch in bench._requests().values() for r in batch]  # noqa: SLF001
        requests += [
            SearchRequest(near="Hartford", radius_miles=10, sort="distance"),
            SearchRequest(text="housing", sort="verified"),
            SearchRequest(
                near="Waterbury",
                radius_miles=10,
                open_now=True,
                has_capacity=True,
                include_waitlist=True,
            ),
            SearchRequest(text="food", need_areas=["food"], town="Hartford", language="es"),
        ]
        now = utcnow()
        disagree = 0
        for request in requests:
            found = {}
            for backend in ("whoosh", "postgres"):
                app.config["SEARCH_BACKEND"] = backend
                found[backend] = search(request, now=now)
                db.session.rollback()
            w, p = found["whoosh"], found["postgres"]
            counts = w.total == p.total and w.facets == p.facets and w.hidden == p.hidden
            page = [r.service_id for r in w.results] == [r.service_id for r in p.results]
            disagree += not counts
            print(
                f"{request.text!r:28} near={request.near!r:16} sort={request.sort:9} "
                f"total {w.total}/{p.total}  totals, facets, hidden agree: {counts}  "
                f"same page: {page}"
            )
        print(f"searches whose totals, facets or hidden counts disagree: {disagree}")


if __name__ == "__main__":
    main()
