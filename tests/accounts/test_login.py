"""Signing in and out: one message for every failure, safe redirects, deactivation."""

from __future__ import annotations

import re

import pytest

from app.accounts.models import Role
from app.accounts.routes import LOGIN_FAILED
from tests import factories


def _error_summary(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, html[:1000]
    return match.group(0)


def test_good_login_lands_on_the_inbox_and_records_sign_in(client):
    user = factories.make_user(Role.PROVIDER)
    assert user.last_login_at is None
    response = client.post(
        "/account/login", data={"email": user.email.upper(), "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/referrals/inbox"  # a provider's start page
    assert client.get("/account/me").status_code == 200
    assert factories.reload(user).last_login_at is not None


def test_wrong_password_and_unknown_email_get_the_same_answer(client):
    user = factories.make_user(Role.COUNSELOR)
    wrong = client.post("/account/login", data={"email": user.email, "password": "nope nope nope"})
    unknown = client.post(
        "/account/login", data={"email": "nobody@example.org", "password": "nope nope nope"}
    )
    assert wrong.status_code == unknown.status_code == 422
    assert LOGIN_FAILED in wrong.get_data(as_text=True)
    assert _error_summary(wrong.get_data(as_text=True)) == _error_summary(
        unknown.get_data(as_text=True)
    )
    assert client.get("/account/me").status_code == 302  # still signed out


def test_inactive_user_cannot_sign_in(client):
    user = factories.make_user(Role.ADMIN, active=False)
    response = client.post(
        "/account/login", data={"email": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 422
    assert LOGIN_FAILED in response.get_data(as_text=True)
    assert client.get("/account/me").status_code == 302


def test_deactivated_user_is_signed_out_on_next_request(client, login, db):
    user = factories.make_user(Role.COUNSELOR)
    login(user)
    assert client.get("/account/me").status_code == 200
    user.active = False
    db.session.commit()
    response = client.get("/account/me")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "https://evil.example/x", "/\\evil.example", "javascript:alert(1)"],
)
def test_next_never_leaves_the_site(client, target):
    user = factories.make_user(Role.COUNSELOR)
    response = client.post(
        "/account/login",
        data={"email": user.email, "password": factories.PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/caseload"  # a counselor's own start page


def test_next_within_the_site_is_honoured(client):
    user = factories.make_user(Role.COUNSELOR)
    page = client.get("/account/login?next=/directory/%3Fx%3D1").get_data(as_text=True)
    assert 'value="/directory/?x=1"' in page  # carried through the form
    response = client.post(
        "/account/login",
        data={"email": user.email, "password": factories.PASSWORD, "next": "/directory/?x=1"},
    )
    assert response.headers["Location"] == "/directory/?x=1"


def test_logout_is_a_post(client, login):
    user = factories.make_user(Role.COUNSELOR)
    login(user)
    assert client.get("/account/logout").status_code == 405
    assert client.get("/account/me").status_code == 200
    response = client.post("/account/logout")
    assert response.status_code == 302
    assert client.get("/account/me").status_code == 302


def test_login_page_links_to_forgot_password(client):
    page = client.get("/account/login").get_data(as_text=True)
    assert 'href="/account/forgot"' in page
