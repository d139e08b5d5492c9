"""Search fixtures: an index directory per test, reference data, and small catalog builders.

Every search test that uses the app runs once per backend: Whoosh always, and the PostgreSQL
backend too when the suite runs on PostgreSQL (TEST_DATABASE_URL). Tests of the Whoosh index
itself are marked `whoosh_only`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time
from pathlib import Path

import pytest
from flask import current_app

from app.directory.models import Language, Schedule, TaxonomyTerm
from app.extensions import db
from app.search import SearchRequest, search
from app.search.index import forget, rebuild_index
from tests import factories
from tests.conftest import TEST_DATABASE_URL


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "search_backend" not in metafunc.fixturenames or "app" not in metafunc.fixturenames:
        return
    backends = ["whoosh"]
    if TEST_DATABASE_URL and metafunc.definition.get_closest_marker("whoosh_only") is None:
        backends.append("postgres")
    if metafunc.definition.get_closest_marker("postgres") is not None:
        backends = ["postgres"]  # tests of the postgres backend itself
    metafunc.parametrize("search_backend", backends, indirect=True)


@pytest.fixture(autouse=True)
def search_backend(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """SEARCH_BACKEND for this test (see the module docstring)."""
    name = getattr(request, "param", None)
    if name is None:
        yield None
        return
    app = request.getfixturevalue("app")
    old = app.config.get("SEARCH_BACKEND")
    app.config["SEARCH_BACKEND"] = name
    try:
        yield name
    finally:
        app.config["SEARCH_BACKEND"] = old


@pytest.fixture
def index_dir(app, tmp_path: Path) -> Iterator[Path]:  # noqa: ANN001
    """SEARCH_INDEX_DIR points into this test's tmp_path, and is restored afterwards."""
    old = app.config["SEARCH_INDEX_DIR"]
    path = tmp_path / "search_index"
    app.config["SEARCH_INDEX_DIR"] = str(path)
    try:
        yield path
    finally:
        forget(path)
        app.config["SEARCH_INDEX_DIR"] = old


@pytest.fixture
def taxonomy(app) -> None:  # noqa: ANN001
    from app.seeding.taxonomy import load_taxonomies

    load_taxonomies()
    db.session.commit()


@pytest.fixture
def find(index_dir: Path):  # noqa: ANN201
    """find(**request fields) -> SearchResults, after rebuilding the index from the database."""

    def _find(now=None, **kw):  # noqa: ANN001,ANN003,ANN202
        if current_app.config.get("SEARCH_BACKEND") != "postgres":  # rows need no rebuild
            rebuild_index(index_dir)
            forget(index_dir)
        return search(SearchRequest(**kw), now=now)

    return _find


def names(results) -> list[str]:  # noqa: ANN001
    return [r.name for r in results.results]


def service(
    name: str,
    *,
    description: str = "A test service.",
    needs: tuple[str, ...] = (),
    town: str = "Hartford",
    lat: float = 41.7658,
    lon: float = -72.6734,
    languages: tuple[str, ...] = (),
    **kw,  # noqa: ANN003
):  # noqa: ANN201
    """A service with one location, need-area terms ("housing.recovery") and languages."""
    org = factories.make_organization()
    location = factories.make_location(org, town=town, latitude=lat, longitude=lon)
    svc = factories.make_service(org, location=location, name=name, description=description, **kw)
    if needs:
        svc.taxonomy_terms = [db.session.get(TaxonomyTerm, f"need-{code}") for code in needs]
    names_of = {"en": "English", "es": "Spanish", "pt": "Portuguese"}
    for code in languages:
        svc.languages.append(Language(name=names_of.get(code, code), code=code))
    db.session.commit()
    return svc


def hours(svc, byday: str, opens: time, closes: time) -> Schedule:  # noqa: ANN001
    schedule = Schedule(service=svc, freq="WEEKLY", byday=byday, opens_at=opens, closes_at=closes)
    db.session.add(schedule)
    db.session.commit()
    return schedule
