"""Fault: two web servers on one PostgreSQL save the same capacity figure at the same moment.

    .venv/bin/python bench/faults/two_servers_capacity.py [--rounds 50]

Starts two separate gunicorn servers (separate processes, separate pools) on one scratch
database. In each round both servers receive, at the same instant, a PUT of the demo
provider's bed count with the version both last read ("two staff taking the last bed"). Exactly
one may win (200); the other must get 409 with the figure as it now is. Reports the rounds where
both won or neither did, and checks the capacity history has exactly one row per winning save.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DEFAULT_URL, api_token, app_for, prepared_postgres  # noqa: E402
from stack import Gunicorn, request  # noqa: E402


def provider_figure(app) -> tuple[str, str, str, int]:  # noqa: ANN001
    """(service id, capacity id, unit, version) of a figure the demo provider may update."""
    from sqlalchemy import select

    from app.accounts.models import User
    from app.directory.models import Service
    from app.extensions import db

    with app.app_context():
        provider = db.session.scalar(select(User).where(User.email == "provider@example.org"))
        for organization in provider.organizations:
            for service in db.session.scalars(
                select(Service).where(Service.organization_id == organization.id)
            ):
                for capacity in service.capacities:
                    return service.id, capacity.id, capacity.unit.identifier, capacity.version
    sys.exit("the demo provider has no capacity figure")


def history_rows(app, capacity_id: str) -> int:  # noqa: ANN001
    from sqlalchemy import func, select

    from app.directory.models import CapacityHistory
    from app.extensions import db

    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(CapacityHistory)
            .where(CapacityHistory.capacity_id == capacity_id)
        )


def one_round(servers, service_id, unit, version, headers, n):  # noqa: ANN001,ANN201
    """Both servers save at the same instant with the same version; returns the statuses and
    the version now current (a 200 and a 409 both answer with the figure as it is)."""
    barrier = threading.Barrier(len(servers))
    answers: list[tuple[int, dict]] = []

    def save(server: Gunicorn, available: int) -> None:
        barrier.wait()
        status, _, body = request(
            server.port,
            "PUT",
            f"/api/services/{service_id}/capacity",
            {"unit": unit, "available": available, "maximum": 40, "version": version},
            headers=headers,
        )
        answers.append((status, json.loads(body)))

    threads = [
        threading.Thread(target=save, args=(server, 10 * i + n % 10))
        for i, server in enumerate(servers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = [status for status, _ in answers]
    winner = next((body for status, body in answers if status == 200), None)
    if winner is not None:
        return statuses, winner["version"]
    current = answers[0][1].get("current", {}).get("version", version)
    return statuses, current


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--workdir", default="/tmp/partners-faults")  # noqa: S108
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()

    workdir = Path(args.workdir) / "two_servers"
    env = prepared_postgres(args.database_url, workdir)
    token = api_token(env, "provider@example.org")
    app = app_for(env)
    service_id, capacity_id, unit, version = provider_figure(app)
    history_before = history_rows(app, capacity_id)
    headers = {"Authorization": f"Bearer {token}"}
    outcomes: Counter[str] = Counter()
    wins = 0

    with (
        Gunicorn(env, 2, workdir / "server-a.log") as a,
        Gunicorn(env, 2, workdir / "server-b.log") as b,
    ):
        for n in range(args.rounds):
            statuses, version = one_round((a, b), service_id, unit, version, headers, n)
            outcomes[str(tuple(sorted(statuses)))] += 1
            wins += statuses.count(200)

    history_after = history_rows(app, capacity_id)
    print(f"\n{args.rounds} rounds of two simultaneous saves through two servers")
    print(f"outcomes (status pairs): {dict(outcomes)}")
    both = outcomes.get("(200, 200)", 0)
    neither = sum(c for p, c in outcomes.items() if "200" not in p)
    added = history_after - history_before
    print(f"rounds where both won: {both}; where neither won: {neither}")
    print(f"history rows added: {added} (saves that won: {wins})")
    problems = both + neither + abs(added - wins)
    print("RESULT:", "one winner every round" if problems == 0 else f"{problems} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
