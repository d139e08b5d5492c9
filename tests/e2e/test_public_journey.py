"""In a real browser on a 360 px phone: search -> service page -> card by code; language
switch; print layout; axe-core finds no serious or critical problems, in English and Spanish."""

from __future__ import annotations

import pytest

from app.public.cards import format_code
from tests.public.helpers import load_reference_data, make_card, public_service
from tests.public.pdftext import page_count

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(app, live_server):  # noqa: ANN001,ANN201
    from app.search.index import rebuild_index

    load_reference_data()
    shelter = public_service(
        "Harbor Night Shelter", needs=("housing.emergency_shelter",), bring=("State ID",)
    )
    id_office = public_service("Town ID Office", needs=("entitlements",))
    card = make_card([shelter, id_office])
    rebuild_index(app.config["SEARCH_INDEX_DIR"])
    return {"base": live_server, "shelter": shelter, "card": card}


def _no_sideways_scroll(page) -> None:  # noqa: ANN001
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"page is {width}px wide at a 360px viewport"


def test_search_service_and_card_on_a_phone(world, phone):  # noqa: ANN001
    base = world["base"]
    phone.goto(base + "/")
    _no_sideways_scroll(phone)
    phone.get_by_role("link", name="Housing", exact=True).click()
    phone.wait_for_url("**/search?need=housing")
    _no_sideways_scroll(phone)
    phone.get_by_role("link", name="Harbor Night Shelter").click()
    phone.wait_for_url(f"**/services/{world['shelter'].id}")
    assert phone.get_by_role("heading", level=1).inner_text() == "Harbor Night Shelter"
    assert phone.locator('a[href^="tel:"]').count() >= 1
    _no_sideways_scroll(phone)

    phone.goto(base + "/card")
    code = format_code(world["card"].code)
    phone.get_by_label("Card code").fill(code.lower().replace("-", " "))
    phone.get_by_role("button", name="Open my card").click()
    phone.wait_for_url(f"**/card/{code}")
    assert phone.get_by_role("heading", name="Harbor Night Shelter").is_visible()
    assert phone.locator("svg.qr").is_visible()
    _no_sideways_scroll(phone)


def test_language_switch_sticks(world, phone):  # noqa: ANN001
    base = world["base"]
    phone.goto(base + "/")
    phone.get_by_role("link", name="Español").click()
    assert phone.locator("html").get_attribute("lang") == "es"
    phone.goto(base + f"/services/{world['shelter'].id}")
    assert phone.locator("html").get_attribute("lang") == "es"
    assert phone.get_by_role("heading", name="Qué traer").is_visible()
    phone.get_by_role("link", name="English").click()
    phone.goto(base + "/")
    assert phone.locator("html").get_attribute("lang") == "en"


def test_print_layout_is_one_letter_page(world, phone, tmp_path):  # noqa: ANN001
    code = format_code(world["card"].code)
    phone.goto(world["base"] + f"/card/{code}/print")
    phone.emulate_media(media="print")
    assert not phone.get_by_text("Use your browser's Print button").is_visible()
    phone.screenshot(path=str(tmp_path / "card-print.png"), full_page=True)
    pdf = phone.pdf(format="Letter", print_background=True, prefer_css_page_size=True)
    assert page_count(pdf) == 1


PAGES = {
    "home": "/",
    "results": "/search?need=housing&near=Hartford",
    "service": "/services/{service}",
    "card": "/card/{code}",
}


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_problems(world, phone, axe_source, name, lang):  # noqa: ANN001
    path = PAGES[name].format(service=world["shelter"].id, code=world["card"].code)
    sep = "&" if "?" in path else "?"
    phone.goto(world["base"] + path + f"{sep}lang={lang}")
    assert phone.locator("html").get_attribute("lang") == lang
    phone.add_script_tag(content=axe_source)
    result = phone.evaluate(
        """async () => await axe.run(document, {
              runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                               'best-practice']}})"""
    )
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], "\n".join(bad)
