"""The verdict on staff pages for a person on the registry, the "hide barred housing" filter,
and privacy: never for provider staff, never on public pages or in the public API."""

from __future__ import annotations

from app.accounts.models import Role
from tests import factories

BARRED = "About 500 ft from school Elm Street School — barred under Connecticut school zone"
CLEAR = "No school within 1,000 ft"


def _get(client, url: str) -> str:  # noqa: ANN001
    response = client.get(url)
    text = response.get_data(as_text=True)
    assert response.status_code == 200, text[text.find("<main") :][:3000]
    return response.get_data(as_text=True)


def _card(html: str, name: str) -> str:
    start = html.index(f">{name}</a>")
    ends = [i for i in (html.find('<li class="card"', start), html.find("</ol>", start)) if i > 0]
    return html[start : min(ends)]


def test_staff_search_for_a_registrant_says_barred_or_clear_on_housing_only(town, login) -> None:  # noqa: ANN001
    client = login(town["counselor"])
    html = _get(
        client,
        f"/staff/search?client={town['registrant'].id}&near=Hartford&eligibility_mode=show_all",
    )
    assert BARRED in _card(html, "Elm Court House")
    assert CLEAR in _card(html, "Far Field House")
    assert "Residency" not in _card(html, "Elm Court Soup Kitchen")  # not housing
    assert "hidden-line" not in html


def test_hide_barred_housing_hides_it_and_says_how_many(town, login) -> None:  # noqa: ANN001
    client = login(town["counselor"])
    html = _get(
        client,
        f"/staff/search?client={town['registrant'].id}&near=Hartford&eligibility_mode=show_all&hide_barred=1",
    )
    assert "Elm Court House" not in html
    assert "Far Field House" in html
    assert "1 hidden — 1 barred by residency rules" in html
    assert 'name="hide_barred" value="1" id="hide_barred" checked' in html


def test_no_verdict_for_a_person_not_on_the_registry(town, login) -> None:  # noqa: ANN001
    client = login(town["counselor"])
    html = _get(
        client,
        f"/staff/search?client={town['other'].id}&near=Hartford&eligibility_mode=show_all&hide_barred=1",
    )
    assert "barred under" not in html
    assert "Elm Court House" in html  # the filter means nothing without a registrant


def test_an_anonymous_profile_on_the_registry_gets_the_verdict_too(town, login) -> None:  # noqa: ANN001
    client = login(town["counselor"])
    html = _get(client, "/staff/search?near=Hartford&on_registry=yes&eligibility_mode=show_all")
    assert BARRED in html


def test_provider_staff_never_see_it(town, login) -> None:  # noqa: ANN001
    org = factories.make_organization()
    provider = factories.make_user(Role.PROVIDER, organizations=[org])
    client = login(provider)
    html = _get(client, "/staff/search?near=Hartford&on_registry=yes&eligibility_mode=show_all")
    assert "barred under" not in html and "Residency" not in html
    page = _get(client, f"/directory/services/{town['barred'].id}")
    assert "Residency rules" not in page


def test_housing_service_page_shows_it_to_counselors(town, login) -> None:  # noqa: ANN001
    client = login(town["counselor"])
    page = _get(client, f"/directory/services/{town['barred'].id}")
    assert "Residency rules (people on the registry)" in page
    assert "Barred:</strong> About 500 ft from school Elm Street School" in page
    assert "Residency rules" not in _get(client, f"/directory/services/{town['kitchen'].id}")


def test_public_pages_and_the_api_never_show_it(town, client) -> None:  # noqa: ANN001
    for url in (
        "/search?q=house&near=Hartford",
        f"/services/{town['barred'].id}",
        "/api/search?near=Hartford&on_registry=true",
    ):
        response = client.get(url)
        text = response.get_data(as_text=True)
        assert "Elm Street School" not in text and "barred" not in text.lower(), url
