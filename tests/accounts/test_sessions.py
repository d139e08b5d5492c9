"""Signing out ends the session on the server: cookies captured before sign-out (the session
cookie and the remember-me cookie) no longer sign anyone in; the CSRF token changes on sign-in."""

from __future__ import annotations

import re
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest

from app.accounts.models import Role
from app.common import utcnow
from tests import factories

ME = "/account/me"
REMEMBER = "remember_token"


def _signed_in(client) -> bool:  # noqa: ANN001
    response = client.get(ME)
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    return False


def _cookie(client, name: str) -> str:  # noqa: ANN001
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def test_session_cookie_from_before_sign_out_is_refused_after_it(app, client, login):  # noqa: ANN001
    user = factories.make_user(Role.COUNSELOR)
    login(user)
    assert _signed_in(client)
    captured = _cookie(client, "session")

    assert client.post("/account/logout").status_code == 302
    assert not _signed_in(client)

    replay = app.test_client()
    replay.set_cookie("session", captured)
    assert not _signed_in(replay)


def test_remember_cookie_from_before_sign_out_is_refused_after_it(app, client):  # noqa: ANN001
    user = factories.make_user(Role.PROVIDER)
    response = client.post(
        "/account/login",
        data={"email": user.email, "password": factories.PASSWORD, "remember": "y"},
    )
    assert response.status_code == 302
    remembered = _cookie(client, REMEMBER)

    before = app.test_client()  # a browser that kept only the remember-me cookie
    before.set_cookie(REMEMBER, remembered)
    assert _signed_in(before)

    assert client.post("/account/logout").status_code == 302

    after = app.test_client()
    after.set_cookie(REMEMBER, remembered)
    assert not _signed_in(after)


def test_sign_out_signs_the_user_out_of_every_browser(app, client, login):  # noqa: ANN001
    user = factories.make_user(Role.COUNSELOR)
    other = app.test_client()
    other.post("/account/login", data={"email": user.email, "password": factories.PASSWORD})
    assert _signed_in(other)

    login(user)
    client.post("/account/logout")

    assert not _signed_in(other)
    login(user)  # signing in again works, with a fresh session
    assert _signed_in(client)


def test_sign_out_leaves_other_users_signed_in(app, client, login):  # noqa: ANN001
    colleague = factories.make_user(Role.COUNSELOR)
    theirs = app.test_client()
    theirs.post("/account/login", data={"email": colleague.email, "password": factories.PASSWORD})

    login(factories.make_user(Role.COUNSELOR))
    client.post("/account/logout")
    assert _signed_in(theirs)


def test_remember_cookie_lasts_thirty_days_not_a_year(client):  # noqa: ANN001
    user = factories.make_user(Role.COUNSELOR)
    response = client.post(
        "/account/login",
        data={"email": user.email, "password": factories.PASSWORD, "remember": "y"},
    )
    header = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(REMEMBER))
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", header).group(1))
    assert timedelta(days=29) < expires - utcnow() <= timedelta(days=30, minutes=1)


@pytest.fixture
def csrf_on(app, monkeypatch):  # noqa: ANN001, ANN201
    """The suite runs without CSRF; these tests need it as in production."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def _csrf_on_page(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, html[:2000]
    return match.group(1)


def test_csrf_token_from_before_sign_in_is_refused_after_it(client, csrf_on):  # noqa: ANN001
    user = factories.make_user(Role.COUNSELOR)
    before = _csrf_on_page(client.get("/account/login").get_data(as_text=True))
    signed_in = client.post(
        "/account/login",
        data={"email": user.email, "password": factories.PASSWORD, "csrf_token": before},
    )
    assert signed_in.status_code == 302

    refused = client.post("/account/logout", data={"csrf_token": before})
    assert refused.status_code == 400
    assert _signed_in(client)

    fresh = _csrf_on_page(client.get(ME).get_data(as_text=True))
    assert fresh != before
    assert client.post("/account/logout", data={"csrf_token": fresh}).status_code == 302
    assert not _signed_in(client)
