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


def test_upgrade_produces_exactly_the_models_schema(empty_database):  # noqa: ANN001
    url, options = empty_database
    migrated = _migrated_app(url, options)
    with migrated.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == [], "models and migrations differ; run `flask db migrate`"


def test_downgrade_to_base_leaves_no_tables(empty_database):  # noqa: ANN001
    url, options = empty_database
    migrated = _migrated_app(url, options)
    with migrated.app_context():
        upgrade()
        downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert remaining == set()
