"""gunicorn as in production: gunicorn.conf.py, 2 workers, a migrated SQLite file, JSON logs.

The access log must carry a request id on every line and never a query string (search words),
nor a discharge card's code.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from app.search.index import rebuild_index
from tests import factories
from tests.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]
SEARCH_WORDS = "zanzibarhousing"  # a word that appears nowhere else in the output
CARD_CODE = "31415-92653"


def _get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback only
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _wait_up(base: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}")
        try:
            if _get(base + "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("gunicorn did not answer /healthz in time")


@pytest.fixture
def production_like(make_app, tmp_path):  # noqa: ANN001,ANN201
    """A migrated SQLite file with one service and a built search index, and its settings."""
    database = f"sqlite:///{tmp_path / 'partners.db'}"
    index_dir = str(tmp_path / "search_index")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PARTNERS_", "TEST_"))},
        "PYTHONPATH": str(ROOT),
        "FLASK_APP": "wsgi.py",
        "DATABASE_URL": database,
        "SEARCH_INDEX_DIR": index_dir,
        "SEARCH_BACKEND": "whoosh",
        "LOG_FORMAT": "json",
        "SECRET_KEY": "gunicorn-test-key",
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    seeded = make_app(
        SQLALCHEMY_DATABASE_URI=database,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        SEARCH_BACKEND="whoosh",
        SEARCH_INDEX_DIR=index_dir,
    )
    with seeded.app_context():
        organization = factories.make_organization(name="Harbor House")
        service = factories.make_service(organization, name="Transitional Housing")
        service_id = service.id
        rebuild_index(index_dir)
    return env, service_id


def test_gunicorn_serves_and_logs_json_without_query_strings(production_like, tmp_path):  # noqa: ANN001
    env, service_id = production_like
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**env, "WEB_CONCURRENCY": "2", "BIND": f"127.0.0.1:{port}"}
    out, err = tmp_path / "access.log", tmp_path / "error.log"
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(  # noqa: S603 - our own server, fixed arguments
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=stdout,
            stderr=stderr,
        )
        try:
            _wait_up(base, process)
            answers = {
                "readyz": _get(base + "/readyz"),
                "search": _get(f"{base}/search?q={SEARCH_WORDS}&near=Hartford"),
                "service": _get(f"{base}/services/{service_id}?from={SEARCH_WORDS}"),
                "card": _get(f"{base}/card/{CARD_CODE}"),
                "traced": _get(base + "/healthz", {"X-Request-ID": "lb-check.7"}),
            }
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)

    status = {name: answer[0] for name, answer in answers.items()}
    assert status == {"readyz": 200, "search": 200, "service": 200, "card": 404, "traced": 200}
    assert json.loads(answers["readyz"][2])["status"] == "ready"
    assert answers["traced"][1]["X-Request-ID"] == "lb-check.7"

    errors = err.read_text()
    assert errors.count("Booting worker") == 2, errors
    lines = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert len(access) >= 6  # the health polls, and one line a request above
    for line in access:
        assert {"time", "level", "message", "request_id", "path", "status"} <= line.keys()
        assert line["request_id"], line
        assert "?" not in line["path"] and "?" not in line["message"], line
    paths = {line["path"] for line in access}
    assert {"/readyz", "/search", f"/services/{service_id}", "/card/<code>"} <= paths
    assert "lb-check.7" in {line["request_id"] for line in access}
    everything = out.read_text() + errors
    assert SEARCH_WORDS not in everything  # neither the query string nor its words
    assert CARD_CODE not in everything
    for line in errors.splitlines():  # gunicorn's own lines are JSON too
        assert json.loads(line)["level"]
