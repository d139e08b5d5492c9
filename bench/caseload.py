"""Benchmark: My caseload for counselors with 50 and 500 people, in a network of many more.

Builds a throw-away SQLite database (or uses --database-url) with one counselor per caseload
size and --others people on other counselors' teams; every person has a release plan with the
usual checklist, three referrals (one waiting, one late, one accepted) and two unread
notifications. Then times, through the real app, the caseload page against the plain client
list (/referrals/clients) as the baseline, for the same counselor in the same run, and counts
the SQL statements of each page. Prints a table, or one JSON object with --json.

    .venv/bin/python bench/caseload.py --sizes 50,500 --others 5000
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
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "bench-password-123"  # noqa: S105 - a throw-away database


def _id() -> str:
    return str(uuid.uuid4())


def _people(counselor_id: str, count: int, ctx: dict, rng: random.Random) -> dict[str, list]:
    """Rows for `count` people on one counselor's team, each with a plan, items, referrals."""
    from app.plans.services import default_due_on
    from app.plans.vocabulary import DEFAULT_KINDS, ItemKind, ItemStatus, PlanPhase

    rows: dict[str, list] = {k: [] for k in ("client", "member", "plan", "item", "ref", "note")}
    today, now = ctx["today"], ctx["now"]
    kinds = [k for k in DEFAULT_KINDS if k != ItemKind.REGISTRATION]
    for n in range(count):
        client_id, plan_id = _id(), _id()
        release = today + timedelta(days=rng.randint(-30, 200))
        released = release <= today and rng.random() < 0.7
        rows["client"].append(
            {
                "id": client_id,
                "first_name": f"Bench{n}",
                "last_name": f"Person{rng.randint(1, 99999)}",
                "date_of_birth": date(1980, 1, 1),
                "facility_id": rng.choice(ctx["facilities"]),
                "projected_release_date": release,
                "released_on": release if released else None,
                "eligibility": {},
            }
        )
        rows["member"].append(
            {"id": _id(), "client_id": client_id, "user_id": counselor_id, "is_coordinator": True}
        )
        rows["plan"].append(
            {
                "id": plan_id,
                "client_id": client_id,
                "phase": rng.choice(list(PlanPhase)),
                "coordinator_id": counselor_id,
                "started_at": now,
                "version": 1,
            }
        )
        for position, kind in enumerate(kinds):
            rows["item"].append(
                {
                    "id": _id(),
                    "plan_id": plan_id,
                    "position": position,
                    "kind": kind,
                    "title": kind.label,
                    "status": rng.choice(list(ItemStatus)),
                    "due_on": default_due_on(kind, release),
                    "updated_at": now,
                    "version": 1,
                }
            )
        for status, sent in (
            ("sent", now),
            ("received", now - timedelta(days=9)),
            ("accepted", now),
        ):
            referral_id = _id()
            rows["ref"].append(
                {
                    "id": referral_id,
                    "client_id": client_id,
                    "service_id": ctx["service_id"],
                    "organization_id": ctx["organization_id"],
                    "referrer_id": counselor_id,
                    "status": status,
                    "sent_at": sent,
                    "due_at": sent + timedelta(days=2),
                    "version": 1,
                }
            )
        link = f"/referrals/{referral_id}"
        for text_link in (link, f"/referrals/clients/{client_id}"):
            rows["note"].append(
                {
                    "id": _id(),
                    "user_id": counselor_id,
                    "kind": "bench",
                    "text": "Something changed",
                    "link": text_link,
                    "created_at": now,
                }
            )
    return rows


