"""/healthz (the process answers) and /readyz (what it needs answers too), for load balancers.

Both are public, exempt from rate limits (a balancer polls often, from one address), set no
cookie, and say nothing but check names and ok/failed: no error text, address or data.

/readyz checks, each with a short timeout:
- database: SELECT 1 on a fresh pooled connection;
- redis / rate_limits: a PING to REDIS_URL and to RATELIMIT_STORAGE_URI, when they name Redis;
- search: PostgreSQL backend: the search table is readable; Whoosh: the index folder opens.
  A missing or unreadable Whoosh index starts the usual background rebuild (app.search.rebuild)
  and reads "rebuilding" until it is done: searches meanwhile use the slower database fallback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import text

from app.extensions import db, limiter
from app.permissions import PUBLIC, requires

log = logging.getLogger(__name__)

bp = Blueprint("ops", __name__)

OK = "ok"
FAILED = "failed"
REDIS_TIMEOUT = 2.0  # seconds, to connect and to answer
REDIS_SCHEMES = {"redis", "rediss", "unix"}
ENVIRON_NO_SESSION = "partners.no_session"


def check_database() -> str:
    with db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return OK


def check_redis(url: str) -> str:
    import redis

    client = redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
    )
    try:
        client.ping()
    finally:
        client.close()
    return OK


def check_search(app: Flask) -> str:
    from app.search.sync import EXTENSION, backend_name

    if backend_name(app) == "postgres":
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1 FROM search_document LIMIT 1"))
        return OK
    from app.search import index, rebuild

    path = index.index_dir_from_config(app.config["SEARCH_INDEX_DIR"])
    if index.usable_now(path):
        return OK
    if app.extensions.get(EXTENSION, {}).get("mode") == "inline":
        return "missing"  # tests and CLI-style use build inline, on the first search
    return rebuild.start(app, Path(path)).state  # "rebuilding" or "unusable"


def redis_urls(app: Flask) -> dict[str, str]:
    """Check name -> Redis URL, for the settings that name Redis."""
    named = {
        "redis": app.config.get("REDIS_URL") or "",
        "rate_limits": app.config.get("RATELIMIT_STORAGE_URI") or "",
    }
    return {
        name: url for name, url in named.items() if url and urlsplit(url).scheme in REDIS_SCHEMES
    }


def readiness(app: Flask) -> dict[str, str]:
    """Check name -> "ok" or why not; every check runs, whatever the others answer."""
    checks: dict[str, Callable[[], str]] = {"database": check_database}
    for name, url in redis_urls(app).items():
        checks[name] = lambda url=url: check_redis(url)
    checks["search"] = lambda: check_search(app)
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready", never a 500
            log.warning("readiness check %s failed: %s", name, type(exc).__name__)
            results[name] = FAILED
    return results


class ProbeSessionInterface(SecureCookieSessionInterface):
    """Flask's cookie session, never saved for a probe: a balancer polling every few seconds
    must not be handed (or refreshed) a session cookie."""

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        if request.environ.get(ENVIRON_NO_SESSION):
            return
        super().save_session(app, session, response)


def install_probe_sessions(app: Flask) -> None:
    if type(app.session_interface) is SecureCookieSessionInterface:
        app.session_interface = ProbeSessionInterface()


@bp.before_request
def _no_session() -> None:
    request.environ[ENVIRON_NO_SESSION] = True


def _plain(body: dict, status: int) -> Response:
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
@limiter.exempt
@requires(PUBLIC)
def healthz():  # noqa: ANN201
    return _plain({"status": "ok"}, 200)


@bp.get("/readyz")
@limiter.exempt
@requires(PUBLIC)
def readyz():  # noqa: ANN201
    checks = readiness(current_app._get_current_object())  # noqa: SLF001
    ready = all(value == OK for value in checks.values())
    return _plain(
        {"status": "ready" if ready else "not ready", "checks": checks}, 200 if ready else 503
    )
