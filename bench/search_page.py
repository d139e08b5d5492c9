"""In-process figures for the search pages: per-request CPU, SQL statements and the page builder.

    .venv/bin/python bench/search_page.py --database-url postgresql://postgres@127.0.0.1:5432/db \
        [--backend postgres] [--code ../partners-old] [--repeat 10] [--json]
    .venv/bin/python bench/search_page.py --database-url sqlite:////tmp/bench.db \
        --index-dir /tmp/index --backend whoosh

Runs the staff search page (signed in as a counselor, with and without a person on the registry
with supervision conditions) and the public search page through the Flask test client on an
existing database (bench/search.py builds one with N synthetic services), the public search
cache off so every request searches. For each page: the p50 of wall time, of this process's CPU,
of the database's CPU (PostgreSQL on this machine: its backends, read from /proc) and the number
of SQL statements per request; and for the page builder alone (app.search.results.build_page,
after the backend has chosen the page) its CPU, its database backend's CPU and statements.
`--code DIR` imports the app
from another checkout (the code before a change), so both can be measured on the same data,
one after the other. Adds one counselor, one person and their conditions to the database once.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

PUBLIC = (
    "/search?q=housing&near=Hartford",
    "/search?q=food+pantry&near=New+Haven&who=men",
    "/search?q=job+training",
    "/search?need=housing&near=Waterbury&who=veterans",
)
STAFF = (
    "/staff/search?q=housing&near=Hartford",
    "/staff/search?q=food+pantry&near=06510&has_capacity=1",
    "/staff/search?q=legal+aid&per_page=50",
)
PERSON = (
    "/staff/search?client={client}&q=housing&near=Hartford",
    "/staff/search?client={client}&q=shelter&near=Bridgeport&has_capacity=1",
)
EMAIL, PASSWORD = "bench-page-counselor@example.org", "bench-page-password-2026"


def make_app(args: argparse.Namespace):  # noqa: ANN201
    from app import create_app
    from config import Config

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = args.database_url
        SEARCH_BACKEND = args.backend
        SEARCH_INDEX_DIR = args.index_dir or "/tmp/partners-bench/index"  # noqa: S108
        SEARCH_SYNC = "off"
        SEARCH_CACHE_SIZE = 0  # every public request searches (distinct searches)
        RATELIMIT_STORAGE_URI = "memory://"
        WTF_CSRF_ENABLED = False

    return create_app(BenchConfig)


def person(app) -> str:  # noqa: ANN001
    """The bench counselor (made once) and their person on the registry, with conditions."""
    from datetime import date
    from datetime import time as clock

    from sqlalchemy import select

    from app.accounts.models import Facility, Role, User
    from app.conditions.services import ConditionsData, set_conditions
    from app.extensions import db
    from app.referrals.data import ClientData
    from app.referrals.models import Client
    from app.referrals.services import create_client

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == EMAIL))
        if user is None:
            facility = Facility(name="Bench Correctional Center", town="Hartford")
            user = User(email=EMAIL, name="Bench Counselor", role=Role.COUNSELOR, facility=facility)
            user.set_password(PASSWORD)
            db.session.add_all([facility, user])
            db.session.commit()
        client = db.session.scalar(select(Client).where(Client.created_by_id == user.id))
        if client is None:
            data = ClientData(
                first_name="Bench",
                last_name="Person",
                date_of_birth=date(1985, 3, 14),
                eligibility={"on_registry": True, "veteran": False},
            )
            client = create_client(data, user, allow_duplicate=True)
            db.session.flush()
            conditions = ConditionsData(
                curfew_start=clock(20, 0), curfew_end=clock(6, 0), allowed_area=["Hartford County"]
            )
            set_conditions(client, conditions, user)
            db.session.commit()
        return client.id


def database_cpu(db):  # noqa: ANN001,ANN201
    """ms of CPU used by every backend of this database (None when not on this machine)."""
    from sqlalchemy import text

    if db.engine.dialect.name != "postgresql":
        return lambda: None
    with db.engine.connect() as conn:
        name = conn.execute(text("SELECT current_database()")).scalar()

    def read() -> float | None:
        total = 0.0
        for stat in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                line = stat.read_bytes()
                if b"postgres: " not in line or f" {name} ".encode() not in line:
                    continue
                total += int((stat.parent / "schedstat").read_text().split()[0]) / 1e6
            except (OSError, ValueError, IndexError):
                continue
        return total

    return read


def connection_cpu(db):  # noqa: ANN001,ANN201
    """ms of CPU used so far by the PostgreSQL backend of the session's connection (None
    elsewhere)."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return lambda: None
    stat = Path(f"/proc/{connection.connection.driver_connection.info.backend_pid}/schedstat")

    def read() -> float | None:
        try:
            return int(stat.read_text().split()[0]) / 1e6
        except (OSError, ValueError, IndexError):
            return None

    return read


