"""Staff search that answers: the radius menu and the radius that survives the next search
(chosen, typed with the place, or from a link), the one-line summary of what was asked, the
hidden line ("N hidden — M would refuse this person, K have no room"), and "Back to results"
from a service page, which goes only to this site's staff search."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import current_app
from werkzeug.datastructures import MultiDict

from app.accounts.models import Role
from app.directory.eligibility import EligibilityProfile
from app.directory.models import Phone
from app.directory.vocabulary import Answer, CapacityStatus, Criterion, Gender, Supervision
from app.extensions import db
from app.search.forms import RADIUS_CHOICES
from app.search.hidden import hidden_line
from app.search.index import forget, rebuild_index
from app.search.query import SearchRequest
from app.search.summary import search_summary
from app.search.typed_radius import radius_from_place, split_radius
from tests import factories
from tests.search.conftest import service


@pytest.fixture
def catalog(index_dir: Path, taxonomy):  # noqa: ANN001,ANN201
    """Around Hartford: one house with room that takes everyone, one that refuses people on
    the registry, one full; one house in West Hartford (about 4 miles out)."""
    open_house = service("Open Door House", needs=("housing.transitional",))
    factories.make_capacity(open_house, available=2, age_days=1)
    no_registry = service("No Registry House", needs=("housing.transitional",))
    factories.make_capacity(no_registry, available=3, age_days=1)
    factories.make_rule(no_registry, Criterion.SEX_OFFENSE_REGISTRY, Answer.NO)
    full = service("Full Up House", needs=("housing.transitional",))
    factories.make_capacity(full, available=0, status=CapacityStatus.NO_CAPACITY, age_days=1)
    west = service("West Side House", needs=("housing.transitional",), lat=41.7621, lon=-72.77)
    factories.make_capacity(west, available=1, age_days=1)
    if current_app.config.get("SEARCH_BACKEND") != "postgres":  # rows need no rebuild
        rebuild_index(index_dir)
        forget(index_dir)
    return {"open": open_house, "no_registry": no_registry, "full": full, "west": west}


def _page(client, query: str) -> str:  # noqa: ANN001
    response = client.get("/staff/search?" + query)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def _selected_radius(html: str) -> list[str]:
    start = html.index('name="radius_miles"')
    select = html[start : html.index("</select>", start)]
    return re.findall(r'<option selected value="([^"]+)"', select)


def _links(html: str) -> list[str]:
    return [a.replace("&amp;", "&") for a in re.findall(r'href="([^"]+)"', html)]


# --- the radius --------------------------------------------------------------------------------


def test_the_radius_menu_offers_one_to_a_hundred_miles() -> None:
    assert [c.value for c in RADIUS_CHOICES] == ["1", "3", "5", "10", "15", "25", "50", "100"]
    assert [c.label for c in RADIUS_CHOICES][:2] == ["1 mile", "3 miles"]


def test_the_chosen_radius_survives_the_next_search(client, login, catalog) -> None:  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    html = _page(client, "near=Hartford&radius_miles=3&need=housing")
    assert _selected_radius(html) == ["3"]
    assert "within 3 miles of Hartford, CT" in html
    assert "West Side House" not in html  # about 4 miles out
    # The links that run the search again (facets, "show them", pages) keep it too.
    again = [a for a in _links(html) if a.startswith("/staff/search?")]
    assert again and all("radius_miles=3" in a for a in again)
    # No radius asked: the menu shows the default the search used.
    assert _selected_radius(_page(client, "near=Hartford")) == ["25"]


def test_a_radius_typed_with_the_place_moves_to_the_menu(client, login, catalog) -> None:  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    html = _page(client, "near=Hartford+within+3+miles&radius_miles=25&need=housing")
    assert 'name="near" type="text" value="Hartford"' in html
    assert _selected_radius(html) == ["3"]  # what was typed wins over the menu
    assert "3 places found within 3 miles of Hartford, CT" in html
    # Sent again as the form now stands, it is the same search.
    again = _page(client, "near=Hartford&radius_miles=3&need=housing")
    assert "3 places found within 3 miles of Hartford, CT" in again


def test_a_radius_that_is_not_on_the_menu_is_kept(client, login, catalog) -> None:  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    html = _page(client, "near=Hartford&radius_miles=7.5")
    assert _selected_radius(html) == ["7.5"]
    assert '<option selected value="7.5">7.5 miles</option>' in html
    html = _page(client, "near=Hartford+12+mi")
    assert _selected_radius(html) == ["12"]
    assert "within 12 miles of Hartford, CT" in html
    # "15.0" is the menu's 15, not a second 15.
    assert _selected_radius(_page(client, "near=Hartford&radius_miles=15.0")) == ["15"]


@pytest.mark.parametrize(
    ("typed", "place", "miles"),
    [
        ("Hartford within 15 miles", "Hartford", "15"),
        ("Hartford, 15 mi", "Hartford", "15"),
        ("06103 (10 miles)", "06103", "10"),
        ("within 1 mile of New Haven, CT", "New Haven, CT", "1"),
        ("2.5 mi from 06103", "06103", "2.5"),
        ("Hartford", "Hartford", None),
        ("15 Mile Road, Hartford", "15 Mile Road, Hartford", None),
        ("100 Main Street, Hartford, CT 06103", "100 Main Street, Hartford, CT 06103", None),
        ("15 miles", "15 miles", None),
        ("", "", None),
    ],
)
def test_split_radius(typed: str, place: str, miles: str | None) -> None:
    assert split_radius(typed) == (place, miles)


def test_radius_from_place_leaves_other_parameters_alone() -> None:
    args = MultiDict([("near", "Hartford 5 miles"), ("need", "housing"), ("need", "food")])
    out = radius_from_place(args)
    assert out["near"] == "Hartford" and out["radius_miles"] == "5"
    assert out.getlist("need") == ["housing", "food"]
    assert radius_from_place(MultiDict({"near": "Hartford"})) is not None


# --- what was asked, in one line ---------------------------------------------------------------


def test_the_summary_says_whom_the_places_must_accept() -> None:
    class Place:
        label = "Hartford, CT"

    request = SearchRequest(
        need_areas=("housing",),
        near="Hartford",
        radius_miles=15,
        has_capacity=True,
        profile=EligibilityProfile(
            on_registry=True,
            violent_conviction=False,
            gender=Gender.MALE,
            age=34,
            supervision=Supervision.PAROLE,
        ),
    )
    line = search_summary(request, {"housing": "Housing"}, place=Place())
    assert line == (
        "Housing near Hartford, CT within 15 miles, with room now, will accept: "
        "on the registry, no violent conviction, men, age 34, parole"
    )
    request.eligibility_mode = "show_all"
    request.radius_miles = 1
    line = search_summary(request, {"housing": "Housing"}, place=Place(), person=True)
    assert "within 1 mile," in line
    assert "marked for who would refuse this person: on the registry" in line
    assert search_summary(SearchRequest(text="bed"), {}) == "Any service matching “bed”"
    district = search_summary(
        SearchRequest(need_areas=("housing",)),
        {"housing": "Housing"},
        district="New Haven district office",
        hiding_barred=True,
    )
    assert district == (
        "Housing in the towns of the New Haven district office, "
        "without housing barred by residency rules"
    )


def test_the_summary_is_on_the_page_with_the_count(client, login, catalog) -> None:  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    html = _page(client, "need=housing&near=Hartford&radius_miles=3&on_registry=yes")
    summary = re.search(r'<span id="search-summary">([^<]*)</span>', html).group(1)
    assert summary == ("Housing near Hartford, CT within 3 miles, will accept: on the registry")
    # Results first: the count comes straight after the folded form.
    assert html.index('id="results-heading"') < html.index("Open Door House")
    assert "2 places found within 3 miles" in html
    # The parole district filter is said too.
    html = _page(client, "need=housing&near=Hartford&radius_miles=3&district=hartford")
    summary = re.search(r'<span id="search-summary">([^<]*)</span>', html).group(1)
    assert summary == (
        "Housing near Hartford, CT within 3 miles in the towns of the Hartford district office"
    )


# --- what was hidden ---------------------------------------------------------------------------


def test_the_hidden_line_in_words() -> None:
    assert hidden_line({}) is None
    line = hidden_line({"refuses": 7, "full": 3, "no_figure": 2})
    assert str(line) == (
        "12 hidden — 7 would refuse this person, 5 have no room now (3 full, 2 no recent figure)"
    )
    assert str(hidden_line({"waitlist": 1})) == "1 hidden — 1 has no room now (1 waitlist)"
    assert str(hidden_line({"refuses": 1})) == "1 hidden — 1 would refuse this person"


def test_the_hidden_line_and_show_them(client, login, catalog) -> None:  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    html = _page(client, "need=housing&near=Hartford&radius_miles=3&has_capacity=1&on_registry=yes")
    assert "1 place found" in html
    line = "2 hidden — 1 would refuse this person, 1 has no room now (1 full) — "
    assert line in html
    show = next(a for a in _links(html) if "show_hidden=1" in a)
    assert parse_qs(urlsplit(show).query)["radius_miles"] == ["3"]
    shown = _page(client, urlsplit(show).query)
    assert "3 places found" in shown
    assert "No Registry House" in shown and "Full Up House" in shown
    assert "Showing 2 usually hidden" in shown and "Hide them" in shown


def test_a_search_that_finds_nothing_still_says_what_was_hidden(client, login, catalog) -> None:  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    html = _page(client, "q=registry+no&near=Hartford&radius_miles=3&on_registry=yes")
    assert "0 places found" in html
    assert "1 hidden — 1 would refuse this person — " in html


# --- back to results ---------------------------------------------------------------------------


def test_back_to_results_returns_to_the_exact_search(client, login, catalog) -> None:  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    query = "need=housing&near=Hartford+within+3+miles&on_registry=yes&sort=distance"
    html = _page(client, query)
    service_url = f"/directory/services/{catalog['open'].id}"
    link = next(a for a in _links(html) if a.startswith(service_url))
    back = parse_qs(urlsplit(link).query)["back"][0]
    assert parse_qs(urlsplit(back).query) == {
        "need": ["housing"],
        "near": ["Hartford"],
        "radius_miles": ["3"],
        "on_registry": ["yes"],
        "sort": ["distance"],
    }
    page = client.get(link).get_data(as_text=True)
    anchor = f"{back}#r-{catalog['open'].id}".replace("&", "&amp;")
    assert f'<a href="{anchor}" id="back-to-results">← Back to results</a>' in page
    assert "← Directory" not in page
    assert f'id="r-{catalog["open"].id}"' in _page(client, urlsplit(back).query)


@pytest.mark.parametrize(
    "back",
    [
        "https://evil.example/staff/search?q=x",
        "//evil.example/staff/search?q=x",
        "/\\evil.example/staff/search",
        "\\\\evil.example/staff/search",
        "javascript:alert(1)//staff/search",
        "http:/staff/search",
        "/account/logout",
        "/staff/search/../account/logout",
        "/staff/search?q=x#elsewhere",
        "/staff/search?q=\x0a",
        "/staff/search?q=" + "x" * 2100,
        "",
    ],
)
def test_back_goes_only_to_this_sites_staff_search(client, login, catalog, back: str) -> None:  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    response = client.get(f"/directory/services/{catalog['open'].id}", query_string={"back": back})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Back to results" not in html and "← Directory" in html
    assert "evil.example" not in html


def test_the_service_page_leads_with_what_a_counselor_decides_on(client, login, catalog) -> None:  # noqa: ANN001
    svc = catalog["no_registry"]
    db.session.add(Phone(service=svc, number="8605550188", type="voice"))
    db.session.commit()
    login(factories.make_user(Role.COUNSELOR))
    html = client.get(f"/directory/services/{svc.id}").get_data(as_text=True)
    order = [
        'id="room-heading"',
        ">Who they accept<",
        ">Is this information current?<",
        'id="contact-heading"',
        'id="details-heading"',
        ">About this service<",
        ">Hours<",
        ">What to bring<",
    ]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    room = html[html.index('id="room-heading"') : html.index(">Who they accept<")]
    assert "3 of 10 beds open" in room and "updated yesterday" in room and "Has room" in room
    accept = html[html.index(">Who they accept<") : html.index('id="contact-heading"')]
    assert "sex-offense registry" in accept
    contact = html[html.index('id="contact-heading"') : html.index('id="details-heading"')]
    assert "Hartford" in contact and 'href="tel:' in contact
