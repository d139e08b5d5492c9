"""Benchmark: "who really accepts" for one page of staff search results (25 services) — the one
query and its tally — against a history of referrals, on a throw-away SQLite database (or
--database-url, whose tables it drops and creates).

Rows are inserted directly (clients with a conviction-related answer or none, referrals spread
over 18 months, answered or not), then acceptance_evidence() runs for pages of 25 services;
the figure is the median of --rounds runs.

    .venv/bin/python bench/acceptance.py --referrals 50000 --services 2000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, default=50_000)
    parser.add_argument("--services", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--database-url")
    parser.add_argument("--explain", action="store_true", help="print the query plan too")
    args = parser.parse_args()

    from app import create_app
    from config import TestingConfig, normalise_database_url

    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"

    class Bench(TestingConfig):
        SQLALCHEMY_DATABASE_URI = normalise_database_url(url)
        SEARCH_SYNC = "off"

    app = create_app(Bench)
    with app.app_context():
        from app.extensions import db
        from app.referrals.acceptance import acceptance_evidence
        from app.referrals.vocabulary import REACHED_BIT, ReferralStatus

        db.drop_all()
        db.create_all()
        now = datetime.now(UTC)
        rng = random.Random(17)
        org = str(uuid.uuid4())
        db.session.execute(
            db.metadata.tables["organization"].insert(),
            [{"id": org, "name": "Bench org", "is_sample": False}],
        )
        services = [str(uuid.uuid4()) for _ in range(args.services)]
        db.session.execute(
            db.metadata.tables["service"].insert(),
            [{"id": s, "organization_id": org, "name": f"S{n}"} for n, s in enumerate(services)],
        )
        answers = [{"on_registry": True}, {"violent_conviction": True}, {"arson_conviction": True}]
        clients, referrals = [], []
        for n in range(args.referrals):
            cid = str(uuid.uuid4())
            eligibility = rng.choice(answers) if rng.random() < 0.4 else {}
            clients.append(
                {
                    "id": cid,
                    "first_name": "B",
                    "last_name": f"{n}",
                    "date_of_birth": date(1980, 1, 1),
                    "eligibility": eligibility,
                }
            )
            sent = now - timedelta(days=rng.uniform(0, 540))
            outcome = rng.choice([ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, None])
            reached = REACHED_BIT[ReferralStatus.SENT] | (REACHED_BIT[outcome] if outcome else 0)
            referrals.append(
                {
                    "id": str(uuid.uuid4()),
                    "client_id": cid,
                    "service_id": rng.choice(services[: max(1, args.services // 4)]),
                    "organization_id": org,
                    "status": (outcome or ReferralStatus.SENT).value,
                    "priority": "routine",
                    "sent_at": sent,
                    "first_response_at": sent + timedelta(hours=rng.uniform(2, 96))
                    if outcome
                    else None,
                    "reached": reached,
                    "version": 1,
                }
            )
        db.session.execute(db.metadata.tables["client"].insert(), clients)
        db.session.execute(db.metadata.tables["referral"].insert(), referrals)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # fresh statistics, as autovacuum would
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE referral")
                conn.exec_driver_sql("ANALYZE client")

        flags = ["on_registry", "violent_conviction", "arson_conviction"]
        busy = services[: max(1, args.services // 4)]
        timings, cpu, shown = [], [], 0
        for round_ in range(args.rounds):
            page = rng.sample(busy, 25)
            started, started_cpu = time.perf_counter(), time.process_time()
            found = acceptance_evidence(page, flags, now=now)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            shown += len(found)
            db.session.rollback()
            del round_
        # the search-wide factors (acceptance_boosts): every service with a figure, one query;
        # checked against the page figures' own boost for the services they share
        from app.referrals.acceptance import acceptance_boosts, boost

        wide, wide_cpu = [], []
        for _ in range(args.rounds):
            started, started_cpu = time.perf_counter(), time.process_time()
            factors = acceptance_boosts(flags, now=now)
            wide.append((time.perf_counter() - started) * 1000)
            wide_cpu.append((time.process_time() - started_cpu) * 1000)
            db.session.rollback()
        check = acceptance_evidence(busy[:200], flags, now=now)
        assert all(factors.get(sid, 1.0) == boost(check.get(sid, [])) for sid in busy[:200])
        if args.explain:
            _explain(db, busy[:25], flags, now)
        print(f"database: {db.engine.dialect.name}")
        print(f"referrals: {args.referrals}, services: {args.services} (all referred to a quarter)")
        print(
            f"page of 25 services, 3 answers: median {statistics.median(timings):.1f} ms, "
            f"max {max(timings):.1f} ms over {args.rounds} rounds "
            f"(CPU time of this process: median {statistics.median(cpu):.1f} ms); "
            f"{shown / args.rounds:.1f} services with a figure per page"
        )
        print(
            f"search-wide factors (acceptance_boosts), 3 answers: median "
            f"{statistics.median(wide):.1f} ms, max {max(wide):.1f} ms (CPU "
            f"{statistics.median(wide_cpu):.1f} ms); {len(factors)} services with a factor, "
            "the same as the page figures' for 200 services"
        )


def _explain(db, page, flags, now) -> None:  # noqa: ANN001
    """The database's plan for the one query (statements logged while it runs)."""
    from sqlalchemy import event, text

    from app.referrals.acceptance import acceptance_evidence

    seen = []

    def keep(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    acceptance_evidence(page, flags, now=now)
    event.remove(db.engine, "before_cursor_execute", keep)
    statement, parameters = seen[-1]
    prefix = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN ANALYZE "
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(prefix + statement, parameters)
        for row in cursor.fetchall():
            print("  ", *row)
    finally:
        raw.close()
    del text


if __name__ == "__main__":
    main()