def measure(args: argparse.Namespace) -> dict:
    from sqlalchemy import event

    import app.search.query as query
    from app.extensions import db

    app = make_app(args)
    client_id = person(app)
    statements: list[int] = [0]
    seen: list[str] = []
    builder: list[tuple[float, int, float | None]] = []
    original = query.build_page

    def timed_build(page, ctx):  # noqa: ANN001,ANN202
        backend = connection_cpu(db)
        server, started, before = backend(), time.process_time(), statements[0]
        out = original(page, ctx)
        used = (time.process_time() - started) * 1000
        ended = backend()
        server_ms = ended - server if server is not None and ended is not None else None
        builder.append((used, statements[0] - before, server_ms))
        return out

    query.build_page = timed_build
    with app.app_context():
        engine = db.engine
        server_cpu = database_cpu(db)

    def count(_conn, _cursor, statement, *_rest) -> None:  # noqa: ANN001
        statements[0] += 1
        seen.append(" ".join(statement.split())[:100])

    event.listen(engine, "before_cursor_execute", count)
    web = app.test_client()
    response = web.post("/account/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    pages = {
        "public": PUBLIC,
        "staff": STAFF,
        "staff, for a person": tuple(p.format(client=client_id) for p in PERSON),
    }
    figures: dict = {}
    for name, paths in pages.items():
        for path in paths:  # warm up: geocoder tables, plans, templates
            for _ in range(2):
                assert web.get(path).status_code == 200, path
        wall, cpu, server, count_of, build_cpu, build_count = [], [], [], [], [], []
        builder.clear()
        for _ in range(args.repeat):
            for path in paths:
                before, s0, c0, t0 = statements[0], server_cpu(), time.process_time(), time.time()
                assert web.get(path).status_code == 200, path
                wall.append((time.time() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                s1 = server_cpu()
                if s0 is not None and s1 is not None:
                    server.append(s1 - s0)
                count_of.append(statements[0] - before)
                del seen[: -count_of[-1] or len(seen)]
        if args.show:
            print(f"-- {name}: {paths[-1]}", *seen, sep="\n  ")
        build_cpu = [ms for ms, _, _ in builder]
        build_count = [n for _, n, _ in builder]
        build_db = [ms for _, _, ms in builder if ms is not None]
        figures[name] = {
            "wall_ms": round(statistics.median(wall), 1),
            "cpu_ms": round(statistics.median(cpu), 1),
            "db_cpu_ms": round(statistics.median(server), 1) if server else None,
            "statements": max(count_of),
            "build_cpu_ms": round(statistics.median(build_cpu), 2),
            "build_statements": max(build_count),
            "build_db_cpu_ms": round(statistics.median(build_db), 2) if build_db else None,
        }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--backend", choices=("whoosh", "postgres"), default="postgres")
    parser.add_argument("--index-dir", default=None, help="the Whoosh index (backend whoosh)")
    parser.add_argument("--code", default=None, help="import the app from this checkout")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--show", action="store_true", help="print each page's statements")
    args = parser.parse_args()
    root = Path(args.code).resolve() if args.code else Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    os.chdir(root)
    figures = measure(args)
    if args.json:
        print(json.dumps(figures))
        return
    print(f"{'page (median per request)':<24} {'wall':>7} {'cpu':>7} {'db cpu':>7} {'stmts':>6}"
          f" {'builder cpu':>12} {'builder db cpu':>15} {'builder stmts':>14}")  # fmt: skip
    for name, row in figures.items():
        print(
            f"{name:<24} {row['wall_ms']:>7} {row['cpu_ms']:>7} {row['db_cpu_ms']!s:>7} "
            f"{row['statements']:>6} {row['build_cpu_ms']:>12} {row['build_db_cpu_ms']!s:>15} "
            f"{row['build_statements']:>14}"
        )


if __name__ == "__main__":
    main()
