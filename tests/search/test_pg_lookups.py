"""A PostgreSQL search's small questions (word forms, typo alternatives, the radius's edge band,
the refusing rules) remembered per worker while the content versions stand: a change made
through the app is seen by the next search, a remembered answer is used while nothing changed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from geopy.distance import geodesic
from sqlalchemy import text

from app import content_version
from app.directory.eligibility import EligibilityProfile
from app.directory.vocabulary import Answer, Criterion
from app.extensions import db
from app.search import SearchRequest, pg_backend, pg_lookups, search
from tests import factories
from tests.search.conftest import names, service

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _fresh_memory() -> Iterator[None]:
    pg_lookups.forget()
    yield
    pg_lookups.forget()


def _found(**kw) -> list[str]:  # noqa: ANN003
    return names(search(SearchRequest(**kw)))


def test_a_new_word_is_found_by_its_typo_right_after_it_is_added(taxonomy) -> None:  # noqa: ANN001
    service("Clothing Closet")
    assert _found(text="pantyr") == []  # "pantry" is in no service yet: nothing one typo away
    service("Food Pantry")  # commits: the versions change with the search rows
    assert _found(text="pantyr") == ["Food Pantry"]


def test_a_service_moved_into_the_edge_band_is_found_right_after(taxonomy) -> None:  # noqa: ANN001
    origin = (41.76, -72.67)
    inside = geodesic(miles=9.998).destination(origin, 200)
    svc = service("Edge Shelter", lat=41.3, lon=-72.9)  # New Haven: far outside
    near = {"near": "41.76,-72.67", "radius_miles": 10}
    assert _found(**near) == []
    location = svc.service_at_locations[0].location
    location.latitude, location.longitude = inside.latitude, inside.longitude
    db.session.commit()
    assert _found(**near) == ["Edge Shelter"]  # a hair inside, in the band decided in Python


def test_a_remembered_answer_is_used_until_the_versions_change(taxonomy) -> None:  # noqa: ANN001
    service("Food Pantry")
    question = {"rows": (("test-rows",), "SELECT count(*) FROM search_word")}
    words = pg_lookups.fetch(db.session, question, {})["rows"]
    # a write the version watchers cannot see: the remembered answer stands
    db.session.connection().exec_driver_sql("INSERT INTO search_word VALUES ('zzyzx')")
    assert pg_lookups.fetch(db.session, question, {})["rows"] == words
    content_version.bump(db.session.connection(), ["search"])  # capacity: the answers stand
    assert pg_lookups.fetch(db.session, question, {})["rows"] == words
    content_version.bump(db.session.connection(), [pg_lookups.SCOPE])  # as a rebuild does
    assert pg_lookups.fetch(db.session, question, {})["rows"] == words + 1
    db.session.rollback()


def test_answers_are_asked_again_after_a_minute(taxonomy, monkeypatch) -> None:  # noqa: ANN001
    service("Food Pantry")
    question = {"rows": (("test-rows",), "SELECT count(*) FROM search_word")}
    words = pg_lookups.fetch(db.session, question, {})["rows"]
    db.session.connection().exec_driver_sql("INSERT INTO search_word VALUES ('zzyzx')")
    monkeypatch.setattr(pg_lookups.MEMO, "max_age", -1.0)
    assert pg_lookups.fetch(db.session, question, {})["rows"] == words + 1
    db.session.rollback()


def test_nothing_is_remembered_before_the_first_version(app) -> None:  # noqa: ANN001
    """A database never changed through the app has no versions to key an answer on."""
    db.session.execute(text("DELETE FROM content_version"))
    question = {"one": (("test-one",), "SELECT 1")}
    assert pg_lookups.fetch(db.session, question, {})["one"] == 1
    assert len(pg_lookups.MEMO) == 0
    db.session.rollback()


def test_memory_is_bounded(app, monkeypatch) -> None:  # noqa: ANN001
    content_version.bump(db.session.connection(), [pg_lookups.SCOPE])
    monkeypatch.setattr(pg_lookups.MEMO, "max_entries", 3)
    for n in range(5):
        pg_lookups.fetch(db.session, {"n": ((n,), f"SELECT {n}")}, {})
    assert [key for _, key in pg_lookups.MEMO.held_keys()] == [(2,), (3,), (4,)]
    db.session.rollback()


def test_a_repeated_search_asks_nothing_before_its_statement_until_the_directory_changes(
    taxonomy,  # noqa: ANN001
) -> None:
    """With every lookup remembered, the statement goes out with the settings in one round trip
    (past the engine: nothing counted there); it carries the remembered versions, and when a
    change has moved them it reads nothing and the search asks again (one statement through
    the engine: the search statement after the pipelined lookups), finding the change."""
    from sqlalchemy import event

    service("Food Pantry", lat=41.76, lon=-72.67)
    asked = {"text": "pantry", "near": "41.76,-72.67", "radius_miles": 10}
    sent: list[str] = []

    def count(_conn, _cursor, statement, *_rest) -> None:  # noqa: ANN001
        sent.append(statement)

    assert _found(**asked) == ["Food Pantry"]  # remembers the answers
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert _found(**asked) == ["Food Pantry"]
        assert sent == []
        service("Harbor Food Pantry", lat=41.77, lon=-72.68)  # commits: the versions move
        sent.clear()
        assert sorted(_found(**asked)) == ["Food Pantry", "Harbor Food Pantry"]
        assert len([s for s in sent if "search_document" in s]) == 1
        sent.clear()
        assert sorted(_found(**asked)) == ["Food Pantry", "Harbor Food Pantry"]
        assert sent == []
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


class _Sent:
    """The statements sent through the engine while listening (the pipelined ones go past it)."""

    def __init__(self) -> None:
        from sqlalchemy import event

        self.statements: list[str] = []
        self._event = event

    def __enter__(self) -> _Sent:
        self._event.listen(db.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_: object) -> None:
        self._event.remove(db.engine, "before_cursor_execute", self._count)

    def _count(self, _conn, _cursor, statement, *_rest) -> None:  # noqa: ANN001
        self.statements.append(statement)


def test_a_capacity_update_leaves_the_answers_standing_and_the_search_shows_it(
    taxonomy,  # noqa: ANN001
) -> None:
    """A bed taken (the busiest write of a network) moves no lookup answer: the next search
    still goes out at once with the remembered ones, and reads the new figure."""
    from app.directory.capacity import mark_full

    capacity = factories.make_capacity(service("Harbor House", lat=41.76, lon=-72.67))
    factories.make_capacity(service("Hill House", lat=41.77, lon=-72.68))
    db.session.commit()
    asked = {"text": "house", "near": "41.76,-72.67", "radius_miles": 10, "has_capacity": True}
    assert sorted(_found(**asked)) == ["Harbor House", "Hill House"]  # remembers the answers
    mark_full(capacity, actor=None, expected_version=capacity.version)
    db.session.commit()
    with _Sent() as sent:
        assert _found(**asked) == ["Hill House"]
        assert sent.statements == []  # no lookup asked again, the statement not sent twice
    counted = search(SearchRequest(**{**asked, "has_capacity": False}))
    assert counted.facets["capacity_status"] == {"has_room": 1, "full": 1}


def test_a_new_eligibility_rule_is_asked_about_again(taxonomy) -> None:  # noqa: ANN001
    """Rules are not catalog tables: their own scope moves the answers (the refusing rules)."""
    house = service("Registry Free House")
    profile = EligibilityProfile(on_registry=True)
    assert _found(text="house", profile=profile) == ["Registry Free House"]
    factories.make_rule(house, Criterion.SEX_OFFENSE_REGISTRY, Answer.NO)  # commits
    assert _found(text="house", profile=profile) == []


def test_a_transactions_own_change_is_asked_about_afresh_and_not_kept(taxonomy) -> None:  # noqa: ANN001
    """Before its commit a change is under no version: a search in the same transaction that
    reads its search rows (written here by hand; the app writes them just before the commit)
    asks afresh and finds it, and nothing it read then is kept once the change is rolled back."""
    closet = service("Clothing Closet")
    assert _found(text="pantyr") == []  # remembered: no word one typo away
    closet.name = "Food Pantry"
    db.session.flush()
    pg_backend.write(db.session, [closet.id])  # its search rows too, not committed

    assert _found(text="pantyr") == ["Food Pantry"]
    db.session.rollback()
    assert _found(text="pantyr") == []


def test_a_rebuild_moves_the_answers(taxonomy) -> None:  # noqa: ANN001
    """A rebuild numbers the search rows afresh: the edge band's remembered docs would name
    other services, so the rebuild's commit moves the versions the answers are kept under."""
    from app.search.pg_backend import PostgresBackend

    inside = geodesic(miles=9.998).destination((41.76, -72.67), 200)
    service("Edge Shelter", lat=inside.latitude, lon=inside.longitude)  # first row: doc 1
    service("Shore Shelter", lat=41.28, lon=-72.9)  # far outside; sorted first by a rebuild
    near = {"near": "41.76,-72.67", "radius_miles": 10}
    assert _found(**near) == ["Edge Shelter"]
    db.session.commit()
    PostgresBackend().rebuild()
    assert _found(**near) == ["Edge Shelter"]
