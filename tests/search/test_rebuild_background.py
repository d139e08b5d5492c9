"""A missing or unusable index never makes a request wait: one background rebuild, plain database
results (pages) or 503 + Retry-After (API) meanwhile, and /healthz untouched.

The web app's mode ("background") is switched on per test; the suite otherwise runs "inline".
A thread holding the writer lock stands in for a rebuild that takes minutes (50,000 services).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.search import queue as wqueue
from app.search import rebuild
from app.search.index import rebuild_index, usable_now
from app.search.sync import EXTENSION
from tests.search.conftest import service

NOTICE = "Search is being rebuilt; results are in plain order"


pytestmark = pytest.mark.whoosh_only  # the Whoosh index itself


@pytest.fixture
def background(app, monkeypatch, index_dir: Path):  # noqa: ANN001,ANN201
    """Switch to the web app's mode; afterwards wait for this test's rebuild thread."""

    def switch() -> None:
        monkeypatch.setitem(app.extensions[EXTENSION], "mode", "background")

    yield switch
    thread = rebuild.running(index_dir)
    if thread is not None:
        thread.join(timeout=60)


@contextlib.contextmanager
def rebuild_elsewhere(path: Path) -> Iterator[None]:
    """Another process is rebuilding: it holds the writer lock until the block ends."""
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with wqueue.writer_lock(path):
            holding.set()
            release.wait(60)

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(10)
    try:
        yield
    finally:
        release.set()
        thread.join(timeout=10)


def timed(call):  # noqa: ANN001,ANN201
    """(response, seconds); fails instead of hanging when the call waits for the index."""
    out: dict = {}

    def run() -> None:
        started = time.monotonic()
        out["response"] = call()
        out["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=20)
    assert "response" in out, "the request waited for the index"
    return out["response"], out["seconds"]


def _catalog() -> None:
    service("Harbor Recovery House", description="Beds for men in early recovery.")
    service("Capitol Food Pantry", description="Groceries every Tuesday.")


def test_missing_index_answers_from_the_database_at_once_and_rebuilds_once(
    client, index_dir: Path, taxonomy, background
) -> None:  # noqa: ANN001
    _catalog()
    background()
    with rebuild_elsewhere(index_dir):
        response, seconds = timed(lambda: client.get("/search?q=recovery"))
        assert response.status_code == 200 and seconds < 5
        html = response.get_data(as_text=True)
        assert NOTICE in html
        assert "Harbor Recovery House" in html and "Capitol Food Pantry" not in html
        first = rebuild.running(index_dir)
        assert first is not None  # one rebuild, waiting for the other process's lock
        for _ in range(3):
            again, seconds = timed(lambda: client.get("/search?q=food"))
            assert again.status_code == 200 and seconds < 5
            assert "Capitol Food Pantry" in again.get_data(as_text=True)
        assert rebuild.running(index_dir) is first  # still the same single rebuild
        health, seconds = timed(lambda: client.get("/healthz"))
        assert health.status_code == 200 and seconds < 1
        assert not usable_now(index_dir)
    first.join(timeout=60)
    assert usable_now(index_dir)  # the background rebuild finished ...
    html = client.get("/search?q=recovery").get_data(as_text=True)
    assert "Harbor Recovery House" in html and NOTICE not in html  # ... and is used


def test_the_api_answers_503_with_retry_after_while_rebuilding(
    client, index_dir: Path, taxonomy, background
) -> None:  # noqa: ANN001
    _catalog()
    background()
    with rebuild_elsewhere(index_dir):
        response, seconds = timed(lambda: client.get("/api/search?q=recovery"))
        assert seconds < 5
        assert response.status_code == 503
        assert response.headers["Retry-After"] == str(rebuild.RETRY_AFTER)
        assert response.mimetype == "application/problem+json"
        assert "being rebuilt" in response.get_json()["detail"]
        thread = rebuild.running(index_dir)
    thread.join(timeout=60)
    found = client.get("/api/search?q=recovery").get_json()
    assert [r["name"] for r in found["results"]] == ["Harbor Recovery House"]


def test_a_plain_file_at_the_index_path_is_said_once_and_leaves_no_folders(
    client, index_dir: Path, taxonomy, background, caplog
) -> None:  # noqa: ANN001
    _catalog()
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    index_dir.write_text("not an index")
    background()
    caplog.set_level(logging.INFO, logger="app.search")
    for _ in range(4):
        response, seconds = timed(lambda: client.get("/search?q=recovery"))
        assert response.status_code == 200 and seconds < 5
        assert NOTICE in response.get_data(as_text=True)
    api = client.get("/api/search?q=recovery")
    assert api.status_code == 503 and "cannot be used" in api.get_json()["detail"]
    said = [r for r in caplog.records if "is a file, not a folder" in r.getMessage()]
    assert len(said) == 1 and said[0].levelno == logging.ERROR
    assert rebuild.running(index_dir) is None  # nothing to build into
    with pytest.raises(rebuild.IndexPathUnusable, match="is a file"):
        rebuild_index(index_dir)  # `flask search rebuild` says so too
    leftovers = [p.name for p in index_dir.parent.iterdir() if p.is_dir()]
    assert leftovers == []
    assert index_dir.read_text() == "not an index"  # left for the operator, not deleted


def test_fallback_searches_record_no_false_zero_results(
    client, login, index_dir: Path, taxonomy, background
) -> None:  # noqa: ANN001
    from sqlalchemy import func, select

    from app.accounts.models import Role
    from app.extensions import db
    from app.search.models import ZeroResultSearch
    from tests import factories

    _catalog()
    login(factories.make_user(Role.COUNSELOR, facility=factories.make_facility()))
    background()
    with rebuild_elsewhere(index_dir):
        response, _ = timed(lambda: client.get("/staff/search?q=nothingmatcheshere"))
        assert response.status_code == 200
        assert "Search is being rebuilt" in response.get_data(as_text=True)
        public, _ = timed(lambda: client.get("/search?q=nothingmatcheshere"))
        assert NOTICE in public.get_data(as_text=True)
        thread = rebuild.running(index_dir)
    thread.join(timeout=60)
    assert db.session.scalar(select(func.count()).select_from(ZeroResultSearch)) == 0
