"""Forgotten passwords: one answer for everyone, a link by real e-mail that works once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.accounts.routes import RESET_SENT
from app.accounts.tokens import TokenError, TokenProblem, make_reset_token, user_for_token
from app.common import utcnow
from app.notify.models import OutboxMessage
from app.notify.services import send_pending
from tests import factories
from tests.accounts.conftest import link_in

NEW_PASSWORD = "a brand new long password"


def _outbox(db):  # noqa: ANN001, ANN202
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage)).all()


def _ask_for_link(client, email: str):  # noqa: ANN001, ANN202
    response = client.post("/account/forgot", data={"email": email}, follow_redirects=True)
    assert response.status_code == 200
    assert RESET_SENT in response.get_data(as_text=True)
    return response


def _reset(client, path: str, password: str = NEW_PASSWORD):  # noqa: ANN001, ANN202
    return client.post(path, data={"password": password, "confirm": password})


def test_mailed_link_resets_the_password_once(client, smtp, db):
    facility = factories.make_facility(name="Hartford Correctional Center")
    user = factories.make_user(Role.COUNSELOR, facility=facility, name="Dana Reyes")
    _ask_for_link(client, user.email.upper())

    [body] = smtp.bodies_to(user.email)
    assert body.startswith("Hello Dana Reyes,")
    assert user.email not in body and facility.name not in body  # nothing personal but a greeting
    path = link_in(body)

    assert "Choose a new password" in client.get(path).get_data(as_text=True)
    response = _reset(client, path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"
    assert factories.reload(user).check_password(NEW_PASSWORD)
    assert (
        client.post(
            "/account/login", data={"email": user.email, "password": NEW_PASSWORD}
        ).status_code
        == 302
    )

    again = client.get(path)
    assert again.status_code == 404
    assert "This link cannot be used" in again.get_data(as_text=True)
    assert _reset(client, path, "yet another long password").status_code == 404
    assert factories.reload(user).check_password(NEW_PASSWORD)


def test_unknown_and_inactive_addresses_get_the_same_answer_and_no_mail(client, smtp, db):
    inactive = factories.make_user(Role.COUNSELOR, active=False)
    _ask_for_link(client, "nobody@example.org")
    _ask_for_link(client, inactive.email)
    assert smtp.messages == []
    assert _outbox(db) == []


def test_forgot_page_rejects_a_non_address_without_saying_more(client, db):
    response = client.post("/account/forgot", data={"email": "not an address"})
    assert response.status_code == 422
    assert 'value="not an address"' in response.get_data(as_text=True)
    assert _outbox(db) == []


def test_reset_form_requires_long_matching_passwords(client, db):
    user = factories.make_user(Role.PROVIDER)
    path = f"/account/reset/{make_reset_token(user)}"
    short = _reset(client, path, "too short")
    assert short.status_code == 422
    assert "Use at least 12 characters." in short.get_data(as_text=True)
    mismatch = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"})
    assert mismatch.status_code == 422
    assert "The two passwords do not match." in mismatch.get_data(as_text=True)
    assert factories.reload(user).check_password(factories.PASSWORD)


def test_expired_link_shows_a_friendly_page(client, app, db):
    user = factories.make_user(Role.COUNSELOR)
    max_age = app.config["PASSWORD_RESET_MAX_AGE"]
    old = make_reset_token(user, issued_at=utcnow() - timedelta(seconds=max_age + 5))
    fresh_enough = make_reset_token(user, issued_at=utcnow() - timedelta(seconds=max_age - 60))

    with pytest.raises(TokenError) as caught:
        user_for_token(old)
    assert caught.value.problem is TokenProblem.EXPIRED
    assert user_for_token(fresh_enough) is user

    response = client.get(f"/account/reset/{old}")
    assert response.status_code == 410
    page = response.get_data(as_text=True)
    assert "This link has expired" in page
    assert 'href="/account/forgot"' in page
    assert _reset(client, f"/account/reset/{old}").status_code == 410
    assert factories.reload(user).check_password(factories.PASSWORD)


@pytest.mark.parametrize("token", ["garbage", "eyJ1IjoiMSJ9.tampered.sig"])
def test_invalid_link_shows_a_friendly_page(client, token):
    response = client.get(f"/account/reset/{token}")
    assert response.status_code == 404
    assert "This link cannot be used" in response.get_data(as_text=True)


def test_link_for_a_deactivated_account_is_refused(client, db):
    user = factories.make_user(Role.COUNSELOR)
    token = make_reset_token(user)
    user.active = False
    db.session.commit()
    assert client.get(f"/account/reset/{token}").status_code == 404


def test_changing_the_password_voids_earlier_links(db):
    user = factories.make_user(Role.COUNSELOR)
    token = make_reset_token(user)
    user.set_password("changed it another way")
    db.session.commit()
    with pytest.raises(TokenError) as caught:
        user_for_token(token)
    assert caught.value.problem is TokenProblem.INVALID


def test_mail_server_down_keeps_message_pending_then_delivers(client, smtp_down, db):
    user = factories.make_user(Role.COUNSELOR)
    _ask_for_link(client, user.email)  # same answer although nothing could be sent

    [message] = _outbox(db)
    assert message.sent_at is None and not message.failed
    assert message.attempts == 1
    assert "Connection" in message.last_error or "refused" in message.last_error.lower()

    smtp_down.start()
    message.next_attempt_at = utcnow() - timedelta(seconds=1)  # the retry backoff has passed
    db.session.commit()
    assert send_pending(ids=[message.id]) == (1, 0)
    assert factories.reload(message).sent_at is not None
    [body] = smtp_down.collector.bodies_to(user.email)
    assert _reset(client, link_in(body)).status_code == 302
    assert factories.reload(user).check_password(NEW_PASSWORD)
