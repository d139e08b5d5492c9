"""When the database cannot be reached, pages and the API answer 503 with Retry-After, not 500.

A database that does not exist stands in for one that is restarting: the connection fails the
same way (bench/faults/pg_restart.py shows the real restart under load).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app import create_app
from config import TestingConfig


@pytest.fixture()
def unreachable(tmp_path: Path):  # noqa: ANN201
    class Config(TestingConfig):
        # A folder that does not exist: SQLite cannot open the file, as a stopped server refuses.
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'missing-folder' / 'partners.db'}"
        SEARCH_INDEX_DIR = str(tmp_path / "index")

    return create_app(Config).test_client()


def test_a_page_says_back_in_a_moment(unreachable) -> None:  # noqa: ANN001
    response = unreachable.get("/services/5b0c3f3e-0000-4000-8000-000000000000")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    page = response.get_data(as_text=True)
    assert "Back in a moment" in page
    assert "Nothing you sent was saved" in page


def test_the_api_answers_a_problem_body(unreachable) -> None:  # noqa: ANN001
    response = unreachable.get("/api/services")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 503


def test_signing_in_says_try_again(unreachable) -> None:  # noqa: ANN001
    """A write path (sign-in reads the account) gets the same answer, not an error screen."""
    response = unreachable.post(
        "/account/login", data={"email": "someone@example.org", "password": "x" * 12}
    )
    assert response.status_code == 503
    assert "Back in a moment" in response.get_data(as_text=True)
