"""/healthz and /readyz: plain JSON, no cookie, no rate limit; /readyz names the failed check."""

from __future__ import annotations

import os

import pytest

from app.accounts.models import Role
from app.search.index import rebuild_index
from tests import factories

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REDIS_REQUIRED = os.environ.get("REDIS_REQUIRED") == "1"
NOWHERE_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_healthz_answers_without_touching_the_database(make_app, tmp_path):  # noqa: ANN001
    broken = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/x.db")
    response = broken.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_ready_with_the_database_and_search_index(client):  # noqa: ANN001
    rebuild_index()
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"status": "ready", "checks": {"database": "ok", "search": "ok"}}


def test_readyz_says_which_check_failed_without_details(make_app, tmp_path):  # noqa: ANN001
    broken = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/x.db")
    response = broken.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "not ready"
    assert body["checks"]["database"] == "failed"
    assert "dir" not in response.get_data(as_text=True)  # no path, no error text


def test_readyz_fails_on_an_unreachable_postgresql(make_app):  # noqa: ANN001
    broken = make_app(
        SQLALCHEMY_DATABASE_URI="postgresql+psycopg://partners@127.0.0.1:1/partners",
        SEARCH_BACKEND="whoosh",
    )
    response = broken.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] == "failed"


@pytest.mark.usefixtures("whoosh_search")  # the Whoosh machinery itself
def test_readyz_without_a_search_index_is_not_ready(client):  # noqa: ANN001
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": "ok", "search": "missing"}


@pytest.mark.parametrize("setting", ["REDIS_URL", "RATELIMIT_STORAGE_URI"])
def test_readyz_fails_when_redis_is_unreachable(make_app, setting):  # noqa: ANN001
    name = "redis" if setting == "REDIS_URL" else "rate_limits"
    other = make_app(**{setting: NOWHERE_REDIS})
    with other.app_context():
        rebuild_index()
    response = other.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": "ok", name: "failed", "search": "ok"}


def test_readyz_checks_a_reachable_redis(make_app):  # noqa: ANN001
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as exc:
        if REDIS_REQUIRED:
            raise
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {exc}")
    other = make_app(REDIS_URL=REDIS_URL)
    with other.app_context():
        rebuild_index()
    response = other.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"]["redis"] == "ok"


@pytest.mark.postgres
def test_readyz_reads_the_postgresql_search_table(make_app, app):  # noqa: ANN001
    other = make_app(SEARCH_BACKEND="postgres")
    response = other.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": "ok", "search": "ok"}


def test_probes_set_no_cookie_even_for_a_remembered_browser(client, app):  # noqa: ANN001
    rebuild_index()
    user = factories.make_user(Role.COUNSELOR)
    response = client.post(
        "/account/login",
        data={"email": user.email, "password": factories.PASSWORD, "remember": "y"},
    )
    assert response.status_code == 302
    # The session cookie is gone (browser closed); the remember-me cookie is still there, so
    # any request that loads the user writes a fresh session cookie.
    client.delete_cookie(app.config["SESSION_COOKIE_NAME"])
    for path in ("/healthz", "/readyz"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers.getlist("Set-Cookie") == [], path
    assert client.get("/account/me").headers.getlist("Set-Cookie")  # an ordinary page does


def test_probes_set_no_cookie_even_when_a_hook_writes_the_session(make_app):  # noqa: ANN001
    from flask import session

    other = make_app()

    @other.before_request
    def _touch() -> None:  # a future "last seen" stamp, say
        session["seen"] = session.get("seen", 0) + 1

    client = other.test_client()
    assert client.get("/").headers.getlist("Set-Cookie")
    for path in ("/healthz", "/readyz"):
        assert client.get(path).headers.getlist("Set-Cookie") == [], path


def test_probes_are_exempt_from_rate_limits(make_app):  # noqa: ANN001
    other = make_app(RATELIMIT_APPLICATION="3 per minute")
    client = other.test_client()
    with other.app_context():
        rebuild_index()
    assert [client.get("/readyz").status_code for _ in range(8)] == [200] * 8
    assert [client.get("/healthz").status_code for _ in range(8)] == [200] * 8
    assert [client.get("/").status_code for _ in range(4)][-1] == 429  # the limit is on
