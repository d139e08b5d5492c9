"""`flask backup sqlite PATH`: a consistent copy while the app keeps its connections open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.ops.backup import BackupError, backup_sqlite, row_counts, sqlite_path
from tests import factories


def _make_db(path: Path, rows: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, body TEXT)")
    conn.executemany("INSERT INTO item (body) VALUES (?)", [("x" * 500,)] * rows)
    conn.commit()
    conn.close()


def test_the_copy_has_every_row_and_passes_its_check(tmp_path):  # noqa: ANN001
    source, target = tmp_path / "live.db", tmp_path / "copies" / "live-copy.db"
    _make_db(source, 20_000)  # ~10 MB: several backup steps
    result = backup_sqlite(source, target)
    assert result.tables == {"item": 20_000}
    with sqlite3.connect(target) as conn:
        assert row_counts(conn) == {"item": 20_000}
    assert not (target.parent / "live-copy.db.partial").exists()


def test_a_backup_runs_while_another_connection_writes(tmp_path):  # noqa: ANN001
    source, target = tmp_path / "live.db", tmp_path / "copy.db"
    _make_db(source, 20_000)
    writer = sqlite3.connect(source)
    writer.execute("INSERT INTO item (body) VALUES ('written before')")
    writer.commit()
    writer.execute("BEGIN")
    writer.execute("INSERT INTO item (body) VALUES ('not yet committed')")
    try:
        result = backup_sqlite(source, target)
    finally:
        writer.rollback()
        writer.close()
    assert result.tables == {"item": 20_001}  # committed rows only


def test_it_never_overwrites_by_accident(tmp_path):  # noqa: ANN001
    source, target = tmp_path / "live.db", tmp_path / "copy.db"
    _make_db(source, 3)
    target.write_text("yesterday's backup")
    with pytest.raises(BackupError, match="exists"):
        backup_sqlite(source, target)
    assert target.read_text() == "yesterday's backup"
    assert backup_sqlite(source, target, overwrite=True).tables == {"item": 3}
    with pytest.raises(BackupError, match="itself"):
        backup_sqlite(source, source, overwrite=True)


def test_only_sqlite_urls_are_backed_up_this_way():
    assert sqlite_path("sqlite:////srv/partners/partners.db") == Path("/srv/partners/partners.db")
    for url in ("postgresql+psycopg://partners@db/partners", "sqlite:///:memory:", "sqlite://"):
        with pytest.raises(BackupError):
            sqlite_path(url)


def test_flask_backup_sqlite_copies_the_app_database(app, tmp_path):  # noqa: ANN001
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the app's database is PostgreSQL in this run")
    factories.make_user(Role.COUNSELOR)
    factories.make_organization(name="Harbor House")
    db.session.commit()
    target = tmp_path / "partners-backup.db"
    result = app.test_cli_runner().invoke(args=["backup", "sqlite", str(target)])
    assert result.exit_code == 0, result.output
    assert "integrity check ok" in result.output
    with sqlite3.connect(target) as conn:
        copied = row_counts(conn)
    assert copied["user"] == 1 and copied["organization"] == 1
    again = app.test_cli_runner().invoke(args=["backup", "sqlite", str(target)])
    assert again.exit_code == 1 and "exists" in again.output


def test_flask_backup_sqlite_refuses_postgresql(make_app, tmp_path):  # noqa: ANN001
    other = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://partners@127.0.0.1:1/partners")
    with other.app_context():  # the command runs in the app context it finds
        result = other.test_cli_runner().invoke(args=["backup", "sqlite", str(tmp_path / "x.db")])
    assert result.exit_code == 1 and "pg_dump" in result.output
