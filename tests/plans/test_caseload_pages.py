"""My caseload as a counselor meets it: where sign-in lands, the page and its filters, the
header's unread count, the line on the public home page, and a query count that does not grow
with the caseload."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from app.accounts.models import Role
from app.clock import local_today
from app.extensions import db
from app.notify.services import notify_users
from app.plans import services
from tests import factories


def _person(world, days: int, **kw):  # noqa: ANN001,ANN003,ANN202
    return factories.make_client(
        world.counselor, projected_release_date=local_today() + timedelta(days=days), **kw
    )


def _page(client, url: str = "/caseload") -> str:  # noqa: ANN001
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _header(page: str) -> str:
    return page.split("</header>")[0]


# --- landing -----------------------------------------------------------------------------------


def test_a_counselor_lands_on_my_caseload(client, world) -> None:  # noqa: ANN001
    response = client.post(
        "/account/login", data={"email": world.counselor.email, "password": factories.PASSWORD}
    )
    assert response.headers["Location"] == "/caseload"
    assert "<h1>My caseload</h1>" in _page(client, response.headers["Location"])


# Every other role's start page: tests/referrals/test_provider_home.py.


def test_a_next_target_still_wins(client, world) -> None:  # noqa: ANN001
    response = client.post(
        "/account/login",
        data={"email": world.counselor.email, "password": factories.PASSWORD, "next": "/inbox"},
    )
    assert response.headers["Location"] == "/inbox"


def test_navigation_offers_my_caseload_to_counselors_only(client, login, world) -> None:  # noqa: ANN001
    login(world.counselor)
    assert 'href="/caseload">My caseload</a>' in _header(_page(client, "/directory/"))
    client.post("/account/logout")
    login(world.provider)
    assert "My caseload" not in _page(client, "/directory/")


# --- the page ----------------------------------------------------------------------------------


def test_each_person_with_their_figures_soonest_first(client, login, world) -> None:  # noqa: ANN001
    soon = _person(world, 20, first_name="Soonest", last_name="Person")
    _person(world, 7, first_name="Within", last_name="Aweek")
    plan = services.start_plan(soon, world.counselor)
    db.session.commit()
    factories.make_referral(soon, world.service, world.counselor)
    notify_users([world.counselor], "consent.expiring", "Consent", f"/referrals/clients/{soon.id}")
    db.session.commit()
    login(world.counselor)
    page = _page(client)
    assert re.search(r"3 people,\s+1 releasing within 7 days", page)
    assert page.index("Within Aweek") < page.index("Soonest Person") < page.index("Zebulon")
    card = page[page.index(f'id="person-{soon.id}"') :].split("</li>")[0]
    assert f'href="/referrals/clients/{soon.id}/plan">Soonest Person</a>' in card
    assert f'href="/referrals/clients/{soon.id}"' in card  # the client record
    assert "Release in 20 days" in card
    assert world.facility.name in card
    assert plan.phase.label in card
    arranged, counted = services.readiness(plan)
    assert f"{arranged} of {counted} essential items arranged" in card
    assert "2 overdue" in card  # housing and ID, due 30 days before release
    assert "1 awaiting an answer" in card
    assert "1 unread" in card


def test_no_plan_yet_offers_to_start_one(client, login, world) -> None:  # noqa: ANN001
    login(world.counselor)
    page = _page(client)
    assert "No plan yet" in page
    assert f'action="/referrals/clients/{world.client.id}/plan/start"' in page
    response = client.post(
        f"/referrals/clients/{world.client.id}/plan/start",
        data={"csrf_token": ""},  # CSRF is off in tests; the form posts its token in real use
    )
    assert response.status_code == 303
    assert "/plan/start" not in _page(client)


def test_results_come_before_the_filters_and_nothing_needs_a_table(client, login, world) -> None:  # noqa: ANN001
    login(world.counselor)
    page = _page(client)
    assert page.index('id="caseload-count"') < page.index('class="caseload"')
    assert page.index('class="caseload"') < page.index('id="filters"')
    # A list of cards whose figures wrap: nothing wider than a 360 px screen, no sideways scroll.
    assert "<table" not in page
    assert 'name="viewport" content="width=device-width' in page
    assert 'form method="get"' in page  # filters work without JavaScript


def test_filters_narrow_the_list_and_stay_chosen(client, login, world) -> None:  # noqa: ANN001
    elsewhere = factories.make_facility(name="Elsewhere Correctional")
    there = _person(world, 9, facility_id=elsewhere.id, first_name="Far", last_name="Away")
    services.start_plan(there, world.counselor)
    db.session.commit()
    login(world.counselor)
    page = _page(client, f"/caseload?facility={elsewhere.id}&phase=in_facility")
    assert "Far Away" in page
    assert "Zebulon Quixwell" not in page
    assert re.search(r"1 person,\s+0 releasing", page)
    assert f'<option selected value="{elsewhere.id}">' in page
    assert '<option selected value="in_facility">' in page
    page = _page(client, "/caseload?phase=none")
    assert "Zebulon Quixwell" in page
    assert "Far Away" not in page


def test_a_bad_filter_is_named_and_the_list_shown_whole(client, login, world) -> None:  # noqa: ANN001
    login(world.counselor)
    response = client.get("/caseload?phase=on_the_moon&facility=nowhere")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Not a valid choice" in page
    assert "Zebulon Quixwell" in page


def test_another_counselors_people_are_not_on_my_page(client, login, world) -> None:  # noqa: ANN001
    factories.make_client(world.outsider, first_name="Someone", last_name="Else")
    login(world.counselor)
    page = _page(client)
    assert "Someone Else" not in page
    assert re.search(r"1 person,", page)


def test_admins_see_everyone_and_are_told_why(client, login, world) -> None:  # noqa: ANN001
    factories.make_client(world.outsider, first_name="Someone", last_name="Else")
    login(world.admin)
    page = _page(client)
    assert "Caseload: everyone" in page
    assert "Someone Else" in page and "Zebulon Quixwell" in page


@pytest.mark.parametrize("who", ["provider", "analyst"])
def test_providers_and_analysts_are_refused(client, login, world, who) -> None:  # noqa: ANN001
    login(getattr(world, who))
    assert client.get("/caseload").status_code == 403


# --- the header's unread count -----------------------------------------------------------------


def test_the_header_counts_unread_notifications(client, login, world) -> None:  # noqa: ANN001
    plain = 'href="/referrals/notifications">Notifications</a>'  # zero: no number at all
    login(world.counselor)
    assert plain in _header(_page(client, "/directory/"))
    for n in range(12):
        notify_users([world.counselor], "x", f"News {n}", "/directory/")
    notify_users([world.outsider], "x", "Not mine", "/directory/")
    db.session.commit()
    unread = '<span class="visually-hidden"> unread</span>'
    link = f'href="/referrals/notifications">Notifications (12{unread})</a>'
    assert link in _header(_page(client, "/directory/"))
    client.post("/referrals/notifications/read")
    assert plain in _header(_page(client, "/caseload"))


# --- the public home page ----------------------------------------------------------------------


def test_home_tells_signed_in_staff_where_their_day_starts(client, login, world) -> None:  # noqa: ANN001
    assert "Signed in as" not in _page(client, "/")
    login(world.counselor)
    page = _page(client, "/")
    assert "Signed in as Casey Counselor" in page
    assert '<a href="/caseload">go to My caseload</a>' in page
    assert "Find help after release" in page  # the public page itself is unchanged
    client.post("/account/logout")
    login(world.provider)
    assert '<a href="/referrals/inbox">go to your referral inbox</a>' in _page(client, "/")


def test_the_signed_in_line_speaks_spanish_too(client, login, world) -> None:  # noqa: ANN001
    login(world.counselor)
    page = _page(client, "/?lang=es")
    assert "Sesión iniciada como Casey Counselor" in page
    assert "ir a Mi lista de casos" in page


# --- a fixed number of queries -----------------------------------------------------------------


@contextmanager
def _counting() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # noqa: ANN001,ANN002
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _caseload_of(world, size: int) -> None:  # noqa: ANN001
    for n in range(size - 1):
        person = _person(world, n)
        if n % 2:  # half with a plan, half offered "Start the plan"
            services.start_plan(person, world.counselor)
            db.session.commit()
        referral = factories.make_referral(person, world.service, world.counselor)
        notify_users([world.counselor], "x", "News", f"/referrals/{referral.id}")
        db.session.commit()


def _queries_for_page(client, login, world, size: int) -> int:  # noqa: ANN001
    _caseload_of(world, size)
    login(world.counselor)
    client.get("/caseload")  # warm up: first-use queries (e.g. the session's user) settle
    with _counting() as statements:
        page = _page(client)
    assert re.search(rf"{size} people,", page)
    return len(statements)


def test_the_page_asks_as_many_queries_for_30_people_as_for_5(client, login, world, app) -> None:  # noqa: ANN001
    small = _queries_for_page(client, login, world, 5)
    assert small <= 12
    # A second, larger caseload for another counselor, measured the same way.
    big_world = world
    big_world.counselor = factories.make_user(Role.COUNSELOR, facility=world.facility)
    big_world.client = factories.make_client(big_world.counselor)
    client.post("/account/logout")
    assert _queries_for_page(client, login, big_world, 30) == small
