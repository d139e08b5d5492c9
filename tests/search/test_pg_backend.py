"""The PostgreSQL backend's own promises: search rows change in the catalog change's own
transaction (a rollback leaves none behind), every server sees a change at once, accents and
Spanish word forms match, and `flask search rebuild` rebuilds every row."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from sqlalchemy import text

from app import content_version
from app.accounts.models import Role
from app.extensions import db
from app.search import SearchRequest, search
from tests import factories
from tests.search.conftest import names, service
from tests.smtp import free_port

pytestmark = pytest.mark.postgres  # runs on the postgres backend only (see conftest)

ROOT = Path(__file__).resolve().parents[2]


def _names(**kw) -> list[str]:  # noqa: ANN003
    return names(search(SearchRequest(**kw)))


def _rows() -> int:
    return db.session.execute(text("SELECT count(*) FROM search_document")).scalar_one()


def test_rows_are_written_by_the_commit_and_undone_by_a_rollback(taxonomy) -> None:  # noqa: ANN001
    pantry = service("Food Pantry")
    assert _rows() == 1 and _names(text="pantry") == ["Food Pantry"]
    pantry.description = "Free groceries every week."
    db.session.flush()
    db.session.rollback()
    assert _names(text="groceries") == []
    pantry = service("Clothing Closet")
    db.session.delete(pantry)
    db.session.commit()
    assert _rows() == 1 and _names(text="closet") == []


def test_accents_and_spanish_word_forms_match(taxonomy) -> None:  # noqa: ANN001
    service("Clínica Comunitaria", description="Atención médica y viviendas para familias.")
    service("Food Pantry", description="Groceries.")
    assert _names(text="clinica") == ["Clínica Comunitaria"]
    assert _names(text="medica") == ["Clínica Comunitaria"]
    assert _names(text="vivienda") == ["Clínica Comunitaria"]  # Spanish stem of "viviendas"


def test_flask_search_rebuild_rebuilds_every_row(app, taxonomy) -> None:  # noqa: ANN001
    service("Food Pantry")
    service("Clothing Closet")
    db.session.execute(text("DELETE FROM search_document"))  # rows lost, e.g. a bad restore
    db.session.commit()
    assert _names() == []
    (before,) = content_version.read(["search"])
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    # what servers remember of the old rows (caches, lookups) is stale from the swap on
    assert content_version.read(["search"]) != (before,)
    assert "Indexed 2 services in PostgreSQL" in result.output
    assert sorted(_names()) == ["Clothing Closet", "Food Pantry"]
    assert _names(text="closet") == ["Clothing Closet"]
    status = app.test_cli_runner().invoke(args=["search", "status"])
    assert "backend: postgres" in status.output and "search rows: 2" in status.output


# --- two servers on one database ----------------------------------------------------------------

SERVER = """
import sys
from werkzeug.serving import make_server
from app import create_app
from config import TestingConfig
server = make_server("127.0.0.1", int(sys.argv[1]), create_app(TestingConfig), threaded=True)
print("ready", flush=True)
server.serve_forever()
"""


@contextmanager
def _server(database: dict, tmp_path: Path) -> Iterator[str]:
    """A separate app process on the suite's database (its own schema), serving on a port."""
    port = free_port()
    url = database["url"]
    if database["schema"]:
        url += f"?options=-csearch_path%3D{database['schema']}"
    env = {
        **os.environ,
        "PARTNERS_ENV": "testing",
        "DATABASE_URL": url,
        "SEARCH_BACKEND": "postgres",
        "SEARCH_INDEX_DIR": str(tmp_path / f"unused-{port}"),
    }
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SERVER, str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready", "the app process did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def test_an_update_through_one_server_is_found_through_the_other_at_once(
    app,  # noqa: ANN001
    database,  # noqa: ANN001
    taxonomy,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    admin = factories.make_user(Role.ADMIN)
    elm = service("Elm House", description="Recovery housing.")
    org_id = elm.organization.id
    db.session.commit()
    with _server(database, tmp_path) as one, _server(database, tmp_path) as other:
        assert "Elm House" not in requests.get(f"{other}/search?q=riverside", timeout=30).text
        assert "Elm House" in requests.get(f"{other}/search?q=recovery", timeout=30).text
        editor = requests.Session()
        signed_in = editor.post(
            f"{one}/account/login",
            data={"email": admin.email, "password": factories.PASSWORD},
            allow_redirects=False,
            timeout=30,
        )
        assert signed_in.status_code == 302
        started = time.monotonic()
        saved = editor.post(
            f"{one}/directory/organizations/{org_id}/edit",
            data={"name": "Riverside Recovery Network", "phone": ""},
            allow_redirects=False,
            timeout=30,
        )
        assert saved.status_code == 302, saved.text[:500]
        found = requests.get(f"{other}/search?q=riverside", timeout=30).text
        assert "Elm House" in found  # no queue, no lag: the very next request finds it
        assert time.monotonic() - started < 10
        editor.close()


def test_facet_counts_follow_a_change_at_once(taxonomy) -> None:  # noqa: ANN001
    """Facets are counted per combination of values (search_facet): a service that moves to a
    new town and speaks a new language is counted under them from its commit on."""
    from app.directory.models import Language

    service("Pantry One", needs=("food",))
    moving = service("Pantry Two", needs=("food",))
    found = search(SearchRequest(text="pantry"))
    assert found.facets["town"] == {"Hartford": 2} and found.facets["need_area"] == {"food": 2}
    moving.service_at_locations[0].location.addresses[0].city = "Bristol"
    moving.languages.append(Language(name="Spanish", code="es"))
    db.session.commit()
    found = search(SearchRequest(text="pantry"))
    assert found.facets["town"] == {"Hartford": 1, "Bristol": 1}
    assert found.facets["language"] == {"es": 1}
    assert found.facets["need_area"] == {"food": 2}
    assert search(SearchRequest(text="pantry", language="es")).facets["town"] == {"Bristol": 1}
