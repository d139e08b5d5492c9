"""The counselor's day in a real browser, on the demo network: sign in → My caseload → a
person's plan → Find a place for housing → Refer → Released today → the person's card page
shows the plan. Counts the page loads from the caseload to a sent referral and a card: the
issue's goal is at most 12 (it used to take about 30)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.walk import axe_problems

pytestmark = pytest.mark.e2e

PERSON = "Terrence Placeholder"  # demo client: release in 40 days, housing still to do
PAGE_LOAD_BUDGET = 12


@pytest.fixture
def desk(browser):  # noqa: ANN001,ANN201
    # bypass_csp lets the test inject axe-core; the app's own pages never need inline script.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-US", bypass_csp=True
    )
    page = context.new_page()
    yield page
    context.close()


def _count_loads(page) -> list[str]:  # noqa: ANN001
    """Every document the main frame commits to (a followed redirect is one load)."""
    loads: list[str] = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(frame.url))
    return loads


def test_caseload_to_sent_referral_and_card_in_few_page_loads(demo, desk, axe_source) -> None:  # noqa: ANN001
    desk.goto(demo + "/account/login")
    desk.get_by_label("E-mail").fill("counselor@example.org")
    desk.get_by_label("Password").fill("demo-counselor-2026")
    desk.get_by_role("button", name="Sign in").click()
    desk.wait_for_url("**/caseload")  # a counselor's day starts on the caseload
    loads = _count_loads(desk)
    loads.append(desk.url)  # the caseload itself is the first page of the task
    problems = axe_problems(desk, axe_source)

    desk.get_by_role("link", name=PERSON).first.click()
    desk.wait_for_url(re.compile(r"/referrals/clients/[^/]+/plan$"))
    problems += axe_problems(desk, axe_source)
    housing = desk.locator("li", has=desk.get_by_role("heading", name="Housing", exact=True))
    housing.get_by_role("link", name=re.compile("^Find a place")).click()
    desk.wait_for_url(re.compile(r"/staff/search\?"))
    # Results first: the count and the first result come before the (folded) form.
    problems += axe_problems(desk, axe_source)
    desk.get_by_role("link", name=re.compile("^Refer to ")).first.click()
    desk.wait_for_url(re.compile(r"/plans/items/[^/]+/refer"))
    service = desk.get_by_role("heading", level=1).inner_text()
    problems += axe_problems(desk, axe_source)
    consent = desk.get_by_label("The person signed a consent to share with this organization")
    if consent.count():
        consent.check()
    desk.get_by_role("button", name="Send referral").click()
    desk.wait_for_url(re.compile(r"/plan(#item-[^/]+)?$"))
    assert "Referral sent to" in desk.content()
    referral_loads = len(loads)

    desk.get_by_role("button", name="Released today").click()
    desk.wait_for_url(re.compile(r"/plan/released$"))
    code = desk.locator("strong.code").first.inner_text()
    problems += axe_problems(desk, axe_source)
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", code), code
    # The person opens their card by its code (the printed address names the public site).
    desk.goto(f"{demo}/card/{code}")
    page = desk.content()
    problems += axe_problems(desk, axe_source)
    assert problems == [], "\n".join(problems)
    assert len(loads) <= PAGE_LOAD_BUDGET, loads
    assert referral_loads <= 6, loads

    # The person's card page shows the plan in plain words, and nothing that names them.
    assert "Your counselor is working on this" in page
    assert "Terrence" not in page and "Placeholder" not in page and "SAMPLE-" not in page
    print(
        f"\ncounselor's day: {referral_loads} page loads to the sent referral, {len(loads)} "
        f"to the card page ({service})"
    )
