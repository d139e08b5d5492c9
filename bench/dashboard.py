"""Benchmark: the network-measures dashboard over N referrals (default 100,000).

Builds a throw-away SQLite database (or uses --database-url) with synthetic services, clients and
referrals with their event histories, then times the dashboard page and its CSV as an analyst
would load them, through the real app. Prints a table, or one JSON object with --json.

    .venv/bin/python bench/dashboard.py --referrals 100000
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

# The path each final status walks through, for the event history the measures read.
PATHS = {
    "sent": ["sent"],
    "received": ["sent", "received"],
    "accepted": ["sent", "received", "accepted"],
    "waitlisted": ["sent", "received", "waitlisted"],
    "declined": ["sent", "received", "declined"],
    "enrolled": ["sent", "received", "accepted", "enrolled"],
    "completed": ["sent", "received", "accepted", "enrolled", "completed"],
    "not_enrolled": ["sent", "received", "accepted", "not_enrolled"],
    "cancelled": ["sent", "cancelled"],
}
WEIGHTS = [5, 5, 15, 8, 14, 10, 25, 8, 10]
ACTION = {
    "sent": "send",
    "received": "receive",
    "accepted": "accept",
    "waitlisted": "waitlist",
    "declined": "decline",
    "enrolled": "enroll",
    "completed": "complete",
    "not_enrolled": "not_enrolled",
    "cancelled": "cancel",
}
DECLINE = ["no_capacity", "not_eligible", "client_declined", "could_not_contact", "other"]
FAILED = ["no_show", "could_not_contact", "left_program", "other"]


def build(n_referrals: int, n_services: int, seed: int) -> dict[str, float]:
    from sqlalchemy import insert, select

    from app.accounts.models import Facility, Role, User
    from app.directory.models import Service, TaxonomyTerm, service_taxonomy_term
    from app.extensions import db
    from app.referrals.models import Client, Referral, ReferralEvent
    from app.referrals.vocabulary import REACHED_BIT, ReferralStatus
    from app.seeding.synthetic import generate_synthetic
    from app.seeding.taxonomy import load_taxonomies

    started = time.perf_counter()
    load_taxonomies()
    db.session.commit()
    generate_synthetic(n_services, seed=seed)
    db.session.commit()
    rng = random.Random(seed)
    facility = Facility(name="Bench Correctional Center (Sample)", town="Hartford", is_sample=True)
    counselor = User(email="bench-counselor@example.org", name="Bench", role=Role.COUNSELOR)
    analyst = User(email="bench-analyst@example.org", name="Analyst", role=Role.ANALYST)
    for user in (counselor, analyst):
        user.set_password("bench-password-123")
    counselor.facility = facility
    db.session.add_all([facility, counselor, analyst])
    db.session.commit()

    need_of = dict(
        db.session.execute(
            select(service_taxonomy_term.c.service_id, TaxonomyTerm.code)
            .join(TaxonomyTerm, TaxonomyTerm.id == service_taxonomy_term.c.taxonomy_term_id)
            .where(TaxonomyTerm.taxonomy == "partners-need-areas", TaxonomyTerm.parent_id.is_(None))
        ).all()
    )
    services = db.session.execute(select(Service.id, Service.organization_id)).all()
    now = datetime.now(UTC)

    clients = []
    for i in range(max(1, n_referrals // 5)):
        clients.append(
            {
                "id": str(uuid.uuid4()),
                "first_name": f"Bench{i}",
                "last_name": "Sample",
                "date_of_birth": date(1980, 1, 1) + timedelta(days=i % 9000),
                "facility_id": facility.id,
                "created_by_id": counselor.id,
                "projected_release_date": (now - timedelta(days=rng.randint(0, 200))).date(),
                "released_on": (now - timedelta(days=rng.randint(0, 200))).date(),
                "preferred_language": "en",
                "contact_method": "none",
                "eligibility": {},
                "created_at": now,
                "updated_at": now,
            }
        )
    for start in range(0, len(clients), 5000):
        db.session.execute(insert(Client), clients[start : start + 5000])

    referrals, events = [], []
    statuses = list(PATHS)
    for _ in range(n_referrals):
        service_id, org_id = rng.choice(services)
        status = rng.choices(statuses, WEIGHTS)[0]
        sent = now - timedelta(days=rng.uniform(0, 180))
        answered = sent + timedelta(hours=rng.uniform(1, 120)) if len(PATHS[status]) > 2 else None
        reason = rng.choice(DECLINE) if status == "declined" else None
        reason = rng.choice(FAILED) if status == "not_enrolled" else reason
        rid = str(uuid.uuid4())
        closed = status in {"declined", "completed", "not_enrolled", "cancelled"}
        referrals.append(
            {
                "id": rid,
                "client_id": rng.choice(clients)["id"],
                "service_id": service_id,
                "organization_id": org_id,
                "facility_id": facility.id,
                "referrer_id": counselor.id,
                "status": status,
                "priority": "urgent" if rng.random() < 0.2 else "routine",
                "need_area_code": need_of.get(service_id),
                "sent_at": sent,
                "due_at": sent + timedelta(days=2),
                "received_at": sent + timedelta(minutes=30) if status != "sent" else None,
                "first_response_at": answered,
                "reason_code": reason,
                "closed_at": (answered or sent) + timedelta(days=3) if closed else None,
                "created_at": sent,
                "updated_at": sent,
                "version": len(PATHS[status]),
                "reached": sum(REACHED_BIT[ReferralStatus(step)] for step in PATHS[status]),
            }
        )
        at, previous = sent, None
        for step in PATHS[status]:
            events.append(
                {
                    "id": str(uuid.uuid4()),
                    "referral_id": rid,
                    "at": at,
                    "actor_id": counselor.id,
                    "action": ACTION[step],
                    "from_status": previous,
                    "to_status": step,
                    "reason_code": reason if step in {"declined", "not_enrolled"} else None,
                    "details": {},
                }
            )
            previous, at = step, at + timedelta(hours=rng.uniform(1, 48))
    for start in range(0, len(referrals), 5000):
        db.session.execute(insert(Referral), referrals[start : start + 5000])
    for start in range(0, len(events), 10000):
        db.session.execute(insert(ReferralEvent), events[start : start + 10000])
    db.session.commit()
    return {"build_s": time.perf_counter() - started, "events": len(events)}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--services", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", default="/tmp/partners-bench-dashboard")  # noqa: S108
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database of an earlier run if there is one"
    )
    args = parser.parse_args()

    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{workdir / f'dashboard-{args.referrals}.db'}"
    db_file = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
    reuse = args.reuse and (db_file is None or db_file.exists())
    if db_file is not None and not args.database_url and not reuse:
        db_file.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ["SEARCH_INDEX_DIR"] = str(workdir / "index")
    os.environ["SEARCH_SYNC"] = "off"

    from app import create_app
    from app.extensions import db

    app = create_app()
    app.config.update(WTF_CSRF_ENABLED=False, SEARCH_SYNC="off")
    with app.app_context():
        from sqlalchemy import func, select, text

        from app.referrals.models import ReferralEvent

        if not reuse:
            db.create_all()
            built = build(args.referrals, args.services, args.seed)
        else:
            events = db.session.scalar(select(func.count()).select_from(ReferralEvent)) or 0
            built = {"build_s": 0.0, "events": events}
        if db.engine.dialect.name == "postgresql":
            # What autovacuum would soon do after a bulk load; without it the planner guesses.
            db.session.execute(text("ANALYZE"))
            db.session.commit()

    client = app.test_client()
    login = client.post(
        "/account/login",
        data={"email": "bench-analyst@example.org", "password": "bench-password-123"},
    )
    assert login.status_code == 302, login.status_code
    figures: dict[str, object] = {
        "referrals": args.referrals,
        "database": url.split(":")[0],
        **built,
    }
    downloads = (
        ("page", "/reports/"),
        ("zip", "/reports/network.zip"),  # every table, one CSV each
        ("csv", "/reports/network/referrals.csv"),  # one table (the page's figures all the same)
    )
    for name, path in downloads:
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        figures[f"{name}_ms_p50"] = statistics.median(timings)
        figures[f"{name}_ms_max"] = max(timings)
        figures[f"{name}_ms_p90"] = percentile(timings, 0.9)

    if args.json:
        print(json.dumps(figures))
        return
    print(f"dashboard over {args.referrals:,} referrals ({built['events']:,} events), {url}")
    print(f"  build: {built['build_s']:.1f} s")
    for name, _ in downloads:
        print(
            f"  {name:<5} p50 {figures[f'{name}_ms_p50']:.0f} ms   "
            f"p90 {figures[f'{name}_ms_p90']:.0f} ms   max {figures[f'{name}_ms_max']:.0f} ms"
        )


if __name__ == "__main__":
    main()
