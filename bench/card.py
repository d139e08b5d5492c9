"""Benchmark: requests per second for a discharge card's page against a service page, and against
the same card page with the card cache and QR cache turned off, in one process, same run.

Builds a throw-away SQLite database (or uses --database-url, whose tables it drops and creates)
with the demo data: the card made on a demo person's release day (their plan shown above the
card's places) and the sample card (no plan). Requests go through the whole Flask app (WSGI,
Flask test client; rate limits off), in interleaved rounds so other load on the machine hits
every page alike; the figure is the median round. Prints a table, or JSON with --json.

    .venv/bin/python bench/card.py --requests 300 --rounds 5
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _apps(url: str):  # noqa: ANN202
    from app import create_app
    from config import TestingConfig, normalise_database_url

    class Bench(TestingConfig):
        SQLALCHEMY_DATABASE_URI = normalise_database_url(url)
        RATELIMIT_ENABLED = False
        SEARCH_SYNC = "off"
        PUBLIC_BASE_URL = "https://partners.example.org"

    cached = create_app(Bench)
    uncached = create_app({**cached.config, "CARD_CACHE_SIZE": 0})
    return cached, uncached


def _seed(app) -> dict[str, str]:  # noqa: ANN001
    from sqlalchemy import select

    from app.extensions import db
    from app.plans.models import ReleasePlan
    from app.public.cards import format_code
    from app.public.models import DischargeCard
    from app.public.sample import ensure_sample_card
    from app.seeding.demo import load_demo

    with app.app_context():
        db.drop_all()
        db.create_all()
        load_demo()
        ensure_sample_card()
        db.session.commit()
        with_plan = db.session.scalar(
            select(DischargeCard)
            .join(ReleasePlan, ReleasePlan.client_id == DischargeCard.client_id)
            .order_by(DischargeCard.created_at)
        )
        sample = db.session.scalar(select(DischargeCard).where(DischargeCard.client_id.is_(None)))
        service = with_plan.entries[0].service_id
        return {
            "card (plan)": f"/card/{format_code(with_plan.code)}",
            "card (no plan)": f"/card/{format_code(sample.code)}",
            "service page": f"/services/{service}",
        }


def _rate(client, url: str, n: int) -> float:  # noqa: ANN001
    started = time.perf_counter()
    for _ in range(n):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    return n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="per page per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", help="default: a throw-away SQLite file")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        cached, uncached = _apps(url)
        pages = _seed(cached)
        runs = [
            ("card page (plan), cached", cached, pages["card (plan)"]),
            ("card page (plan), caches off", uncached, pages["card (plan)"]),
            ("card page (no plan), cached", cached, pages["card (no plan)"]),
            ("card page (no plan), caches off", uncached, pages["card (no plan)"]),
            ("service page", cached, pages["service page"]),
        ]
        clients = {id(app): app.test_client() for _, app, _ in runs}
        for _, app, page in runs:  # warm up: templates compiled, caches filled
            _rate(clients[id(app)], page, 5)
        rates: dict[str, list[float]] = {name: [] for name, _, _ in runs}
        for _ in range(args.rounds):
            for name, app, page in runs:
                rates[name].append(_rate(clients[id(app)], page, args.requests))
        result = {name: round(statistics.median(values), 1) for name, values in rates.items()}
        for app in (cached, uncached):
            with app.app_context():
                from app.extensions import db

                db.engine.dispose()

    from app.public.qr import qr_cache_info

    result["qr encodes (whole run)"] = qr_cache_info()["encodes"]
    if args.json:
        print(json.dumps(result))
        return
    dialect = (args.database_url or "sqlite").split(":")[0]
    print(f"{dialect}, {args.rounds} rounds x {args.requests} requests per page, median req/s")
    for name, value in result.items():
        print(f"  {name:34} {value:>8}")
    service = result["service page"]
    card = result["card page (plan), cached"]
    print(f"  card (plan, cached) / service page: {card / service:.2f}")


if __name__ == "__main__":
    main()
