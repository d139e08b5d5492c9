"""Rate limits when Redis is down: each process falls back to its own memory, so sign-in stays
limited (never open to guessing) and pages keep answering (never closed to everyone).

Redis is "down" here by pointing at a port where nothing listens; bench/faults/redis_down.py
stops the real server under load.
"""

from __future__ import annotations

import pytest

import config
from app import create_app
from app.accounts.models import Role
from app.extensions import db as _db
from app.extensions import limiter
from tests import factories

DOWN = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down_app(app):  # noqa: ANN001, ANN201
    pytest.importorskip("redis")

    class RedisDownConfig(config.TestingConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        SQLALCHEMY_ENGINE_OPTIONS = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        SEARCH_INDEX_DIR = app.config["SEARCH_INDEX_DIR"]
        RATELIMIT_STORAGE_URI = DOWN

    second = create_app(RedisDownConfig)
    try:
        yield second
    finally:
        with second.app_context():
            _db.engine.dispose()
        limiter.init_app(app)  # the limiter is shared: back to the session app's memory storage
        limiter._storage_dead = False  # noqa: SLF001 - init_app keeps the "Redis is down" mark


def test_sign_in_is_still_limited_when_redis_is_down(redis_down_app) -> None:  # noqa: ANN001
    user = factories.make_user(Role.COUNSELOR)
    client = redis_down_app.test_client()
    codes = [
        client.post(
            "/account/login", data={"email": user.email, "password": "wrong password!"}
        ).status_code
        for _ in range(11)
    ]
    assert codes == [422] * 10 + [429]


def test_public_pages_answer_when_redis_is_down(redis_down_app) -> None:  # noqa: ANN001
    client = redis_down_app.test_client()
    # A search that finds nothing writes to the unmet-need log, which has its own limit.
    response = client.get("/search?q=zzqxnothingmatches")
    assert response.status_code == 200
    assert client.get("/card?code=ABCD-EFGH").status_code in (200, 404)