def build(sizes: list[int], others: int, seed: int) -> dict[str, object]:
    from sqlalchemy import insert

    from app.accounts.models import Facility, Role, User
    from app.clock import local_today, utcnow
    from app.directory.models import Organization, Service
    from app.extensions import db
    from app.notify.models import Notification
    from app.plans.models import PlanItem, ReleasePlan
    from app.referrals.models import CareTeamMember, Client, Referral

    started = time.perf_counter()
    rng = random.Random(seed)
    facilities = [Facility(name=f"Bench Facility {n} (Sample)", is_sample=True) for n in range(6)]
    organization = Organization(name="Bench Provider (Sample)", is_sample=True)
    service = Service(organization=organization, name="Bench Housing")
    db.session.add_all([*facilities, organization, service])
    db.session.flush()
    ctx = {
        "today": local_today(),
        "now": utcnow(),
        "facilities": [f.id for f in facilities],
        "service_id": service.id,
        "organization_id": organization.id,
    }
    counselors = {}
    for size in [*sizes, 0]:
        user = User(email=f"bench-{size}@example.org", name=f"Bench {size}", role=Role.COUNSELOR)
        user.set_password(PASSWORD)
        db.session.add(user)
        counselors[size] = user
    db.session.commit()
    tables = (
        ("client", Client),
        ("member", CareTeamMember),
        ("plan", ReleasePlan),
        ("item", PlanItem),
        ("ref", Referral),
        ("note", Notification),
    )
    batches = [(counselors[size].id, size) for size in sizes] + [(counselors[0].id, others)]
    for counselor_id, count in batches:
        rows = _people(counselor_id, count, ctx, rng)
        for key, model in tables:
            for start in range(0, len(rows[key]), 5000):
                db.session.execute(insert(model), rows[key][start : start + 5000])
    db.session.commit()
    return {"build_s": time.perf_counter() - started}


def _time(client, path: str, repeat: int) -> dict[str, float]:  # noqa: ANN001
    from sqlalchemy import event

    from app.extensions import db

    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append("x")

    client.get(path)  # warm up
    timings = []
    for _ in range(repeat):
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        event.remove(db.engine, "before_cursor_execute", count)
        assert response.status_code == 200, (path, response.status_code)
    return {
        "p50_ms": statistics.median(timings),
        "max_ms": max(timings),
        "queries": len(statements),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="50,500", help="caseload sizes, comma-separated")
    parser.add_argument("--others", type=int, default=5000, help="people on other teams")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--workdir", default="/tmp/partners-bench-caseload")  # noqa: S108
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{workdir / 'caseload.db'}"
    if url.startswith("sqlite:///") and not args.database_url:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ["SEARCH_INDEX_DIR"] = str(workdir / "index")
    os.environ["SEARCH_SYNC"] = "off"

    from app import create_app
    from app.extensions import db

    app = create_app()
    app.config.update(WTF_CSRF_ENABLED=False, SEARCH_SYNC="off", RATELIMIT_ENABLED=False)
    with app.app_context():
        db.create_all()
        built = build(sizes, args.others, args.seed)
        results: dict[str, object] = {"database": url.split(":")[0], "others": args.others}
        results.update(built)
        for size in sizes:
            client = app.test_client()
            login = client.post(
                "/account/login", data={"email": f"bench-{size}@example.org", "password": PASSWORD}
            )
            assert login.status_code == 302, login.status_code
            results[f"caseload_{size}"] = _time(client, "/caseload", args.repeat)
            results[f"clients_{size}"] = _time(client, "/referrals/clients", args.repeat)
    if args.json:
        print(json.dumps(results))
        return
    from app.clock import utcnow

    stamp = utcnow().strftime("%Y-%m-%d %H:%M UTC")
    print(f"My caseload, {url}, {args.others:,} people on other teams ({stamp})")
    print(f"  build: {built['build_s']:.1f} s")
    print(f"  {'people':>6}  {'page':<22} {'p50':>8} {'max':>8} {'queries':>8}")
    for size in sizes:
        for name, key in (("caseload", "caseload"), ("client list (baseline)", "clients")):
            figures = results[f"{key}_{size}"]
            print(
                f"  {size:>6}  {name:<22} {figures['p50_ms']:>6.0f} ms {figures['max_ms']:>5.0f} ms"
                f" {figures['queries']:>8}"
            )


if __name__ == "__main__":
    main()
