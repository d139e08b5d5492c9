"""Public search in a real browser at 360 px and 1280 px: the search box first, "who is it for"
without script, results by distance with a phone to tap and space badges, 211 / 988; axe-core
finds no serious or critical problem (contrast of the badges included), in English and Spanish.

Screenshots go to the test's tmp_path, or to E2E_SCREENSHOTS when it names a folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.directory.vocabulary import Answer, CapacityStatus, Criterion, Gender
from app.extensions import db
from tests import factories
from tests.e2e.walk import WCAG_TAGS, axe_problems, no_sideways_scroll
from tests.public.helpers import load_reference_data

pytestmark = pytest.mark.e2e

HARTFORD = (41.7658, -72.6734)
WIDTHS = (360, 1280)


def _place(name: str, miles_north: float, needs: tuple[str, ...] = ("housing",)):  # noqa: ANN202
    from app.directory.models import TaxonomyTerm

    org = factories.make_organization(name=f"{name} Inc.")
    location = factories.make_location(
        org, latitude=HARTFORD[0] + miles_north / 69.05, longitude=HARTFORD[1]
    )
    service = factories.make_service(org, location=location, name=name)
    service.taxonomy_terms = [db.session.get(TaxonomyTerm, f"need-{code}") for code in needs]
    db.session.commit()
    return service


@pytest.fixture
def world(app, live_server):  # noqa: ANN001,ANN201
    from app.search.index import rebuild_index

    load_reference_data()
    far = _place("Riverside Recovery House", 16.2)
    factories.make_capacity(far)
    ruth = _place("Ruth House for Women", 4.4)
    factories.make_rule(ruth, Criterion.GENDER, Answer.YES, values=[Gender.FEMALE.value])
    factories.make_capacity(ruth, available=0, status=CapacityStatus.WAITLIST)
    full = _place("Harbor Night Shelter", 1.2, needs=("housing", "housing.emergency_shelter"))
    factories.make_capacity(full, available=0, status=CapacityStatus.NO_CAPACITY)
    old = _place("Elm Street Apartments", 8.0)
    factories.make_capacity(old, age_days=60)
    rebuild_index(app.config["SEARCH_INDEX_DIR"])
    return {"base": live_server}


@pytest.fixture
def shots(tmp_path) -> Path:  # noqa: ANN001
    folder = Path(os.environ.get("E2E_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _page(browser, width: int, locale: str = "en-US"):  # noqa: ANN001,ANN202
    context = browser.new_context(
        viewport={"width": width, "height": 800}, locale=locale, bypass_csp=True
    )
    return context, context.new_page()


@pytest.mark.parametrize("width", WIDTHS)
def test_home_to_a_phone_in_two_page_loads(world, browser, shots, width) -> None:  # noqa: ANN001
    context, page = _page(browser, width)
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    try:
        page.goto(world["base"] + "/")
        no_sideways_scroll(page, width)
        # The search box is the first thing under the heading, above the need areas.
        box = page.get_by_label("What do you need?").bounding_box()
        areas = page.locator(".need-grid").bounding_box()
        assert box["y"] < areas["y"]
        if width == 360:
            assert box["y"] < 800, "the search box is not on the first screen"
        assert page.get_by_role("link", name="988").is_visible()
        page.screenshot(path=str(shots / f"public-home-{width}.png"), full_page=True)

        page.get_by_label("Town or ZIP code").fill("Hartford")
        page.get_by_label("Type of help", exact=True).select_option("housing")
        page.get_by_role("button", name="Search").click()
        page.wait_for_url("**/search?**")
        assert len(loads) == 2  # home, results: the phone number is on the second page
        calls = page.locator("a.call-button")
        assert calls.count() == 4
        assert calls.first.get_attribute("href").startswith("tel:+1")
        names = page.locator(".result h3").all_inner_texts()
        assert names == [
            "Harbor Night Shelter",
            "Ruth House for Women",
            "Elm Street Apartments",
            "Riverside Recovery House",
        ]
        badges = page.locator(".result .badge").all_inner_texts()
        assert {"Full right now", "Waiting list", "Has space now"} <= {b.strip() for b in badges}
        # Results first: what was asked in one line, the form folded under it.
        assert page.locator("#search-summary").inner_text() == "Near Hartford"
        assert not page.get_by_label("What do you need?").is_visible()
        first = page.locator(".result").first.bounding_box()
        assert first["y"] + 100 < 800, "the first result is not on the first screen"
        no_sideways_scroll(page, width)
        page.screenshot(path=str(shots / f"public-results-{width}.png"), full_page=True)
        page.get_by_text("Change search").click()
        assert page.get_by_label("Town or ZIP code").input_value() == "Hartford"
    finally:
        context.close()


def test_who_its_for_works_without_script(world, browser, shots) -> None:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(world["base"] + "/search?need=housing&near=Hartford")
        page.get_by_text("Change search").click()  # opens the folded form (a <details>)
        page.get_by_text("Who is it for?").first.click()  # and its own <details>
        page.get_by_label("Men", exact=True).check()
        page.get_by_role("button", name="Search").click()
        page.wait_for_url("**who=men**")
        names = page.locator(".result h3").all_inner_texts()
        assert "Ruth House for Women" not in names and len(names) == 3
        assert page.get_by_text("1 place is hidden because").is_visible()
        page.get_by_role("link", name="Best match").click()
        assert page.locator(".result h3").first.inner_text() == "Riverside Recovery House"
        page.screenshot(path=str(shots / "public-results-who-360.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "path", ["/", "/search?need=housing&near=Hartford&who=women&who=young_adults"]
)
def test_axe_finds_no_serious_problems(world, browser, axe_source, path, width, lang) -> None:  # noqa: ANN001
    context, page = _page(browser, width)
    try:
        sep = "&" if "?" in path else "?"
        page.goto(world["base"] + path + f"{sep}lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        bad = axe_problems(page, axe_source, (*WCAG_TAGS, "best-practice"))
        assert bad == [], "\n".join(bad)
    finally:
        context.close()
