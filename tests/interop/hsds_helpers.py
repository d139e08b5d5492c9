"""Shared fixtures for the HSDS API and interop tests: a small known catalog, the search index
in a temporary directory, and validators for our copies of the HSDS JSON schemas.

Import the fixtures into a test module: `from tests.interop.hsds_helpers import catalog, ...`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from app.accounts.models import Role
from app.common import utcnow
from app.directory.models import (
    Language,
    RequiredDocument,
    Schedule,
    Service,
    SiteVisit,
    TaxonomyTerm,
)
from app.directory.vocabulary import Answer, CapacityStatus, Criterion, Rating, SiteVisitOverall
from app.extensions import db
from app.interop.hsds_schema import load_schema
from tests import factories

HARTFORD = (41.7658, -72.6734)  # ZIP 06103 centroid is about 0.5 km from here
NEW_HAVEN = (41.3083, -72.9279)
SECRET_VISIT_NOTE = "Mold in the upstairs bathroom zebra-quartz"
STAFF_EMAIL = "verifier.private@example.org"
CLIENT_NAME = "Quillonius Vantrebb"


@cache
def validator(filename: str) -> Draft202012Validator:
    return Draft202012Validator(
        load_schema(filename), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


@cache
def nested_validator(kind: str) -> Draft202012Validator:
    """HSDS defines taxonomy and taxonomy_term only nested (in an attribute of a service)."""
    term = load_schema("service.json")["properties"]["attributes"]["items"]["properties"][
        "taxonomy_term"
    ]
    schema = term if kind == "taxonomy_term" else term["properties"]["taxonomy_detail"]
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(validator_: Draft202012Validator, obj: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator_.iter_errors(obj)]  # fmt: skip


@dataclass
class Catalog:
    harbor: Any  # organization
    valley: Any
    sober_house: Any  # services
    pantry: Any
    jobs: Any
    hartford: Any  # locations
    new_haven: Any
    verifier: Any


@pytest.fixture
def taxonomy(app) -> None:  # noqa: ANN001
    from app.seeding.taxonomy import load_taxonomies

    load_taxonomies()
    db.session.commit()


@pytest.fixture
def index_dir(app, tmp_path: Path) -> Iterator[Path]:  # noqa: ANN001
    from app.search.index import forget

    old = app.config["SEARCH_INDEX_DIR"]
    path = tmp_path / "search_index"
    app.config["SEARCH_INDEX_DIR"] = str(path)
    try:
        yield path
    finally:
        forget(path)
        app.config["SEARCH_INDEX_DIR"] = old


def _terms(*codes: str) -> list[TaxonomyTerm]:
    return [db.session.get(TaxonomyTerm, f"need-{code}") for code in codes]


@pytest.fixture
def catalog(app, taxonomy, index_dir) -> Catalog:  # noqa: ANN001
    """Three services in two towns, with capacity, rules, hours and private data around them."""
    verifier = factories.make_user(Role.ADMIN, email=STAFF_EMAIL)
    harbor = factories.make_organization(name="Harbor House", description="Recovery homes.")
    valley = factories.make_organization(name="Valley Works", description="Jobs after release.")
    hartford = factories.make_location(harbor, town="Hartford", latitude=HARTFORD[0],
                                       longitude=HARTFORD[1])  # fmt: skip
    new_haven = factories.make_location(valley, town="New Haven", latitude=NEW_HAVEN[0],
                                        longitude=NEW_HAVEN[1])  # fmt: skip
    new_haven.addresses[0].postal_code = "06510"
    sober_house = factories.make_service(
        harbor, location=hartford, name="Harbor Sober House",
        description="Recovery housing with peer support.",
        last_verified_at=utcnow() - timedelta(days=3), verified_by=verifier,
    )  # fmt: skip
    pantry = factories.make_service(
        harbor, location=hartford, name="Harbor Food Pantry", description="Groceries weekly."
    )
    jobs = factories.make_service(
        valley, location=new_haven, name="Valley Job Placement", description="Job search help."
    )
    sober_house.taxonomy_terms = _terms("housing", "housing.recovery")
    pantry.taxonomy_terms = _terms("food")
    jobs.taxonomy_terms = _terms("employment")
    sober_house.schedules.append(Schedule(freq="WEEKLY", byday="MO", opens_at=time(9),
                                          closes_at=time(17)))  # fmt: skip
    sober_house.languages.append(Language(name="Spanish", code="es"))
    sober_house.required_documents.append(RequiredDocument(document="State ID"))
    db.session.add(
        SiteVisit(service=sober_house, visited_on=date(2024, 5, 1), visitor=verifier,
                  visitor_name="Private Visitor", safety=Rating.POOR, cleanliness=Rating.POOR,
                  staff_responsiveness=Rating.GOOD, overall=SiteVisitOverall.WITH_CONCERNS,
                  notes=SECRET_VISIT_NOTE, follow_up_note="Call landlord")
    )  # fmt: skip
    db.session.commit()
    factories.make_capacity(sober_house, available=2, maximum=8)
    factories.make_capacity(
        jobs, available=None, maximum=None, status=CapacityStatus.WAITLIST,
        unit=factories.make_unit("job_opening", "Job openings"),
    )  # fmt: skip
    factories.make_rule(sober_house, Criterion.MAT_ALLOWED, Answer.YES)
    factories.make_rule(sober_house, Criterion.SEX_OFFENSE_REGISTRY, Answer.NO)
    _add_client()
    from app.search.index import rebuild_index

    rebuild_index()
    return Catalog(harbor, valley, sober_house, pantry, jobs, hartford, new_haven, verifier)


def _add_client() -> None:
    """A client record, which must never leak into open data."""
    from app.referrals.models import Client

    db.session.add(Client(first_name=CLIENT_NAME.split()[0], last_name=CLIENT_NAME.split()[1],
                          inmate_number="INM-778899", date_of_birth=date(1980, 2, 3)))  # fmt: skip
    db.session.commit()


def all_services() -> list[Service]:
    return list(db.session.scalars(db.select(Service)))


def empty_database() -> None:
    """Delete every row (as the test teardown does), to import into an empty database."""
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


def row_counts() -> dict[str, int]:
    return {
        t.name: db.session.scalar(db.select(db.func.count()).select_from(t))
        for t in db.metadata.sorted_tables
    }


EXAMPLE = Path(__file__).resolve().parent / "data" / "hsds_example"
