"""SEARCH_BACKEND: the default for each database, and settings that must stop the start."""

from __future__ import annotations

import pytest

from config import search_backend

SQLITE = "sqlite:///instance/partners.db"
POSTGRES = "postgresql+psycopg://partners@db/partners"


def test_the_default_is_whoosh_until_the_postgres_backend_is_switched_on() -> None:
    assert search_backend(None, SQLITE) == "whoosh"
    assert search_backend("", POSTGRES) == "whoosh"  # opt-in for now (see config.py)
    assert search_backend("postgres", POSTGRES) == "postgres"
    assert search_backend(" Whoosh ", POSTGRES) == "whoosh"


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
