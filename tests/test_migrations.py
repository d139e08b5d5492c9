"""`flask db upgrade` on an empty database must produce exactly the models' schema."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from app import create_app
from app.extensions import db
from config import TestingConfig, normalise_database_url
from tests.conftest import TEST_DATABASE_URL


@pytest.fixture
def empty_database(tmp_path):  # noqa: ANN001,ANN201
    """An empty database of the same kind as the suite's: a new SQLite file or PG schema."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'migrated.db'}", {}
        return
    url = normalise_database_url(TEST_DATABASE_URL)
    schema = f"migr_{uuid.uuid4().hex[:10]}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield url, {"connect_args": {"options": f"-csearch_path={schema}"}}
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def _migrated_app(url: str, engine_options: dict):  # noqa: ANN202
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        SQLALCHEMY_ENGINE_OPTIONS = engine_options

    return create_app(Config)


def _not_search_rows(name, type_, parent_names) -> bool:  # noqa: ANN001
    """The PostgreSQL search tables are made by app.search.pg_schema, not by models."""
    from app.search.pg_schema import PG_ONLY_OBJECTS

    return not (type_ == "table" and name in PG_ONLY_OBJECTS)


def test_upgrade_produces_exactly_the_models_schema(empty_database):  # noqa: ANN001
    url, options = empty_database
    migrated = _migrated_app(url, options)
    with migrated.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": _not_search_rows}
            )
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == [], "models and migrations differ; run `flask db migrate`"


def test_migrated_audit_trail_refuses_update_and_delete(empty_database):  # noqa: ANN001
    from sqlalchemy.exc import DBAPIError

    url, options = empty_database
    migrated = _migrated_app(url, options)
    with migrated.app_context():
        upgrade()
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO audit_entry (id, at, action, object_type, object_id, details) "
                    "VALUES ('e1', CURRENT_TIMESTAMP, 'client.view', 'client', 'c1', '{}')"
                )
            )
        for statement in ("UPDATE audit_entry SET action = 'x'", "DELETE FROM audit_entry"):
            with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
                conn.execute(text(statement))
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT action FROM audit_entry")).scalar_one() == (
                "client.view"
            )
        db.engine.dispose()


def test_migrated_plan_versions_refuse_update_and_delete(empty_database):  # noqa: ANN001
    from sqlalchemy.exc import DBAPIError

    url, options = empty_database
    migrated = _migrated_app(url, options)
    with migrated.app_context():
        upgrade()
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO client (id, first_name, last_name, date_of_birth, "
                    "preferred_language, contact_method, eligibility, created_at, updated_at) "
                    "VALUES ('c1', 'A', 'B', '1980-01-01', 'en', 'phone', '{}', "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO release_plan (id, client_id, phase, started_at, version) "
                    "VALUES ('p1', 'c1', 'in_facility', CURRENT_TIMESTAMP, 1)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO plan_version (id, plan_id, number, juncture, phase, recorded_at, "
                    "items, changes) VALUES ('v1', 'p1', 1, 'intake', 'in_facility', "
                    "CURRENT_TIMESTAMP, '[]', '[]')"
                )
            )
        for statement in ("UPDATE plan_version SET note = 'x'", "DELETE FROM plan_version"):
            with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
                conn.execute(text(statement))
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT note FROM plan_version")).scalar_one() is None
        db.engine.dispose()


def test_downgrade_to_base_leaves_no_tables(empty_database):  # noqa: ANN001
    url, options = empty_database
    migrated = _migrated_app(url, options)
    with migrated.app_context():
        upgrade()
        downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert remaining == set()


def test_reached_bits_are_backfilled_from_each_referrals_history(empty_database):  # noqa: ANN001
    """Migration 99807bb810c7 adds referral.reached and fills it from referral_event."""
    from app.accounts.models import Role
    from app.referrals.steps import transition
    from app.referrals.vocabulary import REACHED_BIT, ReferralStatus
    from tests import factories

    url, options = empty_database
    migrated = _migrated_app(url, options)
    with migrated.app_context():
        upgrade()
        counselor = factories.make_user(Role.COUNSELOR, facility=factories.make_facility())
        org = factories.make_organization()
        provider = factories.make_user(Role.PROVIDER, organizations=[org])
        service = factories.make_service(org, location=factories.make_location(org))
        walked = factories.make_referral(factories.make_client(counselor), service, counselor)
        for action in ("receive", "accept", "enroll"):
            transition(walked, action, provider, expected_version=walked.version)
            db.session.commit()
        untouched = factories.make_referral(factories.make_client(counselor), service, counselor)
        ids = {walked.id: walked.reached, untouched.id: untouched.reached}
        db.session.remove()
        downgrade(revision="827de26f6339")
        upgrade(revision="99807bb810c7")
        rows = dict(db.session.execute(text("SELECT id, reached FROM referral")).all())
        db.session.remove()
        db.engine.dispose()
    statuses = ("sent", "received", "accepted", "enrolled")
    assert (
        rows[walked.id] == ids[walked.id] == sum(REACHED_BIT[ReferralStatus(s)] for s in statuses)
    )
    assert rows[untouched.id] == ids[untouched.id] == REACHED_BIT[ReferralStatus.SENT]


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="the search rows are PostgreSQL's only")
def test_the_search_rows_are_remade_with_their_place_on_upgrade(empty_database):  # noqa: ANN001
    """Migration 6a1d3f5b7c92 remakes the search rows of a database that has them (the
    previous revision's columns) and fills them, so a search near a place finds the service."""
    from app.search import SearchRequest, search
    from tests import factories

    url, options = empty_database
    migrated = _migrated_app(url, options)
    migrated.config["SEARCH_BACKEND"] = "postgres"
    with migrated.app_context():
        upgrade()
        org = factories.make_organization()
        factories.make_service(org, name="Riverside Pantry", location=factories.make_location(org))
        db.session.commit()
        db.session.remove()
        downgrade(revision="3f8b6d2e1a47")  # the rows emptied, the place columns gone
        upgrade()
        row = db.session.execute(
            text("SELECT lat IS NOT NULL, location_id IS NOT NULL FROM search_document")
        ).one()
        place = db.session.execute(text("SELECT latitude, longitude FROM location")).one()
        found = search(SearchRequest(near=f"{place[0]},{place[1]}", radius_miles=1))
        db.session.remove()
        db.engine.dispose()
    assert tuple(row) == (True, True)
    assert [r.name for r in found.results] == ["Riverside Pantry"]
