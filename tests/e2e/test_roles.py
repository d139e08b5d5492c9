"""Every role's main task in a real browser, at 1280 px and at 360 px, on the demo network:

- a person on a phone (no account): home → results → a service → their card by its code;
  a service's phone number within two page loads of the home page;
- provider staff: sign in → referral inbox → a new referral → Accept in at most two page loads
  from the inbox; "Still accurate" on a capacity figure about to go stale;
- a counselor: sign in → My caseload → a person's plan → Find a place (the whole day is walked in
  test_counselor_day.py);
- an analyst: sign in → Network measures → a table's CSV download;
- an administrator: sign in → Administration → the audit trail filtered by days → the outbox.

axe-core runs on every page visited (no serious or critical WCAG 2.1 A/AA problem), no page
scrolls sideways, and every main page is saved as a full-page screenshot (E2E_SCREENSHOTS or the
test's tmp_path/screenshots). With E2E_README_SHOTS=docs/screenshots the role's main page is
also written as a small README picture (`make screenshots`).
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from tests.e2e.walk import Visit, count_loads, sign_in

pytestmark = pytest.mark.e2e


# --- a person on a phone (and at a desk), no account ---------------------------------------


def test_person_finds_help_and_opens_their_card(demo, page, width, shots, axe_source) -> None:  # noqa: ANN001
    from app.public.sample import sample_card_code

    visit = Visit(page, width, axe_source)
    page.goto(demo + "/")
    visit.check()
    shots.take(page, "public-home", width, readme=True)

    page.get_by_role("link", name="Housing", exact=True).first.click()
    page.wait_for_url(re.compile(r"/search\?"))
    results = page.locator("li.result")
    assert results.count() >= 1
    visit.check()
    shots.take(page, "public-results", width)

    results.first.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/services/[^/]+$"))
    assert page.locator('main a[href^="tel:"]').count() >= 1, "no phone on the service page"
    visit.check()
    shots.take(page, "public-service", width)

    page.goto(demo + "/card")
    page.get_by_label("Card code").fill(sample_card_code().lower().replace("-", " "))
    page.get_by_role("button", name="Open my card").click()
    page.wait_for_url(f"**/card/{sample_card_code()}")
    assert page.locator("svg.qr").is_visible()
    visit.check()
    shots.take(page, "public-card", width)
    visit.assert_clean()


def test_a_services_phone_within_two_page_loads_of_home(demo, page, width) -> None:  # noqa: ANN001
    loads = count_loads(page)
    page.goto(demo + "/")
    page.get_by_role("link", name="Housing", exact=True).first.click()
    page.wait_for_url(re.compile(r"/search\?"))
    call = page.locator('li.result a[href^="tel:"]').first
    assert call.is_visible(), "no phone number in the results"
    assert len(loads) <= 2, loads  # home, results


# --- provider staff ------------------------------------------------------------------------


def test_provider_accepts_a_new_referral_in_two_page_loads(  # noqa: ANN001
    demo, page, width, shots, axe_source
) -> None:
    visit = Visit(page, width, axe_source)
    sign_in(page, demo, "provider@example.org")
    page.wait_for_url("**/referrals/inbox")  # provider staff start on their inbox
    assert page.get_by_role("heading", level=1).inner_text() == "Referral inbox"
    visit.check()
    shots.take(page, "provider-inbox", width, readme=True)

    loads = count_loads(page)
    new = page.locator("#group-new tbody tr")
    assert new.count() >= 1, "the demo inbox has no new referral"
    service = new.first.get_by_role("link").first.inner_text()
    new.first.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/referrals/[^/]+$"))
    visit.check()
    shots.take(page, "provider-referral", width)
    page.get_by_role("button", name="Accept", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".badge", has_text=re.compile("^Accepted$")).first.is_visible(), (
        f"{service} not accepted: {page.url}"
    )
    visit.check()
    accepted_loads = len(loads)
    assert accepted_loads <= 2, loads  # the referral, then the referral again once accepted

    # A capacity figure about to go stale: one click keeps it fresh, back on the inbox.
    page.goto(demo + "/referrals/inbox")
    due = page.locator("#capacity-due li.card")
    before = due.count()
    assert before >= 1, "the demo has no capacity figure about to go stale"
    name = due.first.get_by_role("heading").inner_text()
    due.first.get_by_role("button", name="Still accurate").click()
    page.wait_for_url(re.compile(r"/referrals/inbox"))
    assert page.locator("#capacity-due li.card").count() == before - 1, name
    visit.check()
    visit.assert_clean()
    print(f"\nprovider at {width}px: {accepted_loads} page loads from the inbox to accepted")


# --- counselor -------------------------------------------------------------------------------


def test_counselor_finds_a_place_from_the_caseload(demo, page, width, shots, axe_source) -> None:  # noqa: ANN001
    visit = Visit(page, width, axe_source)
    sign_in(page, demo, "counselor@example.org")
    page.wait_for_url("**/caseload")
    assert page.get_by_role("heading", level=1).inner_text() == "My caseload"
    visit.check()
    shots.take(page, "counselor-caseload", width, readme=True)

    page.get_by_role("link", name="Terrence Placeholder").first.click()
    page.wait_for_url(re.compile(r"/referrals/clients/[^/]+/plan$"))
    visit.check()
    shots.take(page, "counselor-plan", width)

    housing = page.locator("li", has=page.get_by_role("heading", name="Housing", exact=True))
    housing.get_by_role("link", name=re.compile("^Find a place")).click()
    page.wait_for_url(re.compile(r"/staff/search\?"))
    assert page.get_by_role("link", name=re.compile("^Refer to ")).count() >= 1
    visit.check()
    shots.take(page, "counselor-search", width)
    visit.assert_clean()


# --- analyst ---------------------------------------------------------------------------------


def test_analyst_downloads_a_table_of_network_measures(  # noqa: ANN001
    demo, page, width, shots, axe_source
) -> None:
    visit = Visit(page, width, axe_source)
    sign_in(page, demo, "analyst@example.org")
    page.wait_for_url(re.compile(r"/reports/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Network measures"
    visit.check()
    shots.take(page, "analyst-dashboard", width, readme=True)

    link = page.get_by_role("link", name=re.compile(r"^Download this table \(CSV\)")).first
    assert link.is_visible()
    with page.expect_download() as download:
        link.click()
    body = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert body.count("\n") >= 2, body  # a header and at least one row
    visit.assert_clean()


# --- administrator ---------------------------------------------------------------------------


def test_admin_filters_the_audit_trail_by_day_and_opens_the_outbox(  # noqa: ANN001
    demo, page, width, shots, axe_source
) -> None:
    from app.clock import local_date
    from app.common import utcnow

    visit = Visit(page, width, axe_source)
    sign_in(page, demo, "admin@example.org")
    page.wait_for_url("**/account/admin")
    assert page.get_by_role("heading", level=1).inner_text() == "Administration"
    visit.check()
    shots.take(page, "admin-home", width, readme=True)

    page.locator("main").get_by_role("link", name="Audit trail").click()
    page.wait_for_url("**/account/audit")
    today = local_date(utcnow())
    page.get_by_label("From (day)").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("To (day)").fill(today.isoformat())
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"/account/audit\?.*since="))
    assert page.locator("main table tbody tr").count() >= 1, "no audit entries for the demo days"
    assert page.get_by_role("link", name="Show everything").is_visible()
    visit.check()
    shots.take(page, "admin-audit", width)

    page.goto(demo + "/account/admin")
    page.locator("main").get_by_role("link", name="E-mail outbox").click()
    page.wait_for_url("**/account/outbox")
    assert page.get_by_role("heading", level=1).inner_text() == "E-mail outbox"
    visit.check()
    shots.take(page, "admin-outbox", width)
    visit.assert_clean()
