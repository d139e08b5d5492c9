"""The unmet-need log keeps only a recognised town or ZIP, counts public searches too, and an
anonymous address cannot flood it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.search.models import ZeroResultSearch
from app.search.zero_results import coarse_place
from tests.search.conftest import service


@pytest.mark.parametrize(
    ("near", "kept"),
    [
        ("Jane Doe, 14 Elm Street, Hartford", None),
        ("Apt 3, 14 Elm Street, Hartford", None),
        ("Jane Doe, 14 Elm Street, Hartford, CT", None),
        ("Jane Doe, 14 Elm Street, Hartford, CT 06103", "06103"),
        ("12 Elm Street, Hartford, CT 06103-1234", "06103"),
        ("c/o Jane Doe 06103", "06103"),
        ("Hartford", "Hartford, CT"),
        ("hartford, ct", "Hartford, CT"),
        ("06103", "06103"),
        ("99999", None),  # not a real ZIP: may be anything
        ("41.7658, -72.6734", "41.8,-72.7"),
        ("Jane Doe", None),
    ],
)
def test_only_a_recognised_town_or_zip_is_kept(app, near: str, kept: str | None) -> None:  # noqa: ANN001
    assert coarse_place(near) == kept


def _rows() -> list[ZeroResultSearch]:
    return list(db.session.scalars(select(ZeroResultSearch)))


def test_public_searches_that_find_nothing_are_recorded(client, index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    service("Elm Recovery House", needs=("housing.recovery",))
    db.session.commit()
    page = client.get("/search", query_string={"q": "goat farm", "near": "Hartford, CT"})
    assert page.status_code == 200
    rows = _rows()
    assert [(r.query_text, r.filters.get("near"), r.source) for r in rows] == [
        ("goat farm", "Hartford, CT", "public")
    ]
    client.get("/search", query_string={"q": "recovery house"})  # found: not recorded
    assert len(_rows()) == 1


def test_street_address_in_public_near_is_not_stored(client, index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    service("Elm Recovery House", needs=("housing.recovery",))
    db.session.commit()
    client.get("/search", query_string={"q": "goat farm", "near": "Jane Doe, 14 Elm St, Hartford"})
    stored = repr([(r.query_text, r.town, r.filters) for r in _rows()])
    assert "Jane" not in stored and "Elm" not in stored


def test_api_town_filter_is_kept_only_when_it_is_a_known_town(client, index_dir, taxonomy) -> None:  # noqa: ANN001
    service("Elm Recovery House", needs=("housing.recovery",))
    db.session.commit()
    client.get("/api/search", query_string={"q": "goat farm", "town": "Jane Doe Apt 3"})
    client.get("/api/search", query_string={"q": "goat farm", "town": "new haven"})
    assert sorted(str(r.town) for r in _rows()) == ["New Haven", "None"]


def test_an_anonymous_address_cannot_flood_the_log(app, client, index_dir, taxonomy) -> None:  # noqa: ANN001
    service("Elm Recovery House", needs=("housing.recovery",))
    db.session.commit()
    app.config["ZERO_RESULT_LOG_RATE_LIMIT"] = "3 per hour"
    try:
        for n in range(5):
            assert client.get("/search", query_string={"q": f"goat farm {n}"}).status_code == 200
        assert client.get("/api/search", query_string={"q": "goat"}).status_code == 200
        count = db.session.scalar(select(func.count()).select_from(ZeroResultSearch))
        assert count == 3
        other = client.get(
            "/search", query_string={"q": "goat farm"}, environ_base={"REMOTE_ADDR": "10.9.9.9"}
        )
        assert other.status_code == 200
        assert db.session.scalar(select(func.count()).select_from(ZeroResultSearch)) == 4
    finally:
        app.config["ZERO_RESULT_LOG_RATE_LIMIT"] = "20 per hour"
