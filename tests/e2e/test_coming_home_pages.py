"""The staff pages of "Coming home" and of the HSDS import, walked in a real browser at 1280 px
and at 360 px on the demo network, like the role walks (test_roles.py): axe-core finds no
serious or critical WCAG 2.1 A/AA problem on any page visited, no page scrolls sideways, the
phone header stays under 100 px, and the page loads of each main task are counted.

- a counselor: a person's page with supervision conditions → record consent to texts → the
  texts on the person's page → the conditions form;
- a counselor: staff search for housing for the person on the registry, with the residency
  line on each house;
- an administrator: residency restrictions → load a sites file → add a rule;
- an administrator: Import HSDS data → upload → the run's report → probable duplicates.
"""

from __future__ import annotations

import re

import pytest

from app.seeding.demo_build import demo_id
from tests.e2e.walk import Visit, count_loads, sign_in

pytestmark = pytest.mark.e2e

MARCUS = ("client", "a")  # app.seeding.demo_referrals: curfew and area (demo_conditions)
DWAYNE = ("client", "f")  # on the registry, going to Waterbury (demo_residency)


def _h1(page) -> str:  # noqa: ANN001
    return page.get_by_role("heading", level=1).inner_text()


def _counselor_signed_in(demo, page, width, axe_source) -> tuple[Visit, list[str]]:  # noqa: ANN001
    """The demo counselor on their caseload; the walk's checks, and its page loads from here."""
    visit = Visit(page, width, axe_source)
    sign_in(page, demo, "counselor@example.org")
    page.wait_for_url("**/caseload")
    return visit, count_loads(page)


# --- a counselor: the person's page, conditions and texts -------------------------------------


def test_counselor_records_consent_to_texts_on_a_page_with_conditions(  # noqa: ANN001
    demo, page, width, shots, axe_source
) -> None:
    visit = Visit(page, width, axe_source)
    sign_in(page, demo, "counselor@example.org")
    page.wait_for_url("**/caseload")
    person = f"{demo}/referrals/clients/{demo_id(*MARCUS)}"

    loads = count_loads(page)
    page.goto(person)
    conditions = page.locator("#conditions")
    assert conditions.get_by_text(re.compile("6 pm")).first.is_visible(), "no curfew shown"
    assert page.get_by_text("No consent to texts").is_visible()
    visit.check()
    shots.take(page, "counselor-person-conditions", width)

    page.get_by_role("link", name="Record consent to texts").click()
    page.wait_for_url("**/texts/consent")
    visit.check()
    page.get_by_label("The person's mobile number").fill("(860) 555-0177")
    page.get_by_label(re.compile("The person agreed to get texts")).check()
    page.get_by_role("button", name="Record consent to texts").click()
    page.wait_for_url(re.compile(r"/referrals/clients/[^/]+(#texts)?$"))
    texts = page.locator("#texts")
    assert texts.get_by_text("Agreed to texts").is_visible()
    assert texts.get_by_text("0177").is_visible()
    consent_loads = len(loads)
    assert consent_loads <= 3, loads  # the person, the consent form, the person again
    visit.check()

    if texts.get_by_role("button", name="Send card by text").count():
        texts.get_by_role("button", name="Send card by text").click()
        page.wait_for_load_state()
        assert page.locator("#texts").get_by_text("Waiting to send").first.is_visible()
        visit.check()
    shots.take(page, "counselor-person-texts", width)

    change = re.compile("supervision conditions")
    page.locator("#conditions").get_by_role("link", name=change).click()
    page.wait_for_url("**/conditions")
    assert _h1(page).startswith("Supervision conditions")
    visit.check()
    shots.take(page, "counselor-conditions-form", width)
    visit.assert_clean()
    print(f"\ncounselor at {width}px: {consent_loads} page loads to record consent to texts")


# --- a counselor: housing for a person on the registry ----------------------------------------


def test_counselor_sees_residency_lines_for_a_person_on_the_registry(  # noqa: ANN001
    demo, page, width, shots, axe_source
) -> None:
    visit, loads = _counselor_signed_in(demo, page, width, axe_source)
    page.goto(
        f"{demo}/staff/search?client={demo_id(*DWAYNE)}&need=housing&at_destination=y"
        "&eligibility_mode=show_all"
    )
    lines = page.locator("dd.residency")
    assert lines.count() >= 1, "no residency line on the housing results"
    assert page.locator("dd.residency--barred").count() >= 1, "no barred house in the demo"
    assert len(loads) == 1, loads  # the results come with their residency lines
    visit.check()
    shots.take(page, "counselor-residency-search", width)

    edit = page.locator("details.search-edit > summary")
    if edit.count():  # the form folds away above the results
        edit.click()
    page.get_by_label(re.compile("Hide housing barred")).check()
    page.get_by_role("button", name=re.compile("^Search")).first.click()
    page.wait_for_url(re.compile(r"hide_barred="))
    assert page.locator("dd.residency--barred").count() == 0
    hidden = page.locator("#hidden-line")  # the search itself left them out, and says so
    assert hidden.is_visible() and "barred by residency rules" in hidden.inner_text()
    visit.check()
    visit.assert_clean()


