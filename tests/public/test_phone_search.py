"""Public search on a phone: sorted by distance, a phone to tap on every result, space badges
that differ by meaning, "who it's for", the search box first, the 211 / 988 line."""

from __future__ import annotations

import re

import pytest

from app.directory.models import Phone, Service
from app.directory.vocabulary import Answer, CapacityStatus, Criterion, Gender
from app.extensions import db
from app.public.search_view import profile_for
from app.search.index import forget
from tests import factories
from tests.public.helpers import load_reference_data

HARTFORD = (41.7658, -72.6734)


@pytest.fixture
def index_dir(app, tmp_path):  # noqa: ANN001,ANN201
    old = app.config["SEARCH_INDEX_DIR"]
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "index")
    yield tmp_path / "index"
    forget(tmp_path / "index")
    app.config["SEARCH_INDEX_DIR"] = old


def place(
    name: str, *, miles_north: float = 0.0, phone: str = "(860) 555-0100", needs=("housing",)
) -> Service:  # noqa: ANN001,E501
    """A housing service `miles_north` of downtown Hartford, with its own phone number."""
    from app.directory.models import TaxonomyTerm

    org = factories.make_organization(name=f"{name} Org")
    location = factories.make_location(
        org, latitude=HARTFORD[0] + miles_north / 69.05, longitude=HARTFORD[1]
    )
    service = factories.make_service(org, location=location, name=name)
    service.phones[0].number = phone
    service.taxonomy_terms = [db.session.get(TaxonomyTerm, f"need-{code}") for code in needs]
    db.session.commit()
    return service


def result_names(html: str) -> list[str]:
    # On a Spanish page an English name is marked <span lang="en"> for screen readers.
    return re.findall(
        r'<h3><a href="/services/[^"]+">(?:<span lang="en">)?([^<]+)(?:</span>)?</a></h3>', html
    )


# --- sort ---------------------------------------------------------------------------------------


def test_a_place_sorts_by_distance_and_best_match_is_a_choice(app, client, index_dir) -> None:  # noqa: ANN001
    load_reference_data()
    far = place("Far House", miles_north=16.2)
    factories.make_capacity(far)  # room now: ranks first by best match
    place("Near House", miles_north=4.4)
    html = client.get("/search?need=housing&near=Hartford").get_data(as_text=True)
    assert result_names(html) == ["Near House", "Far House"]
    assert re.search(r"4\.\d miles away.*16\.\d miles away", html, re.S)
    assert '<span class="current" aria-current="true">Distance</span>' in html
    best = client.get("/search?need=housing&near=Hartford&sort=relevance").get_data(as_text=True)
    assert result_names(best) == ["Far House", "Near House"]
    assert '<span class="current" aria-current="true">Best match</span>' in best


def test_without_a_place_there_is_no_distance_sort(app, client, index_dir) -> None:  # noqa: ANN001
    load_reference_data()
    place("Near House", miles_north=4.4)
    response = client.get("/search?need=housing&sort=distance")  # asked, but no place: ignored
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert result_names(html) == ["Near House"]
    assert "Sort by:" not in html


# --- what a result shows ------------------------------------------------------------------------


def test_home_to_a_phone_number_in_two_page_loads(app, client, index_dir) -> None:  # noqa: ANN001
    load_reference_data()
    place("Harbor Shelter", phone="(860) 555-0199")
    home = client.get("/").get_data(as_text=True)  # page load 1
    link = re.search(r'href="(/search\?need=housing)"', home).group(1)
    results = client.get(link).get_data(as_text=True)  # page load 2
    assert '<a class="call-button" href="tel:+18605550199">' in results
    assert "Call (860) 555-0199" in results


def test_the_phone_falls_back_to_the_organizations(app, client, index_dir) -> None:  # noqa: ANN001
    load_reference_data()
    service = place("Quiet House")
    db.session.delete(service.phones[0])
    service.organization.phones.append(Phone(number="(203) 555-0123", type="voice"))
    service.organization.phones.append(Phone(number="(203) 555-0999", type="fax"))
    db.session.commit()
    html = client.get("/search?need=housing").get_data(as_text=True)
    assert 'href="tel:+12035550123"' in html
    assert "555-0999" not in html  # a fax is not something to tap and call


def test_space_badges_differ_by_meaning_in_color_icon_and_words(app, client, index_dir) -> None:  # noqa: ANN001
    load_reference_data()
    factories.make_capacity(place("Room House"))
    factories.make_capacity(place("Wait House"), available=0, status=CapacityStatus.WAITLIST)
    factories.make_capacity(place("Full House"), available=0, status=CapacityStatus.NO_CAPACITY)
    factories.make_capacity(place("Old House"), age_days=60)  # too old to trust
    place("Food Place", needs=("food",))  # lists no space at all
    html = client.get("/search?q=&near=Hartford").get_data(as_text=True)
    cards = dict(
        re.findall(r'<h3><a href="/services/[^"]+">([^<]+)</a></h3>(.*?)</li>', html, re.S)
    )
    expected = {
        "Room House": ("badge--ok", "Has space now"),
        "Wait House": ("badge--wait", "Waiting list"),
        "Full House": ("badge--stop", "Full right now"),
        "Old House": ("badge--unknown", "Space not known: call to ask"),
    }
    for name, (css, words) in expected.items():
        badge = re.search(r'<span class="badge (badge--\w+)">(.*?)</span>', cards[name], re.S)
        assert badge.group(1) == css, name
        assert words in badge.group(2) and "<svg" in badge.group(2), name
    assert "Has space now" not in cards["Food Place"] and "call to ask" not in cards["Food Place"]
    assert len({css for css, _ in expected.values()}) == 4


