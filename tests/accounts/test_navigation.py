"""The staff header: links that share a menu fold into one <details> menu when a person has two
or more of them (administrators' header was three lines at 1280 px); the account menu holds
"Your account" and "Sign out"; the unread count stays on its own link."""

from __future__ import annotations

import re

import pytest

from app.accounts.models import Role
from app.templating import fold_into_menus
from tests import factories


def _header(html: str) -> str:
    """The wide-screen row of links (a phone gets the same list folded under "Menu")."""
    header = html[html.index("<header") : html.index("</header>")]
    folded = header.find('<details class="nav-phone">')
    return header if folded < 0 else header[:folded]


def _phone_menu(html: str) -> str:
    header = html[html.index("<header") : html.index("</header>")]
    return header[header.index('<details class="nav-phone">') :]


def _menu(header: str, name: str) -> str:
    match = re.search(rf"<summary>{name}</summary>(.*?)</details>", header, re.S)
    assert match, header
    return match.group(1)


def test_fold_keeps_order_and_leaves_a_single_member_alone() -> None:
    items = [
        {"endpoint": "a", "menu": None},
        {"endpoint": "r1", "menu": "Reports"},
        {"endpoint": "b", "menu": None},
        {"endpoint": "r2", "menu": "Reports"},
        {"endpoint": "x", "menu": "Lonely"},
    ]
    folded = fold_into_menus(items)
    assert [i.get("endpoint") or i["menu"] for i in folded] == ["a", "Reports", "b", "x"]
    assert [link["endpoint"] for link in folded[1]["links"]] == ["r1", "r2"]


def test_administrators_get_a_reports_menu_and_an_account_menu(client, login) -> None:  # noqa: ANN001
    login(factories.make_user(Role.ADMIN, name="Ada Admin"))
    header = _header(client.get("/account/admin").get_data(as_text=True))
    reports = _menu(header, "Reports")
    assert '<a href="/reports/">Network measures</a>' in reports
    assert '<a href="/reports/scorecard">Scorecard</a>' in reports
    account = _menu(header, "Ada Admin")
    assert '<a href="/account/me">Your account</a>' in account
    assert 'action="/account/logout"' in account and "Sign out</button>" in account
    assert 'name="csrf_token"' in account
    # Every top-level entry, in order: one line of ten at 1280 px.
    top = re.findall(r'<li><a href="[^"]+">([^<]+)</a></li>|<summary>([^<]+)</summary>', header)
    assert [a or b for a, b in top] == [
        "Directory", "My caseload", "Search", "Clients", "Referrals", "Capacity", "Reports",
        "Network measures", "Scorecard", "Administration", "Notifications", "Ada Admin",
        "Your account",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("role", "link"),
    [(Role.ANALYST, '<a href="/reports/">Network measures</a>'),
     (Role.PROVIDER, '<a href="/reports/scorecard">Scorecard</a>')],
)  # fmt: skip
def test_one_report_stays_a_plain_link(client, login, role, link) -> None:  # noqa: ANN001
    login(factories.make_user(role, organizations=[factories.make_organization()]))
    header = _header(client.get("/account/me").get_data(as_text=True))
    assert f"<li>{link}</li>" in header
    assert "<summary>Reports</summary>" not in header


def test_signing_out_from_the_account_menu_works(client, login) -> None:  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    assert client.post("/account/logout").status_code == 302
    assert client.get("/account/me").status_code == 302  # signed out: back to sign-in


def test_a_phone_gets_the_same_links_folded_under_menu_with_the_unread_count(client, login) -> None:  # noqa: ANN001
    """At 360 px the header was four lines (168 px); the links now fold into one "Menu"."""
    from app.extensions import db
    from app.notify.services import notify_users

    user = factories.make_user(Role.ADMIN, name="Ada Admin")
    for n in range(3):
        notify_users([user], "test", f"Test notice {n}", "/account/me")
    db.session.commit()
    login(user)
    html = client.get("/account/admin").get_data(as_text=True)
    phone = _phone_menu(html)
    summary = re.search(r"<summary>(.*?)</summary>", phone, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", summary).split() == ["Menu", "(3", "unread", "notifications)"]
    links = lambda part: re.findall(r'<a href="([^"]+)">', part)  # noqa: E731
    assert links(phone) == links(_header(html)) and "/account/admin" in links(phone)
    assert html.count('aria-label="Main"') == 2  # one is display:none at each width


def test_signed_out_header_has_no_menu(client) -> None:  # noqa: ANN001
    html = client.get("/account/login").get_data(as_text=True)
    assert "nav-phone" not in html and "Staff sign in" in html
