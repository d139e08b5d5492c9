"""Test fixtures: one app per session on a real database, every test starting from empty tables.

SQLite by default (a file, so several connections can race); PostgreSQL when TEST_DATABASE_URL is
set, in a fresh schema made for this run and dropped after it. Tests marked `postgres` need the
latter and skip cleanly without it; in CI (CI=true) an unreachable server fails the run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from app import create_app
from app.audit.models import SQLITE_TRIGGERS as AUDIT_TRIGGERS
from app.extensions import db as _db
from app.extensions import limiter
from app.plans.models import VERSION_SQLITE_TRIGGERS
from config import TestingConfig, normalise_database_url
from tests import factories
from tests.smtp import Collector, SmtpServer, free_port, mail_to_port

# Append-only tables refuse DELETE (SQLite triggers): the cleanup lifts them, then restores them.
SQLITE_TRIGGERS = AUDIT_TRIGGERS | VERSION_SQLITE_TRIGGERS
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--frozen-clock",
        default=os.environ.get("PARTNERS_FROZEN_CLOCK") or None,
        metavar="INSTANT",
        help="start the whole run's clock at this ISO instant, e.g. 2026-03-08T06:30:00Z "
        "(or set PARTNERS_FROZEN_CLOCK); it then runs on from there",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Travel before collection, so module-level dates (TODAY = ...) see the chosen instant too.
    The clock ticks on from it: timeouts and rate limits still see time pass."""
    instant = config.getoption("--frozen-clock")
    if not instant:
        return
    moment = datetime.fromisoformat(instant.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise pytest.UsageError(f"--frozen-clock needs a time zone (Z or +hh:mm): {instant}")
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


def pytest_report_header(config: pytest.Config) -> str | None:
    instant = config.getoption("--frozen-clock")
    return f"frozen clock: run starts at {instant}" if instant else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if TEST_DATABASE_URL:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set TEST_DATABASE_URL to run it")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def _postgres_schema_url(url: str) -> tuple[str, str, dict]:
    schema = f"test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001 - any connection failure must stop the run
        pytest.exit(
            f"TEST_DATABASE_URL is set but PostgreSQL is not reachable: {exc}", returncode=1
        )
    finally:
        admin.dispose()
    return url, schema, {"options": f"-csearch_path={schema}"}


@pytest.fixture(scope="session")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    if TEST_DATABASE_URL:
        url, schema, connect_args = _postgres_schema_url(normalise_database_url(TEST_DATABASE_URL))
        yield {"url": url, "schema": schema, "engine_options": {"connect_args": connect_args}}
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
    else:
        path = tmp_path_factory.mktemp("db") / "partners-test.db"
        yield {"url": f"sqlite:///{path}", "schema": None, "engine_options": {}}


class IsolatedClient(FlaskClient):
    """Runs each request in its own app context, so it gets its own database session, exactly as
    in production, instead of sharing the test's session and identity map."""

    def open(self, *args, **kwargs):  # noqa: ANN002,ANN003,ANN201
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database: dict):  # noqa: ANN201
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database["url"]
        SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, **database["engine_options"]}

    app = create_app(Config)
    app.test_client_class = IsolatedClient
    with app.app_context():
        _db.create_all()
        if _db.engine.dialect.name == "postgresql":  # what the migration adds on PostgreSQL
            from app.search import pg_schema

            with _db.engine.begin() as conn:
                pg_schema.create(conn)
    yield app
    with app.app_context():
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture(autouse=True)
def _context(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test runs in a fresh app context and starts with empty tables and rate limits."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    # The search index is derived from the database, so each test gets its own, empty one.
    index_dir = request.getfixturevalue("tmp_path") / "search_index"
    previous_index_dir = app.config["SEARCH_INDEX_DIR"]
    app.config["SEARCH_INDEX_DIR"] = str(index_dir)
    ctx = app.app_context()
    ctx.push()
    try:
        yield
    finally:
        # Background jobs a test started in threads (an upload's import, the search rebuild
        # after it) finish before the tables are emptied: never a job on the next test's data.
        while alive := [t for t in app.extensions.get("partners_job_threads", []) if t.is_alive()]:
            for thread in alive:
                thread.join(timeout=300)
        try:
            app.config["SEARCH_INDEX_DIR"] = previous_index_dir
            _db.session.remove()
            with _db.engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    tables = [t.name for t in _db.metadata.sorted_tables]
                    if conn.execute(text("SELECT to_regclass('search_document')")).scalar():
                        from app.search.pg_schema import TABLES as SEARCH_TABLES

                        tables += list(SEARCH_TABLES)
                    names = ", ".join(f'"{name}"' for name in tables)
                    conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
                else:
                    # Append-only tables refuse DELETE (triggers): lift them for the cleanup only.
                    for name in SQLITE_TRIGGERS:
                        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
                    for table in reversed(_db.metadata.sorted_tables):
                        conn.execute(table.delete())
                    for statement in SQLITE_TRIGGERS.values():
                        conn.exec_driver_sql(statement)
            limiter.reset()
        finally:
            # Popped even when the cleanup fails: a context left behind would serve the next
            # tests' database calls from a session nobody ends (and block the next TRUNCATE).
            ctx.pop()


@pytest.fixture
def db(app):  # noqa: ANN001,ANN201
    return _db


@pytest.fixture
def client(app):  # noqa: ANN001,ANN201
    return app.test_client()


@pytest.fixture
def login(client):  # noqa: ANN001,ANN201
    """login(user) signs the test client in through the real login form."""

    def _login(user, password: str = factories.PASSWORD):  # noqa: ANN001,ANN202
        response = client.post("/account/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return _login


@pytest.fixture
def whoosh_search(app) -> Iterator[None]:  # noqa: ANN001
    """SEARCH_BACKEND=whoosh for this test, whatever the database's default: for tests of the
    Whoosh machinery itself (its index folder, its queue, its rebuild job)."""
    old = app.config.get("SEARCH_BACKEND")
    app.config["SEARCH_BACKEND"] = "whoosh"
    try:
        yield
    finally:
        app.config["SEARCH_BACKEND"] = old


@pytest.fixture
def is_postgres(app) -> bool:  # noqa: ANN001
    return _db.engine.dialect.name == "postgresql"


@pytest.fixture
def smtp_down(app) -> Iterator[SmtpServer]:  # noqa: ANN001
    """Mail points at a port with nothing listening (yet); call .start() to bring it up."""
    server = SmtpServer(free_port())
    with mail_to_port(app, server.port):
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def smtp(smtp_down: SmtpServer) -> Collector:
    """A running SMTP server that the app sends to; returns the collected messages."""
    smtp_down.start()
    return smtp_down.collector
