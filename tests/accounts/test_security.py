"""Rate limits (memory and Redis), session cookies and production start-up checks."""

from __future__ import annotations

import random

import pytest

import config
from app import create_app
from app.accounts.models import Role
from app.extensions import db as _db
from app.extensions import limiter
from tests import factories

REDIS_URL = "redis://127.0.0.1:6379"


def _hammer_login(client, email: str, times: int) -> list[int]:  # noqa: ANN001
    return [
        client.post(
            "/account/login", data={"email": email, "password": "wrong password!"}
        ).status_code
        for _ in range(times)
    ]


def test_eleventh_login_within_a_minute_is_refused_kindly(client):
    user = factories.make_user(Role.COUNSELOR)
    assert _hammer_login(client, user.email, 10) == [422] * 10
    response = client.post(
        "/account/login", data={"email": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many tries" in page
    assert "Traceback" not in page


def test_forgot_password_is_rate_limited_like_login(client):
    codes = [
        client.post("/account/forgot", data={"email": "someone@example.org"}).status_code
        for _ in range(11)
    ]
    assert codes == [302] * 10 + [429]


@pytest.fixture
def redis_app(app):  # noqa: ANN001, ANN201
    """A second app whose rate limits live in Redis; the shared limiter is put back after."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {exc}")

    class RedisConfig(config.TestingConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        SQLALCHEMY_ENGINE_OPTIONS = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        RATELIMIT_STORAGE_URI = REDIS_URL

    second = create_app(RedisConfig)
    try:
        yield second
    finally:
        with second.app_context():
            _db.engine.dispose()
        limiter.init_app(app)  # the limiter is shared: back to the session app's memory storage


def test_login_rate_limit_works_with_redis_storage(redis_app, app):  # noqa: ANN001
    import redis

    assert type(limiter.storage).__name__ == "RedisStorage"
    user = factories.make_user(Role.COUNSELOR)
    client = redis_app.test_client()
    # A made-up address for this run, so other runs sharing this Redis cannot interfere.
    address = "10.{}.{}.{}".format(*(random.randint(1, 254) for _ in range(3)))
    client.environ_base["REMOTE_ADDR"] = address
    server = redis.Redis.from_url(REDIS_URL)
    try:
        assert _hammer_login(client, user.email, 10) == [422] * 10
        assert _hammer_login(client, user.email, 1) == [429]
        assert server.keys(f"*{address}*"), "the counters should be stored in Redis"
    finally:
        for key in server.keys(f"*{address}*"):
            server.delete(key)


def test_session_cookie_is_httponly_and_samesite_lax(client):
    user = factories.make_user(Role.COUNSELOR)
    response = client.post(
        "/account/login", data={"email": user.email, "password": factories.PASSWORD}
    )
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_secrets(monkeypatch, missing):
    monkeypatch.setenv("PARTNERS_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-key")
    monkeypatch.setenv("DATABASE_URL", "postgresql://partners@db/partners")
    monkeypatch.delenv(missing)
    with pytest.raises(RuntimeError, match=missing):
        config.config_for_environment()


def test_production_config_with_secrets_uses_secure_cookies(monkeypatch):
    monkeypatch.setenv("PARTNERS_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-key")
    monkeypatch.setenv("DATABASE_URL", "postgresql://partners@db/partners")
    chosen = config.config_for_environment()
    assert chosen is config.ProductionConfig
    assert chosen.SESSION_COOKIE_SECURE is True
    assert chosen.SESSION_COOKIE_HTTPONLY is True
    assert chosen.SESSION_COOKIE_SAMESITE == "Lax"
