"""A home for every role: where sign-in lands, the link on the public home page, and the
provider's inbox as their start page (groups with counts, capacity figures about to go stale with
one-click "Still accurate", and accepting a referral in two page loads)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.common import utcnow
from app.directory.models import CapacityHistory
from app.directory.vocabulary import ServiceStatus
from app.extensions import db
from app.referrals.services import transition
from app.referrals.vocabulary import ReferralStatus
from tests import factories

HOMES = {
    "counselor": ("/caseload", "<h1>My caseload</h1>", "go to My caseload"),
    "provider": ("/referrals/inbox", "<h1>Referral inbox</h1>", "go to your referral inbox"),
    "analyst": ("/reports/", "<h1>Network measures", "go to Network measures"),
    "admin": ("/account/admin", "<h1>Administration</h1>", "go to Administration"),
}


def _page(client, url: str) -> str:  # noqa: ANN001
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def _section(html: str, anchor: str) -> str:
    return html.split(f'id="{anchor}"', 1)[1].split("</section>", 1)[0]


# --- where each role lands ---------------------------------------------------------------------


@pytest.mark.parametrize("who", sorted(HOMES))
def test_each_role_lands_on_its_own_home(client, world, who) -> None:  # noqa: ANN001
    url, heading, _words = HOMES[who]
    user = getattr(world, who)
    response = client.post(
        "/account/login", data={"email": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == url
    assert heading in _page(client, url)


@pytest.mark.parametrize("who", sorted(HOMES))
def test_the_public_home_links_signed_in_staff_to_their_home(client, login, world, who) -> None:  # noqa: ANN001
    url, _heading, words = HOMES[who]
    login(getattr(world, who))
    assert f'<a href="{url}">{words}</a>' in _page(client, "/")


def test_the_header_counts_unread_notifications_for_every_role(client, login, world) -> None:  # noqa: ANN001
    from app.notify.services import notify_users

    for who in HOMES:
        user = getattr(world, who)
        notify_users([user], "x", "News", "/directory/")
        notify_users([user], "x", "More news", "/directory/")
    db.session.commit()
    for who in HOMES:
        login(getattr(world, who))
        header = _page(client, HOMES[who][0]).split("</header>")[0]
        assert "Notifications (2" in header, who
        client.post("/account/logout")


# --- the provider's inbox leads with groups ----------------------------------------------------


def _referral(world, name: str, *, days_ago: float = 0):  # noqa: ANN001,ANN202
    service = factories.make_service(world.org, name=name)
    return factories.make_referral(
        world.client, service, world.counselor, now=utcnow() - timedelta(days=days_ago)
    )


def test_the_inbox_leads_with_new_overdue_and_awaiting_an_outcome(client, login, world) -> None:  # noqa: ANN001
    # A consent signed long ago covers the referral sent ten days ago.
    factories.make_consent(
        world.client, world.counselor, organization=world.org, signed_on=date(2020, 1, 1)
    )
    _referral(world, "Fresh One")
    _referral(world, "Fresh Two")
    _referral(world, "Late One", days_ago=10)
    accepted = _referral(world, "Taken One")
    transition(accepted, "accept", world.provider, expected_version=accepted.version)
    enrolled = _referral(world, "Started One")
    transition(enrolled, "accept", world.provider, expected_version=enrolled.version)
    transition(enrolled, "enroll", world.provider, expected_version=enrolled.version)
    declined = _referral(world, "Refused One")
    transition(
        declined, "decline", world.provider, expected_version=declined.version,
        reason_code="no_capacity",
    )  # fmt: skip
    db.session.commit()

    login(world.provider)
    html = _page(client, "/referrals/inbox")
    counts = html.split('class="figures inbox-counts"', 1)[1].split("</ul>", 1)[0]
    assert re.search(r"New</a> <strong>2</strong>", counts)
    assert re.search(r"Overdue</a> <strong>1</strong>", counts)
    assert re.search(r"Awaiting an outcome</a> <strong>2</strong>", counts)
    new, overdue, outcome = (_section(html, f"group-{k}") for k in ("new", "overdue", "outcome"))
    assert "Fresh One" in new and "Fresh Two" in new and "Late One" not in new
    assert "Late One" in overdue and "Fresh One" not in overdue
    assert "Taken One" in outcome and "Started One" in outcome
    assert "Refused One" not in html  # closed: not on the start page
    # The groups come before anything else on the page, in this order.
    assert html.index('id="group-new"') < html.index('id="group-overdue"')
    assert html.index('id="group-overdue"') < html.index('id="group-outcome"')


def test_a_counselor_still_sees_one_list_of_sent_referrals(client, login, world) -> None:  # noqa: ANN001
    _referral(world, "Fresh One")
    login(world.counselor)
    html = _page(client, "/referrals/inbox")
    assert "<h1>Sent referrals</h1>" in html
    assert "Fresh One" in html and 'id="group-new"' not in html
    assert 'id="capacity-due"' not in html


def test_accept_from_the_inbox_in_two_page_loads(client, login, world) -> None:  # noqa: ANN001
    referral = _referral(world, "Fresh One")
    login(world.provider)
    inbox = _page(client, "/referrals/inbox")  # where the provider lands
    link = re.search(r'href="(/referrals/[^"]+)">Fresh One</a>', inbox).group(1)

    page = _page(client, link)  # page load 1: the referral
    form = re.search(r'<form[^>]*action="([^"]*/step/accept)"(.*?)</form>', page, re.S)
    assert form, "the referral page offers Accept"
    fields = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', form.group(2)))
    response = client.post(form.group(1), data=fields, follow_redirects=True)  # page load 2
    assert response.status_code == 200
    assert "The referral is now accepted" in response.get_data(as_text=True)
    assert factories.reload(referral).status == ReferralStatus.ACCEPTED


# --- capacity figures about to go stale --------------------------------------------------------


def _figures(world):  # noqa: ANN001,ANN202
    """Ages against the default 14-day limit: fresh, stale in two days, stale already."""

    def figure(name: str, age: float):  # noqa: ANN202
        return factories.make_capacity(factories.make_service(world.org, name=name), age_days=age)

    fresh, soon, old = figure("Fresh House", 3), figure("Soon House", 12), figure("Old House", 20)
    closed = factories.make_service(world.org, name="Gone House", status=ServiceStatus.DEFUNCT)
    factories.make_capacity(closed, age_days=40)
    theirs = factories.make_service(world.other_org, name="Their House")
    factories.make_capacity(theirs, age_days=40)
    return fresh, soon, old


def test_the_inbox_lists_figures_about_to_go_stale(client, login, world) -> None:  # noqa: ANN001
    _figures(world)
    login(world.provider)
    html = _page(client, "/referrals/inbox")
    due = _section(html, "capacity-due")
    assert 'Capacity figures about to go stale <span class="muted">(2)</span>' in due
    assert "Soon House" in due and "Stale in 2 days" in due
    assert "Old House" in due and "Stale now" in due
    assert due.index("Old House") < due.index("Soon House")  # stalest first
    for other in ("Fresh House", "Gone House", "Their House", "Transitional Housing"):
        assert other not in due


def test_still_accurate_from_the_inbox_reconfirms_through_the_capacity_rule(
    client, login, world
) -> None:  # noqa: ANN001
    _fresh, soon, _old = _figures(world)
    before = soon.version
    login(world.provider)
    html = _page(client, "/referrals/inbox")
    form = re.search(
        rf'<form[^>]*action="(/directory/capacity/{soon.id}/confirm)"(.*?)</form>', html, re.S
    )
    fields = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', form.group(2)))
    assert fields["return_to"] == "inbox"
    response = client.post(form.group(1), data=fields)
    assert response.status_code == 303
    assert response.headers["Location"] == "/referrals/inbox#capacity-due"

    soon = factories.reload(soon)
    assert soon.version == before + 1
    assert utcnow() - soon.updated < timedelta(minutes=1)
    assert soon.updated_by_id == world.provider.id
    history = db.session.scalars(
        select(CapacityHistory).where(CapacityHistory.capacity_id == soon.id)
    ).all()
    assert [h.action for h in history] == ["confirm"]
    assert history[0].changed_by_id == world.provider.id

    page = _page(client, "/referrals/inbox")
    assert "capacity confirmed as still accurate" in page
    assert "Soon House" not in _section(page, "capacity-due")


def test_a_stale_still_accurate_click_changes_nothing(client, login, world) -> None:  # noqa: ANN001
    _fresh, soon, _old = _figures(world)
    login(world.provider)
    response = client.post(
        f"/directory/capacity/{soon.id}/confirm",
        data={"version": str(soon.version + 5), "return_to": "inbox"},
    )
    assert response.status_code == 409
    assert factories.reload(soon).version == soon.version


def test_another_organizations_figure_cannot_be_confirmed(client, login, world) -> None:  # noqa: ANN001
    theirs = factories.make_capacity(factories.make_service(world.other_org), age_days=20)
    login(world.provider)
    response = client.post(
        f"/directory/capacity/{theirs.id}/confirm",
        data={"version": str(theirs.version), "return_to": "inbox"},
    )
    assert response.status_code == 403
