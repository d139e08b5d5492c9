"""Public home, search results and service page: plain, public, nothing internal."""

from __future__ import annotations

from datetime import date

import pytest

from app.directory.models import SiteVisit
from app.directory.vocabulary import Answer, CapacityStatus, Criterion, Rating, SiteVisitOverall
from app.extensions import db
from app.public.models import ServiceTranslation
from tests import factories
from tests.public.helpers import load_reference_data, public_service


@pytest.fixture
def index_dir(app, tmp_path):  # noqa: ANN001,ANN201
    from app.search.index import forget

    old = app.config["SEARCH_INDEX_DIR"]
    app.config["SEARCH_INDEX_DIR"] = str(tmp_path / "index")
    yield tmp_path / "index"
    forget(tmp_path / "index")
    app.config["SEARCH_INDEX_DIR"] = old


def test_home_lists_need_areas_and_the_card_box(app, client):  # noqa: ANN001
    load_reference_data()
    html = client.get("/").get_data(as_text=True)
    assert "What do you need?" in html
    assert 'href="/search?need=housing"' in html
    assert "Open my card" in html
    assert "Directory" not in html  # no staff navigation


def test_home_in_spanish_from_accept_language(app, client):  # noqa: ANN001
    load_reference_data()
    html = client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9"}).get_data(as_text=True)
    assert '<html lang="es">' in html
    assert "¿Qué necesita?" in html
    assert "Vivienda" in html  # need area names in Spanish


def test_language_switch_sticks(app, client):  # noqa: ANN001
    load_reference_data()
    client.get("/?lang=es")
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="es">' in html
    html = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html


def test_results_come_before_the_form_which_folds_into_one_line(app, client, index_dir):  # noqa: ANN001
    """With results, what was asked is one line above them and the form is folded under it
    (a <details>, no script needed); with none, the form stays open to try again."""
    load_reference_data()
    public_service("Harbor Night Shelter", needs=("housing.emergency_shelter",))
    html = client.get("/search?q=shelter&near=Hartford&who=men").get_data(as_text=True)
    summary = html.index('id="search-summary"')
    assert "“shelter” near Hartford (1 chosen)" in html
    assert html.index('<details class="search-edit">') < summary < html.index('name="q"')
    assert html.index('name="q"') < html.index('class="results"')
    html = client.get("/search?q=shelter&near=Hartford&lang=es").get_data(as_text=True)
    assert "“shelter” cerca de Hartford" in html and "Cambiar la búsqueda" in html
    html = client.get("/search?q=zzzz&lang=en").get_data(as_text=True)
    assert "No places found" in html and 'class="search-edit"' not in html
    assert 'name="q"' in html


def test_search_results_link_to_public_service_pages(app, client, index_dir):  # noqa: ANN001
    load_reference_data()
    shelter = public_service("Harbor Night Shelter", needs=("housing.emergency_shelter",))
    public_service("Job Start", needs=("employment",))
    response = client.get("/search?need=housing&near=Hartford")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Harbor Night Shelter" in html
    assert f'href="/services/{shelter.id}"' in html
    assert "Job Start" not in html


def test_unknown_town_is_explained_not_an_error(app, client, index_dir):  # noqa: ANN001
    load_reference_data()
    response = client.get("/search?near=Qwertyville%20Zzz")
    assert response.status_code == 422
    assert "could not find that town" in response.get_data(as_text=True)


def test_search_page_without_a_query_only_shows_the_form(app, client):  # noqa: ANN001
    load_reference_data()
    response = client.get("/search")
    assert response.status_code == 200
    assert "places found" not in response.get_data(as_text=True)


def test_service_page_shows_public_facts_and_hides_internal_ones(app, client):  # noqa: ANN001
    load_reference_data()
    service = public_service(
        "Hope House", needs=("housing.transitional",), bring=("State ID",), fees="Free"
    )
    factories.make_capacity(service, available=7, maximum=19, status=CapacityStatus.HAS_CAPACITY)
    factories.make_rule(service, Criterion.SEX_OFFENSE_REGISTRY, Answer.NO)
    db.session.add(
        SiteVisit(
            service=service,
            visited_on=date(2026, 1, 5),
            visitor_name="Inspector Gadgetson",
            safety=Rating.POOR,
            cleanliness=Rating.POOR,
            staff_responsiveness=Rating.GOOD,
            overall=SiteVisitOverall.DO_NOT_REFER,
            notes="Mould in the basement",
        )
    )
    db.session.commit()
    html = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert "Hope House" in html
    assert 'href="tel:+18605550100"' in html  # click to call
    assert "Get directions" in html
    assert "Monday" in html and "9:00" in html
    assert "State ID" in html
    assert "Does not accept people on the sex offense registry." in html
    assert "Call them to make sure" in html  # confirm-with-provider notice
    assert "Has space now" in html
    assert "Report a problem with this listing" in html
    # internal: no numbers, no site visit
    assert "7 of 19" not in html and ">7<" not in html
    assert "Mould" not in html and "Gadgetson" not in html and "Do not refer" not in html


def test_stale_capacity_says_nothing(app, client):  # noqa: ANN001
    service = public_service("Old Figures House")
    factories.make_capacity(service, status=CapacityStatus.HAS_CAPACITY, age_days=40)
    html = client.get(f"/services/{service.id}").get_data(as_text=True)
    assert "Has space now" not in html and "Full right now" not in html


def test_service_page_uses_the_providers_spanish_text(app, client):  # noqa: ANN001
    service = public_service("Food Pantry", description="Free groceries every week.")
    db.session.add(
        ServiceTranslation(
            service_id=service.id,
            language="es",
            name="Despensa de comida",
            description="Comida gratis cada semana.",
        )
    )
    db.session.commit()
    html = client.get(f"/services/{service.id}?lang=es").get_data(as_text=True)
    assert "Despensa de comida" in html and "Comida gratis cada semana." in html
    assert "lunes" in html.lower()  # hours in Spanish
    html = client.get(f"/services/{service.id}?lang=en").get_data(as_text=True)
    assert "Food Pantry" in html and "Free groceries every week." in html


def test_unknown_service_is_a_friendly_404(app, client):  # noqa: ANN001
    response = client.get("/services/not-a-real-id")
    assert response.status_code == 404
    assert "We could not find that page" in response.get_data(as_text=True)


def test_search_results_page_through_in_both_languages(app, client, index_dir):  # noqa: ANN001
    from app.public import routes

    load_reference_data()
    for i in range(routes.PER_PAGE + 2):
        public_service(f"Shelter {i:02d}", needs=("housing.emergency_shelter",))
    first = client.get("/search?need=housing").get_data(as_text=True)
    assert 'class="pager"' in first and "Page 1 of 2" in first
    assert '<a rel="next" href="/search?page=2&amp;need=housing">Next page</a>' in first
    assert "Previous page" not in first
    second = client.get("/search?need=housing&page=2&lang=es").get_data(as_text=True)
    assert "Página 2 de 2" in second and "Página anterior" in second
    assert 'rel="prev" href="/search?page=1&amp;need=housing"' in second


def test_did_you_mean_keeps_the_place_and_drops_empty_fields(app, client, index_dir):  # noqa: ANN001
    load_reference_data()
    public_service("Harbor Food Pantry", needs=("food",))
    html = client.get("/search?q=pamtri&near=Hartford").get_data(as_text=True)  # two edits
    suggestion = html[html.index("Did you mean:") :].split("</a>")[0]
    assert 'href="/search?q=pantry&amp;near=Hartford"' in suggestion, suggestion
