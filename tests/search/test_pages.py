"""The staff search page: filters in the URL, labels, internal notes for counselors only,
facets, paging, "did you mean", friendly input errors, zero-result recording."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.directory.models import SiteVisit
from app.directory.vocabulary import Answer, CapacityStatus, Criterion, Rating, SiteVisitOverall
from app.extensions import db
from app.search.models import ZeroResultSearch
from tests import factories
from tests.search.conftest import hours, service


@pytest.fixture
def catalog(index_dir: Path, taxonomy):  # noqa: ANN001,ANN201
    elm = service("Elm Recovery House", needs=("housing.recovery",), languages=("es",))
    factories.make_capacity(elm, available=2, age_days=1)
    factories.make_rule(elm, Criterion.SEX_OFFENSE_REGISTRY, Answer.NO)
    oak = service("Oak Transitional House", needs=("housing.transitional",), town="New Haven",
                  lat=41.3083, lon=-72.9279)  # fmt: skip
    factories.make_capacity(oak, available=4, age_days=30)
    pantry = service("Downtown Food Pantry", needs=("food",))
    hours(pantry, "MO,TU,WE,TH,FR,SA,SU", time(0, 0), time(0, 0))
    return {"elm": elm, "oak": oak, "pantry": pantry}


def _page(client, **args) -> str:  # noqa: ANN001,ANN003
    response = client.get("/staff/search", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def test_signed_out_users_are_sent_to_sign_in(client) -> None:  # noqa: ANN001
    response = client.get("/staff/search?q=house")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_empty_page_shows_the_form_only(client, login, catalog) -> None:  # noqa: ANN001
    login(factories.make_user(Role.PROVIDER))
    html = _page(client)
    assert 'name="q"' in html and "found" not in html


def test_text_search_shows_every_label(client, login, catalog) -> None:  # noqa: ANN001
    login(factories.make_user(Role.PROVIDER))
    html = _page(client, q="house")
    assert "2 places found" in html
    assert "Elm Recovery House" in html and "Oak Transitional House" in html
    assert "Has room" in html and "2 of 10 beds open" in html
    assert "Unknown — figure is 30 days old" in html  # stale capacity is unknown, with its age
    assert "Spanish" in html
    assert "Never verified" in html
    assert "Internal" not in html  # providers do not see internal labels


def test_filters_from_the_url(client, login, catalog) -> None:  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    assert "Elm Recovery House" in _page(client, has_capacity="1")
    assert "Oak Transitional House" not in _page(client, has_capacity="1")
    html = _page(client, need="housing", town="New Haven")
    assert "1 place found" in html and "Oak Transitional House" in html
    html = _page(client, language="es")
    assert "1 place found" in html and "Elm Recovery House" in html
    html = _page(client, open_now="1")
    assert "1 place found" in html and "Downtown Food Pantry" in html
    html = _page(client, near="New Haven", radius_miles="10", sort="distance")
    assert "1 place found" in html and "miles away" in html


def test_profile_hides_or_labels_ineligible(client, login, catalog) -> None:  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    hidden = _page(client, q="house", on_registry="yes")
    assert "Elm Recovery House" not in hidden and "Oak Transitional House" in hidden
    shown = _page(client, q="house", on_registry="yes", eligibility_mode="show_all")
    assert "Elm Recovery House" in shown
    assert "Not eligible because:" in shown and "registry" in shown


def test_counselors_see_site_visit_concerns_and_old_figures(client, login, catalog) -> None:  # noqa: ANN001
    db.session.add(
        SiteVisit(
            service=catalog["oak"],
            visited_on=date(2025, 3, 1),
            visitor_name="A Counselor",
            safety=Rating.POOR,
            cleanliness=Rating.POOR,
            staff_responsiveness=Rating.ADEQUATE,
            overall=SiteVisitOverall.DO_NOT_REFER,
            notes="Broken heating.",
        )
    )
    db.session.commit()
    login(factories.make_user(Role.COUNSELOR))
    html = _page(client, q="house")
    assert "Site visit: do not refer" in html
    assert "Internal: last said 4 of 10 open" in html
    assert "Broken heating" not in html  # a label only; notes stay on the visit page


def test_facets_are_links_and_paging_keeps_the_filters(client, login, catalog) -> None:  # noqa: ANN001
    login(factories.make_user(Role.ANALYST))
    html = _page(client, need="housing")
    assert "need=housing&amp;need=housing.recovery" in html  # narrowing adds to the URL
    assert "Has room" in html
    for n in range(3):
        service(f"Extra House {n}")
    html = _page(client, q="house", per_page="2")
    assert "page 1 of 3" in html and "per_page=2&amp;page=2" in html
    second = _page(client, q="house", per_page="2", page="2")
    assert "page 2 of 3" in second and "Previous page" in second


def test_did_you_mean(client, login, catalog) -> None:  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    html = _page(client, q="pantri")
    assert "Downtown Food Pantry" in html  # a one-letter typo still finds it
    html = _page(client, q="panttryy")
    assert "Did you mean" in html and "q=pantry" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"near": "Atlantis Upon Sea"}, "could not find the place"),
        ({"near": "Hartford", "radius_miles": "900"}, "radius_miles must be"),
        ({"need": "spaceships"}, "Unknown need area"),
        ({"age": "old"}, "age must be a whole number"),
        ({"has_capacity": "perhaps"}, "has_capacity must be true or false"),
        ({"sort": "distance"}, "needs a place"),
    ],
)
def test_bad_input_is_a_friendly_message(client, login, catalog, args, message) -> None:  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    response = client.get("/staff/search", query_string={"q": "house", **args})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'value="house"' in html  # what was typed is kept


def test_zero_results_are_recorded_without_personal_data(client, login, catalog) -> None:  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    html = _page(
        client,
        q="goat farm",
        need="food",
        town="Hartford",
        near="12 Elm Street, Hartford, CT 06103",
        on_registry="yes",
        age="44",
        gender="female",
    )
    assert "0 places found" in html
    rows = list(db.session.scalars(select(ZeroResultSearch)))
    assert len(rows) == 1
    row = rows[0]
    assert (row.query_text, row.need_areas, row.town, row.source) == (
        "goat farm",
        ["food"],
        "Hartford",
        "staff",
    )
    assert row.filters["near"] == "06103"  # never the street address
    stored = repr((row.query_text, row.need_areas, row.town, row.filters)).lower()
    for personal in ("elm street", "44", "female", "registry", "on_registry"):
        assert personal not in stored
    _page(client, q="house")  # a search with results is not recorded
    assert db.session.scalar(select(db.func.count()).select_from(ZeroResultSearch)) == 1


def test_capacity_status_facet_counts(client, login, catalog) -> None:  # noqa: ANN001
    full = service("Pine House")
    factories.make_capacity(full, available=0, status=CapacityStatus.NO_CAPACITY)
    login(factories.make_user(Role.COUNSELOR))
    html = _page(client, q="house")
    facets = html[html.index("Narrow down") : html.index("</nav>", html.index("Narrow down"))]
    for label, count in (("Has room", 1), ("Full", 1), ("Unknown — figure too old", 1)):
        assert f'{label}</a> <span class="muted">({count})' in facets or (
            f'{label} <span class="muted">({count})' in facets
        )


def test_the_language_facet_names_languages(client, login, catalog) -> None:  # noqa: ANN001
    service("Golden Gate Clinic", needs=("housing.recovery",), languages=("zh", "pt"))
    login(factories.make_user(Role.COUNSELOR))
    html = _page(client, q="house clinic")
    facets = html[html.index("Language") :]
    assert "Chinese" in facets and "Portuguese" in facets
    assert ">zh<" not in html and ">pt<" not in html