# --- an administrator: residency restrictions -------------------------------------------------

SITES_CSV = (
    "kind,name,town,latitude,longitude\n"
    "school,Walk Test Elementary (sample),Waterbury,41.5582,-73.0515\n"
    "park,Walk Test Green (sample),Waterbury,41.5521,-73.0433\n"
)


def test_admin_loads_restricted_sites_and_adds_a_rule(  # noqa: ANN001
    demo, page, width, shots, axe_source, tmp_path
) -> None:
    visit = Visit(page, width, axe_source)
    sign_in(page, demo, "admin@example.org")
    page.wait_for_url("**/account/admin")

    page.locator("main").get_by_role("link", name=re.compile("Residency")).click()
    page.wait_for_url("**/residency/")
    assert _h1(page) == "Residency restrictions"
    visit.check()
    shots.take(page, "admin-residency", width)

    sites = tmp_path / "sites.csv"
    sites.write_text(SITES_CSV, encoding="utf-8")
    loads = count_loads(page)
    page.get_by_label(re.compile("Sites file")).set_input_files(str(sites))
    page.get_by_role("button", name="Load sites").click()
    page.wait_for_load_state()
    assert page.get_by_text("sites.csv: 2 sites added, 0 updated.").is_visible()
    assert len(loads) <= 2, loads  # the upload, and the page it redirects to
    visit.check()

    page.get_by_role("link", name="Add a rule").click()
    page.wait_for_url("**/residency/rules/new")
    visit.check()
    shots.take(page, "admin-residency-rule", width)
    page.get_by_label("Name").fill("Waterbury walk-test rule (sample)")
    page.get_by_label("Holds in").select_option(label="Town")
    page.get_by_label("State, county or town").fill("Waterbury")
    page.get_by_label("School", exact=True).check()
    page.get_by_label("Distance in feet").fill("1000")
    page.get_by_role("button", name=re.compile("Save")).click()
    page.wait_for_url("**/residency/")
    assert page.get_by_role("link", name="Waterbury walk-test rule (sample)").is_visible()
    visit.check()
    visit.assert_clean()


# --- an administrator: HSDS import and duplicates --------------------------------------------


def test_admin_imports_hsds_reads_the_report_and_reviews_duplicates(  # noqa: ANN001
    demo, page, width, shots, axe_source, tmp_path
) -> None:
    from tests.interop.sources import source_a, source_b, write_package

    first = write_package(tmp_path / "county.zip", source_a())
    second = write_package(tmp_path / "region-211.zip", source_b())
    visit = Visit(page, width, axe_source)
    sign_in(page, demo, "admin@example.org")
    page.wait_for_url("**/account/admin")
    page.locator("main").get_by_role("link", name=re.compile("Import HSDS")).click()
    page.wait_for_url("**/admin/hsds/imports")
    assert _h1(page) == "Import HSDS data"
    visit.check()
    shots.take(page, "admin-hsds-imports", width)

    loads = count_loads(page)
    for package in (first, second):
        page.goto(f"{demo}/admin/hsds/imports")
        page.get_by_label(re.compile("Datapackage")).set_input_files(str(package))
        page.get_by_role("button", name="Upload and import").click()
        page.wait_for_url(re.compile(r"/admin/hsds/imports/[^/]+$"))
        # The page refreshes itself every 3 seconds until the run ends.
        page.get_by_role("heading", name="Outcome").wait_for(timeout=60_000)
    visit.check()
    shots.take(page, "admin-hsds-report", width)
    report = page.locator("main").inner_text()
    assert "probable duplicate" in report.lower(), report[:1500]
    print(f"\nadmin at {width}px: {len(loads)} page loads for two uploads and their reports")

    page.goto(f"{demo}/admin/hsds/imports")  # the past imports, newest first
    assert page.locator("main table tbody tr").count() == 2
    visit.check()

    page.goto(f"{demo}/admin/hsds/duplicates")
    assert _h1(page) == "Probable duplicates"
    pairs = page.locator("main section.card")
    assert pairs.count() >= 1
    visit.check()
    shots.take(page, "admin-duplicates", width)
    pairs.first.get_by_role("button", name="Keep apart").click()
    page.wait_for_load_state()
    visit.check()
    visit.assert_clean()


# --- a counselor: who really accepts, in a search for a person ------------------------------

MARIA = ("client", "h")  # a violent conviction on her record (app.seeding.demo_referrals)


def test_counselor_search_for_a_person_ranks_and_says_who_really_accepts(  # noqa: ANN001
    demo, page, width, shots, axe_source
) -> None:
    visit, loads = _counselor_signed_in(demo, page, width, axe_source)
    page.goto(f"{demo}/staff/search?client={demo_id(*MARIA)}&q=outpatient")
    line = page.locator("#acceptance-line")
    assert line.is_visible(), "no line saying the ranking uses the figures"
    assert "Ranked partly by who really accepts" in line.inner_text()
    figure = page.get_by_text(re.compile("Accepted 4 of 6 referrals for people with a violent"))
    assert figure.first.is_visible()
    visit.check()
    shots.take(page, "counselor-search-who-accepts", width)
    assert len(loads) == 1  # the figures and their order come with the results
    visit.assert_clean()
