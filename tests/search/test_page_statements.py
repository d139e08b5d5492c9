"""A page of results costs the same number of SQL statements whatever its size: 50 results on a
page must not make it slower by one query per result (what a person waiting for the page would
notice first at a statewide directory's size). Counted on the engine, on both backends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import time
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import event

from app.accounts.models import Role
from app.conditions.services import ConditionsData, set_conditions
from app.directory.models import Language, Schedule, ServiceAtLocation
from app.directory.vocabulary import Answer, CapacityStatus, Criterion
from app.extensions import db
from app.search import SearchRequest, search
from app.search.index import forget, rebuild_index
from tests import factories
from tests.search.conftest import service

SHELTERS = 52


@contextmanager
def counted() -> Iterator[Callable[[], int]]:
    """The number of statements sent to the database inside the block."""
    sent: list[str] = []

    def count(_conn, _cursor, statement, *_rest) -> None:  # noqa: ANN001
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield lambda: len(sent)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


@pytest.fixture
def shelters(index_dir: Path, taxonomy) -> dict:  # noqa: ANN001
    """52 housing services near Hartford, each with what a result shows: capacity, rules,
    languages, hours (their own, or their location's), a second location for some."""
    unit = factories.make_unit()
    for n in range(SHELTERS):
        name = f"{'Harbor ' if n < 3 else ''}Shelter {n:02d}"
        svc = service(name, needs=("housing.transitional",), lat=41.76 + n / 1000)
        factories.make_capacity(svc, unit=unit, status=CapacityStatus.HAS_CAPACITY, age_days=n)
        factories.make_rule(svc, Criterion.SEX_OFFENSE_REGISTRY, Answer.CASE_BY_CASE)
        svc.languages.extend([Language(name="English", code="en"), Language(name="Spanish")])
        if n % 2:
            db.session.add(Schedule(service=svc, freq="WEEKLY", byday="MO,TU", opens_at=time(9),
                                    closes_at=time(17)))  # fmt: skip
        else:
            db.session.add(Schedule(location_id=svc.locations[0].id, freq="DAILY", opens_at=time(8),
                                    closes_at=time(20)))  # fmt: skip
        if n % 3 == 0:
            other = factories.make_location(svc.organization, town="New Britain")
            svc.service_at_locations.append(ServiceAtLocation(location=other))
    db.session.commit()
    counselor = factories.make_user(Role.COUNSELOR)
    person = factories.make_client(counselor, eligibility={"on_registry": True})
    conditions = ConditionsData(
        curfew_start=time(20), curfew_end=time(6), allowed_area=["Hartford County"]
    )
    set_conditions(person, conditions, counselor)
    db.session.commit()
    if current_app.config.get("SEARCH_BACKEND") != "postgres":
        rebuild_index(index_dir)
        forget(index_dir)
    return {"counselor": counselor, "person": person}


def test_a_search_reads_a_page_of_50_in_as_many_statements_as_a_page_of_10(shelters) -> None:  # noqa: ANN001
    from app.directory.eligibility import EligibilityProfile

    asked = {"text": "shelter", "near": "Hartford", "profile": EligibilityProfile(age=30)}
    search(SearchRequest(per_page=10, **asked))  # warm: geocoder, reference data
    db.session.rollback()
    sizes, statements = [], []
    for per_page in (10, 50):
        with counted() as sent:
            results = search(SearchRequest(per_page=per_page, **asked))
        db.session.rollback()
        sizes.append(len(results.results))
        statements.append(sent())
    assert sizes == [10, 50]
    assert statements[0] == statements[1]
    assert statements[1] <= 12


def test_the_staff_page_for_a_person_costs_the_same_for_10_or_50_results(  # noqa: ANN001
    shelters, client, login
) -> None:
    login(shelters["counselor"])
    person = shelters["person"].id
    path = f"/staff/search?client={person}&q=shelter&near=Hartford&per_page="
    assert client.get(path + "10").status_code == 200  # warm
    statements = []
    for per_page in (10, 50):
        with counted() as sent:
            response = client.get(path + str(per_page))
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert html.count('<li class="card" id="r-') == per_page
        statements.append(sent())
    assert statements[0] == statements[1]


def test_the_public_page_costs_the_same_for_a_full_page_or_a_few_results(  # noqa: ANN001
    shelters, client
) -> None:
    client.get("/search?q=harbor&near=Hartford")  # warm: geocoder, templates (not these searches)
    statements, shown = [], []
    for words in ("shelter", "harbor shelter"):
        with counted() as sent:
            response = client.get("/search", query_string={"q": words, "near": "Hartford"})
        assert response.status_code == 200
        shown.append(response.get_data(as_text=True).count('<li class="result">'))
        statements.append(sent())
    assert shown == [20, 3]
    assert statements[0] == statements[1]


@pytest.mark.postgres
def test_the_pipelined_page_reads_the_same_rows_as_the_statements_one_by_one(shelters) -> None:  # noqa: ANN001
    """On PostgreSQL the page's statements go in one round trip with the driver's own rows: each
    column must come back as SQLAlchemy gives it (aware UTC datetimes, enum members, times)."""
    from app.directory.models import EligibilityRule, Service
    from app.search import page_rows

    ids = sorted(db.session.scalars(db.select(Service.id)))
    assert db.session.scalar(db.select(db.func.count()).select_from(EligibilityRule)) > 0
    names = list(page_rows._BUILDERS)
    with counted() as sent:
        together = page_rows.read(names, ids)
    assert sent() == 0  # sent past the engine, in one round trip
    for name in names:
        one_by_one = [tuple(row) for row in page_rows.rows(name, ids)]
        assert together[name] == one_by_one, name
        typed = [[type(value) for value in row] for row in one_by_one]
        assert [[type(value) for value in row] for row in together[name]] == typed, name
    assert {type(row[1]).__name__ for row in together["rules"]} == {"Criterion"}
    assert all(row[5].tzinfo is not None for row in together["capacities"])


@pytest.mark.postgres
def test_a_lost_connection_in_the_pipelined_page_is_sqlalchemys_operational_error(
    shelters,  # noqa: ANN001
) -> None:
    """PostgreSQL restarting mid-request: the page's pipeline raises SQLAlchemy's
    OperationalError (what the 503 handler answers), not the driver's own."""
    from sqlalchemy.exc import OperationalError

    from app.search import page_rows

    pid = db.session.execute(db.text("SELECT pg_backend_pid()")).scalar_one()
    with db.engine.connect() as other:
        other.execute(db.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    with pytest.raises(OperationalError):
        page_rows.read(["services", "capacities"], ["no-such-id"])
    try:
        db.session.rollback()
    except OperationalError:
        db.session.close()
    db.engine.dispose()


@pytest.mark.postgres
def test_a_page_read_again_comes_from_memory_while_the_directory_is_unchanged(
    shelters,  # noqa: ANN001
    monkeypatch,  # noqa: ANN001
) -> None:
    """A service's page rows are remembered under the content versions the search saw: used
    while they stand, read again once a change moves them, never taken from (or kept for) a
    transaction's own uncommitted changes, and read again after a minute whatever happens."""
    from app.directory.models import ServiceCapacity, Unit
    from app.search import page_rows

    page_rows.forget()
    asked = SearchRequest(text="shelter", near="Hartford", per_page=10)

    def units() -> set[str]:
        return {result.capacity[0].unit for result in search(asked).results}

    first = units()
    db.session.commit()
    # a write the version watchers cannot see: the remembered rows stand
    db.session.connection().exec_driver_sql("UPDATE unit SET name = 'cots'")
    db.session.commit()
    assert units() == first != {"cots"}
    # a change through the app moves the versions: the rows are read again
    capacity = db.session.scalars(db.select(ServiceCapacity)).first()
    capacity.maximum = (capacity.maximum or 0) + 1
    db.session.commit()
    assert units() == {"cots"}
    # this transaction's own change is shown, and not remembered for anyone else
    for unit in db.session.scalars(db.select(Unit)):
        unit.name = "mats"
    db.session.flush()
    assert units() == {"mats"}
    db.session.rollback()
    assert units() == {"cots"}
    # a minute on, remembered rows are read again
    db.session.connection().exec_driver_sql("UPDATE unit SET name = 'beds'")
    db.session.commit()
    monkeypatch.setattr(page_rows.MEMO, "max_age", -1.0)
    assert units() == {"beds"}
    page_rows.forget()