def test_the_service_page_shows_space_with_the_same_meaning_badge(app, client, index_dir) -> None:  # noqa: ANN001
    load_reference_data()
    expected = {
        "Room House": ("badge--ok", "Has space now"),
        "Wait House": ("badge--wait", "Waiting list"),
        "Full House": ("badge--stop", "Full right now"),
    }
    factories.make_capacity(room := place("Room House"))
    factories.make_capacity(
        wait := place("Wait House"), available=0, status=CapacityStatus.WAITLIST
    )
    factories.make_capacity(
        full := place("Full House"), available=0, status=CapacityStatus.NO_CAPACITY
    )
    for service in (room, wait, full):
        html = client.get(f"/services/{service.id}").get_data(as_text=True)
        css, words = expected[service.name]
        assert f'<span class="badge {css}">{words}</span>' in html, service.name


# --- who it's for -------------------------------------------------------------------------------


def test_who_its_for_hides_places_that_would_turn_them_away(app, client, index_dir) -> None:  # noqa: ANN001
    load_reference_data()
    women = place("Ruth House")
    factories.make_rule(women, Criterion.GENDER, Answer.YES, values=[Gender.FEMALE.value])
    older = place("Elder House")
    factories.make_rule(older, Criterion.AGE, Answer.YES, min_age=25)
    youth = place("Youth House")
    factories.make_rule(youth, Criterion.AGE, Answer.YES, min_age=18, max_age=24)
    place("Open House")

    def shown(query: str) -> list[str]:
        html = client.get("/search?need=housing" + query).get_data(as_text=True)
        return sorted(result_names(html))

    everyone = ["Elder House", "Open House", "Ruth House", "Youth House"]
    assert shown("") == everyone
    assert shown("&who=women") == everyone
    assert shown("&who=men") == ["Elder House", "Open House", "Youth House"]
    assert shown("&who=young_adults") == ["Open House", "Ruth House", "Youth House"]
    assert shown("&who=families") == ["Open House", "Ruth House"]  # adults-only places hidden
    assert shown("&who=veterans") == everyone
    assert shown("&who=men&who=women") == everyone  # both: gender is not used
    assert shown("&who=nonsense") == everyone
    html = client.get("/search?need=housing&who=men&who=young_adults").get_data(as_text=True)
    assert "2 places are hidden because they would turn away the people you chose." in html
    assert 'href="/search?need=housing">Show every place</a>' in html
    assert 'value="men" checked' in html and 'value="young_adults" checked' in html
    assert '<details class="who-for" open>' in html


def test_profile_for_the_chosen_groups() -> None:
    assert profile_for([]) is None
    profile = profile_for(["women", "veterans", "young_adults"])
    assert profile.gender == Gender.FEMALE and profile.veteran is True
    assert profile.age_range == (18, 24) and profile.age is None
    assert profile_for(["families", "young_adults"]).age_range == (0, 24)
    assert profile_for(["families"]).with_children is True
    assert profile_for(["men"]).with_children is None


def test_families_see_who_takes_children_and_not_who_refuses_them(app, client, index_dir) -> None:  # noqa: ANN001
    """A provider says whether it takes families with children: "no" hides it from families,
    "yes" says so on the result; a place that says nothing is kept (not saying is not refusing)."""
    load_reference_data()
    family = place("Family House")
    factories.make_rule(family, Criterion.FAMILIES, Answer.YES)
    adults = place("Adults House")
    factories.make_rule(adults, Criterion.FAMILIES, Answer.NO)
    place("Quiet House")

    def shown(query: str) -> list[str]:
        html = client.get("/search?need=housing" + query).get_data(as_text=True)
        return sorted(result_names(html))

    assert shown("") == ["Adults House", "Family House", "Quiet House"]
    assert shown("&who=families") == ["Family House", "Quiet House"]
    assert shown("&who=men") == ["Adults House", "Family House", "Quiet House"]
    page = client.get(f"/services/{family.id}").get_data(as_text=True)
    assert "Takes families with children." in page
    page = client.get(f"/services/{adults.id}?lang=es").get_data(as_text=True)
    assert "Solo adultos: no acepta niños." in page


def test_pages_keep_the_choices(app, client, index_dir) -> None:  # noqa: ANN001
    load_reference_data()
    for n in range(22):
        place(f"House {n:02d}", miles_north=n / 10)
    html = client.get("/search?need=housing&near=Hartford&who=women&sort=relevance").get_data(
        as_text=True
    )
    next_page = re.search(r'<a rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "who=women" in next_page and "sort=relevance" in next_page and "page=2" in next_page


# --- home and help lines ------------------------------------------------------------------------


def test_the_search_box_comes_first_on_home(app, client) -> None:  # noqa: ANN001
    load_reference_data()
    html = client.get("/").get_data(as_text=True)
    assert html.index('id="q"') < html.index('class="need-grid"')
    assert html.index('id="near"') < html.index('class="need-grid"')


@pytest.mark.parametrize("path", ["/", "/search", "/search?need=housing"])
def test_211_and_988_on_home_and_results(app, client, index_dir, path) -> None:  # noqa: ANN001
    load_reference_data()
    html = client.get(path).get_data(as_text=True)
    assert '<a href="tel:211">211</a>' in html
    assert '<a href="tel:988">988</a>' in html
    assert "suicide crisis" in html


def test_spanish_page_finds_vivienda_without_a_made_up_correction(app, client, index_dir) -> None:  # noqa: ANN001
    load_reference_data()
    place("Harbor Shelter", needs=("housing.emergency_shelter",))
    place("Food Place", needs=("food",))
    html = client.get("/search?q=vivienda&lang=es").get_data(as_text=True)
    assert result_names(html) == ["Harbor Shelter"]
    assert "Llamar al (860) 555-0100" in html
    assert "Quiso decir" not in html
    assert "988" in html
