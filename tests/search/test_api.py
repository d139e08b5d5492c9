"""GET /api/search: JSON shape, each filter, public data only, 400 problems, zero results."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.directory.models import SiteVisit
from app.directory.vocabulary import Answer, Criterion, Rating, SiteVisitOverall
from app.extensions import db
from app.search.models import ZeroResultSearch
from tests import factories
from tests.search.conftest import service


@pytest.fixture
def catalog(index_dir: Path, taxonomy):  # noqa: ANN001,ANN201
    elm = service("Elm Recovery House", needs=("housing.recovery",), languages=("es",))
    factories.make_capacity(elm, available=2, age_days=1)
    factories.make_rule(elm, Criterion.SEX_OFFENSE_REGISTRY, Answer.NO)
    oak = service("Oak Transitional House", needs=("housing.transitional",), town="New Haven",
                  lat=41.3083, lon=-72.9279)  # fmt: skip
    factories.make_capacity(oak, available=4, age_days=30)
    db.session.add(
        SiteVisit(
            service=oak,
            visited_on=date(2025, 3, 1),
            visitor_name="Visitor Name",
            safety=Rating.POOR,
            cleanliness=Rating.POOR,
            staff_responsiveness=Rating.POOR,
            overall=SiteVisitOverall.DO_NOT_REFER,
            notes="Secret site note",
        )
    )
    db.session.commit()
    return {"elm": elm, "oak": oak}


def _get(client, **args) -> dict:  # noqa: ANN001,ANN003
    response = client.get("/api/search", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_shape_and_public_data_only(client, catalog) -> None:  # noqa: ANN001
    body = _get(client, q="house")
    assert set(body) >= {"total", "page", "per_page", "results", "facets"}
    assert (body["total"], body["page"], body["per_page"]) == (2, 1, 25)
    by_name = {r["name"]: r for r in body["results"]}
    elm, oak = by_name["Elm Recovery House"], by_name["Oak Transitional House"]
    assert elm["capacity"]["status"] == "has_room"
    assert elm["capacity"]["figures"][0]["available"] == 2
    assert oak["capacity"]["status"] == "unknown" and oak["capacity"]["stale"] is True
    assert "available" not in oak["capacity"]["figures"][0]  # a stale number is not shown
    assert elm["languages"] == ["Spanish"] and elm["location"]["town"] == "Hartford"
    assert body["facets"]["need_area"]["housing"] == 2
    text = str(body).lower()
    for internal in ("site visit", "do_not_refer", "secret site note", "visitor name"):
        assert internal not in text


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"need": "housing.recovery"}, ["Elm Recovery House"]),
        ({"need": ["housing.recovery", "housing.transitional"]}, None),
        ({"has_capacity": "true"}, ["Elm Recovery House"]),
        ({"language": "es"}, ["Elm Recovery House"]),
        ({"town": "New Haven"}, ["Oak Transitional House"]),
        ({"near": "06510", "radius_miles": "5"}, ["Oak Transitional House"]),
        ({"near": "41.7658,-72.6734", "radius_miles": "1"}, ["Elm Recovery House"]),
        ({"open_now": "1"}, []),
        ({"q": "house", "on_registry": "true"}, ["Oak Transitional House"]),
    ],
)
def test_each_filter(client, catalog, args, expected) -> None:  # noqa: ANN001
    names = sorted(r["name"] for r in _get(client, **args)["results"])
    assert names == (expected if expected is not None else sorted(
        ["Elm Recovery House", "Oak Transitional House"]
    ))  # fmt: skip


def test_profile_verdicts_with_reasons(client, catalog) -> None:  # noqa: ANN001
    body = _get(client, q="house", on_registry="yes", eligibility_mode="show_all")
    verdicts = {r["name"]: r["eligibility"] for r in body["results"]}
    assert verdicts["Elm Recovery House"]["status"] == "not_eligible"
    assert "registry" in verdicts["Elm Recovery House"]["reasons"][0]["message"]
    assert verdicts["Oak Transitional House"]["status"] in {"eligible", "unknown"}
    assert _get(client, q="house")["results"][0]["eligibility"] is None


def test_sort_distance_and_paging(client, catalog) -> None:  # noqa: ANN001
    body = _get(client, near="New Haven", radius_miles="100", sort="distance", per_page="1")
    assert body["total"] == 2 and len(body["results"]) == 1
    assert body["results"][0]["name"] == "Oak Transitional House"
    assert body["results"][0]["distance_miles"] < 5
    second = _get(client, near="New Haven", radius_miles="100", sort="distance", per_page="1",
                  page="2")  # fmt: skip
    assert second["results"][0]["name"] == "Elm Recovery House"


@pytest.mark.parametrize(
    ("args", "parameter"),
    [
        ({"need": "spaceships"}, "need"),
        ({"near": "Hartford", "radius_miles": "0"}, "radius_miles"),
        ({"near": "Hartford", "radius_miles": "-1"}, "radius_miles"),
        ({"near": "Hartford", "radius_miles": "501"}, "radius_miles"),
        ({"near": "Hartford", "radius_miles": "far"}, "radius_miles"),
        ({"near": "Hartford", "radius_miles": "nan"}, "radius_miles"),
        ({"per_page": "101"}, "per_page"),
        ({"per_page": "ten"}, "per_page"),
        ({"page": "0"}, "page"),
        ({"page": "1.5"}, "page"),
        ({"near": "Atlantis Upon Sea"}, "near"),
        ({"has_capacity": "maybe"}, "has_capacity"),
        ({"open_now": "2"}, "open_now"),
        ({"on_registry": "sometimes"}, "on_registry"),
        ({"gender": "robot"}, "gender"),
        ({"age": "200"}, "age"),
        ({"documents": "passport"}, "documents"),
        ({"sort": "cheapest"}, "sort"),
        ({"sort": "distance"}, "sort"),
        ({"eligibility_mode": "maybe"}, "eligibility_mode"),
    ],
)
def test_bad_parameters_are_400_problems(client, catalog, args, parameter) -> None:  # noqa: ANN001
    response = client.get("/api/search", query_string=args)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 400 and body["parameter"] == parameter and body["detail"]


def test_zero_results_are_recorded_for_the_api(client, catalog) -> None:  # noqa: ANN001
    assert _get(client, q="goat farm", town="Hartford", veteran="yes")["total"] == 0
    row = db.session.scalar(select(ZeroResultSearch))
    assert (row.query_text, row.town, row.source) == ("goat farm", "Hartford", "api")
    assert "veteran" not in str(row.filters)
    _get(client, q="house")
    assert db.session.scalar(select(func.count()).select_from(ZeroResultSearch)) == 1
