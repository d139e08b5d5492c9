"""Benchmark: the release-plan measures at 1,000 and 10,000 people released in the period.

For each size, fills a throw-away SQLite database (or --database-url: a SCRATCH database, its
tables are dropped before and after) with that many people released in the last 90 days plus
as many released earlier (history the period must skip), each with a plan of 11 items, a
release snapshot for 9 in 10, "I need help" answers for 1 in 10, and one referral each (sent,
received, accepted: the baseline's events). Then times, in the same run, the existing referral
measures (app.reports.measures.compute: the baseline) and the plan measures (compute_plans, and
each of its parts). Prints a table, or JSON with --json.

    .venv/bin/python bench/plan_measures.py                  # 1,000 and 10,000
    .venv/bin/python bench/plan_measures.py --people 50000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STATUSES = ["arranged"] * 6 + ["not_needed", "to_do", "in_progress", "could_not_arrange"]


def build(n_in_period: int, seed: int) -> float:  # noqa: PLR0915
    from sqlalchemy import insert

    from app.accounts.models import Facility, Role, User
    from app.clock import local_today
    from app.directory.models import Organization, Service
    from app.extensions import db
    from app.plans.models import PlanAnswer, PlanItem, PlanVersion, ReleasePlan
    from app.plans.vocabulary import DEFAULT_KINDS
    from app.referrals.models import Client, Referral, ReferralEvent
    from app.referrals.vocabulary import REACHED_BIT, ReferralStatus

    started = time.perf_counter()
    rng = random.Random(seed)
    facility = Facility(name="Bench Correctional Center (Sample)", town="Hartford", is_sample=True)
    counselor = User(email="bench-counselor@example.org", name="Bench", role=Role.COUNSELOR)
    counselor.set_password("bench-password-123")
    counselor.facility = facility
    org = Organization(name="Bench Org (Sample)")
    service = Service(organization=org, name="Bench Service")
    db.session.add_all([facility, counselor, org, service])
    db.session.commit()
    today = local_today()
    now = datetime.now(UTC)
    rows: dict[type, list[dict]] = {
        m: [] for m in (Client, ReleasePlan, PlanItem, PlanVersion, PlanAnswer, Referral)
    }
    events: list[dict] = []
    for i in range(2 * n_in_period):
        released = today - timedelta(days=rng.randint(0, 89) if i < n_in_period else 90 + i % 700)
        plan_start = datetime.combine(released, datetime.min.time(), UTC) - timedelta(
            days=rng.randint(5, 120), hours=rng.randint(0, 23)
        )
        client_id, plan_id = str(uuid.uuid4()), str(uuid.uuid4())
        rows[Client].append(
            {
                "id": client_id,
                "first_name": f"Bench{i}",
                "last_name": "Sample",
                "date_of_birth": date(1980, 1, 1) + timedelta(days=i % 9000),
                "facility_id": facility.id,
                "created_by_id": counselor.id,
                "released_on": released,
                "destination_town": rng.choice(["Hartford", "New Haven", "Norwich"]),
                "preferred_language": "en",
                "contact_method": "none",
                "eligibility": {},
                "created_at": plan_start,
                "updated_at": plan_start,
            }
        )
        rows[ReleasePlan].append(
            {
                "id": plan_id,
                "client_id": client_id,
                "phase": "community_supervision",
                "started_at": plan_start,
                "version": 1,
            }
        )
        snapshot = []
        for position, kind in enumerate(DEFAULT_KINDS):
            status = rng.choice(STATUSES)
            item_id = str(uuid.uuid4())
            arranged = plan_start + timedelta(days=rng.uniform(1, 60))
            rows[PlanItem].append(
                {
                    "id": item_id,
                    "plan_id": plan_id,
                    "position": position,
                    "kind": kind.value,
                    "title": kind.label,
                    "status": status,
                    "arranged_at": arranged if status == "arranged" else None,
                    "updated_at": plan_start,
                    "version": 1,
                }
            )
            snapshot.append(
                {
                    "id": item_id,
                    "kind": kind.value,
                    "title": kind.label,
                    "status": status,
                    "owner": None,
                    "due_on": None,
                    "referral_id": None,
                }
            )
            if position == 0 and rng.random() < 0.1:
                rows[PlanAnswer].append(
                    {
                        "id": str(uuid.uuid4()),
                        "item_id": item_id,
                        "answer": "need_help",
                        "answered_on": released + timedelta(days=rng.randint(0, 30)),
                        "answered_at": now,
                    }
                )
        if rng.random() < 0.9:
            rows[PlanVersion].append(
                {
                    "id": str(uuid.uuid4()),
                    "plan_id": plan_id,
                    "number": 1,
                    "juncture": "return_to_community",
                    "phase": "community_supervision",
                    "recorded_at": now,
                    "items": snapshot,
                    "changes": [],
                }
            )
        sent = plan_start + timedelta(days=rng.uniform(1, 30))
        referral_id = str(uuid.uuid4())
        rows[Referral].append(
            {
                "id": referral_id,
                "client_id": client_id,
                "service_id": service.id,
                "organization_id": org.id,
                "facility_id": facility.id,
                "referrer_id": counselor.id,
                "status": "accepted",
                "priority": "routine",
                "sent_at": sent,
                "due_at": sent + timedelta(days=2),
                "first_response_at": sent + timedelta(hours=rng.uniform(1, 90)),
                "created_at": sent,
                "updated_at": sent,
                "version": 3,
                "reached": sum(
                    REACHED_BIT[ReferralStatus(s)] for s in ("sent", "received", "accepted")
                ),
            }
        )
        for step, (before, after) in enumerate(
            [(None, "sent"), ("sent", "received"), ("received", "accepted")]
        ):
            events.append(
                {
                    "id": str(uuid.uuid4()),
                    "referral_id": referral_id,
                    "at": sent + timedelta(hours=step),
                    "actor_id": counselor.id,
                    "action": {"sent": "send", "received": "receive"}.get(after, "accept"),
                    "from_status": before,
                    "to_status": after,
                    "details": {},
                }
            )
    for model, values in [*rows.items(), (ReferralEvent, events)]:
        for start in range(0, len(values), 5000):
            db.session.execute(insert(model), values[start : start + 5000])
    db.session.commit()
    return time.perf_counter() - started


def timed(call, repeat: int) -> float:  # noqa: ANN001
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def run(app, n: int, args: argparse.Namespace) -> dict[str, float]:  # noqa: ANN001
    """Empty the database, fill it for `n` people released in the period, time the measures."""
    from sqlalchemy import text

    from app.clock import local_today
    from app.extensions import db
    from app.reports import plan_measures as pm
    from app.reports.measures import Filters, compute

    with app.app_context():
        db.drop_all()
        db.create_all()
        build_s = build(n, args.seed)
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        today = local_today()
        filters = Filters(start=today - timedelta(days=89), end=today)
        first, last = pm._calendar_span(filters)
        m = pm.compute_plans(filters)
        figures = {
            "people_in_period": n,
            "people_total": 2 * n,
            "build_s": round(build_s, 1),
            "released": m.released,
            "reviewed": m.reviewed,
            "baseline_compute_ms": timed(lambda: compute(filters), args.repeat),
            "compute_plans_ms": timed(lambda: pm.compute_plans(filters), args.repeat),
            "lead_ms": timed(
                lambda: pm._lead(pm.PlanMeasures(), filters, first, last), args.repeat
            ),
            "at_release_ms": timed(lambda: pm._at_release(pm.PlanMeasures(), filters), args.repeat),
            "days_ms": timed(
                lambda: pm._days_to_arranged(pm.PlanMeasures(), filters, first, last), args.repeat
            ),
            "need_help_ms": timed(lambda: pm._need_help(filters), args.repeat),
        }
        assert m.released == n, m.released
        db.session.remove()  # end the session's transaction, or DROP waits for its locks
        db.drop_all()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", default="/tmp/partners-bench-plans")  # noqa: S108
    parser.add_argument(
        "--database-url", default=None, help="a scratch database: its tables are dropped"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{workdir / 'plans.db'}"
    os.environ["DATABASE_URL"] = url
    os.environ["SEARCH_INDEX_DIR"] = str(workdir / "index")
    os.environ["SEARCH_SYNC"] = "off"

    from app import create_app

    app = create_app()
    results = [run(app, n, args) for n in args.people]
    if args.json:
        print(json.dumps(results))
        return
    database = (args.database_url or "sqlite").split(":")[0]
    print(f"release-plan measures, 90-day period, {database}; median of {args.repeat} runs")
    print(
        f"{'released':>9} {'baseline':>9} {'plans':>8} {'lead':>7} {'release':>8} "
        f"{'days':>7} {'help':>7}   (ms; baseline = referral measures over as many referrals)"
    )
    for r in results:
        print(
            f"{r['people_in_period']:>9,} {r['baseline_compute_ms']:>9.0f} "
            f"{r['compute_plans_ms']:>8.0f} {r['lead_ms']:>7.0f} {r['at_release_ms']:>8.0f} "
            f"{r['days_ms']:>7.0f} {r['need_help_ms']:>7.0f}"
        )


if __name__ == "__main__":
    main()
