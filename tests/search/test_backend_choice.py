"""SEARCH_BACKEND: the default for each database, and settings that must stop the start."""

from __future__ import annotations

import pytest

from config import search_backend

SQLITE = "sqlite:///instance/partners.db"
POSTGRES = "postgresql+psycopg://partners@db/partners"


def test_postgresql_searches_itself_unless_told_otherwise_and_sqlite_uses_whoosh() -> None:
    assert search_backend(None, SQLITE) == "whoosh"
    assert search_backend("", POSTGRES) == "postgres"
    assert search_backend("postgres", POSTGRES) == "postgres"
    assert search_backend(" Whoosh ", POSTGRES) == "whoosh"  # one server may keep Whoosh


@pytest.mark.parametrize(
    ("setting", "url", "message"),
    [
        ("postgres", SQLITE, "needs DATABASE_URL to be PostgreSQL"),
        ("elastic", POSTGRES, "use one of: whoosh, postgres"),
    ],
)
def test_a_setting_that_cannot_work_refuses_to_start(setting, url, message) -> None:  # noqa: ANN001
    with pytest.raises(RuntimeError, match=message):
        search_backend(setting, url)
