"""Fault: PostgreSQL restarts while gunicorn serves searches and referrals are being sent.

    .venv/bin/python bench/faults/pg_restart.py [--database-url postgresql://…/partners_faults]

Restarts the local cluster (`pg_ctlcluster <version> main restart`, needs root) a few seconds
into a load of public searches and API referral sends (each to a different service the demo
counselor's client has consented to), keeps the load going, then reports: answers by status
before / during / after, how long until the first success after the restart, any 500 (goal:
none; an unreachable database answers 503 with Retry-After), and what the database kept: every
referral the API confirmed (201) exists, and no referral exists without its "sent" event (no
half-written referral).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_URL, api_token, app_for, prepared_postgres  # noqa: E402
from stack import Gunicorn, request  # noqa: E402


def referral_targets(app) -> list[tuple[str, str]]:  # noqa: ANN001
    """(client id, service id) pairs the demo counselor may refer: consent covers the service."""
    from sqlalchemy import select

    from app.accounts.models import User
    from app.clock import local_today
    from app.directory.models import Service
    from app.extensions import db
    from app.referrals.consent import active_consent_for
    from app.referrals.models import CareTeamMember, Client

    with app.app_context():
        clients = db.session.scalars(
            select(Client)
            .join(CareTeamMember, CareTeamMember.client_id == Client.id)
            .join(User, User.id == CareTeamMember.user_id)
            .where(User.email == "counselor@example.org")
        ).all()
        services = db.session.scalars(select(Service)).all()
        today, pairs = local_today(), []
        for client in clients:
            for service in services:
                if active_consent_for(client, service, today) is not None:
                    pairs.append((client.id, service.id))
        return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--workdir", default="/tmp/partners-faults")  # noqa: S108
    parser.add_argument("--before", type=float, default=5.0, help="seconds of load before")
    parser.add_argument("--after", type=float, default=15.0, help="seconds of load after")
    parser.add_argument("--no-restart", action="store_true", help="a dry run: load only")
    args = parser.parse_args()

    env = prepared_postgres(args.database_url, Path(args.workdir) / "pg_restart")
    token = api_token(env, "counselor@example.org")
    app = app_for(env)
    pairs = referral_targets(app)
    print(f"{len(pairs)} (person, service) pairs with consent to refer", flush=True)

    # Spread the referrals over the whole run (two senders), so some go out during the restart.
    pace = max(0.05, 2 * (args.before + args.after) / max(1, len(pairs)))
    log: list[tuple[float, str, int | str]] = []  # (time, kind, status or error)
    confirmed: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()

    with Gunicorn(env, 2, Path(args.workdir) / "pg_restart" / "gunicorn.log") as server:

        def searcher() -> None:
            while not stop.is_set():
                try:
                    status = request(server.port, "GET", "/search?q=housing", timeout=30)[0]
                except OSError as exc:
                    status = type(exc).__name__
                with lock:
                    log.append((time.monotonic(), "search", status))

        def referrer() -> None:
            while not stop.is_set():
                with lock:
                    if not pairs:
                        return
                    client_id, service_id = pairs.pop()
                body = {
                    "client_id": client_id,
                    "service_id": service_id,
                    "acknowledge_no_capacity": True,
                    "eligibility_override_reason": "Fault test: sent regardless of the rules.",
                }
                try:
                    status, _, text = request(
                        server.port,
                        "POST",
                        "/api/referrals",
                        body,
                        headers={"Authorization": f"Bearer {token}"},
                        timeout=30,
                    )
                except OSError as exc:
                    status, text = type(exc).__name__, ""
                with lock:
                    log.append((time.monotonic(), "referral", status))
                    if status == 201:
                        confirmed.append(json.loads(text)["id"])
                time.sleep(pace)

        threads = [threading.Thread(target=searcher) for _ in range(3)]
        threads += [threading.Thread(target=referrer) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(args.before)
        version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]  # e.g. 15
        restart_at = time.monotonic()
        if not args.no_restart:
            restart = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"]
            subprocess.run(restart, check=True)  # noqa: S603
        restarted_at = time.monotonic()
        time.sleep(args.after)
        stop.set()
        for thread in threads:
            thread.join()

    def phase(moment: float) -> str:
        if moment < restart_at:
            return "before"
        return "during" if moment < restarted_at + 1 else "after"

    print(f"\nPostgreSQL restart took {restarted_at - restart_at:.1f} s")
    for kind in ("search", "referral"):
        for name in ("before", "during", "after"):
            counts = Counter(str(s) for t, k, s in log if k == kind and phase(t) == name)
            print(f"{kind:8} {name:6}: {dict(sorted(counts.items()))}")
    first_ok = min((t for t, k, s in log if t > restart_at and s in (200, 201)), default=None)
    recovered = f"{first_ok - restart_at:.1f} s" if first_ok else "never"
    print(f"first success after the restart began: {recovered}")
    errors_500 = sum(1 for _, _, s in log if s == 500)

    from sqlalchemy import func, select

    from app.extensions import db
    from app.referrals.models import Referral, ReferralEvent

    with app.app_context():
        db.engine.dispose()  # connections from before the restart are gone
        kept = set(db.session.scalars(select(Referral.id)).all())
        without_event = db.session.scalar(
            select(func.count())
            .select_from(Referral)
            .where(
                ~select(ReferralEvent.id).where(ReferralEvent.referral_id == Referral.id).exists()
            )
        )
    missing = [r for r in confirmed if r not in kept]
    print(f"referrals confirmed (201): {len(confirmed)}; in the database: {len(kept)}")
    print(
        f"confirmed but missing: {len(missing)}; referrals without their 'sent' event: "
        f"{without_event}; answers of 500: {errors_500}"
    )
    lost = len(missing) + without_event + errors_500
    print("RESULT:", "nothing lost" if lost == 0 else f"{lost} problems")
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
