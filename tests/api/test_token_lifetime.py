"""API tokens expire (90 days unless chosen otherwise when made), record their last use at most
once a minute, and stop working when their owner's password is changed or reset."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.accounts.api_tokens import authenticate_token, create_token
from app.accounts.models import ApiToken, Role
from app.accounts.tokens import make_reset_token
from app.common import utcnow
from app.extensions import db
from app.notify.models import OutboxMessage
from app.templating import format_date
from tests import factories

PROBE = "/api/referrals"
NEW = "a completely new password"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _new_token_on_page(html: str) -> str:
    match = re.search(r'id="new-token" readonly value="([^"]+)"', html)
    assert match, html[:2000]
    return match.group(1)


def _saved(plaintext: str) -> ApiToken:
    db.session.expire_all()
    return db.session.scalar(select(ApiToken).where(ApiToken.prefix == plaintext[:12]))


def test_expired_token_gets_401_problem(client):  # noqa: ANN001
    user = factories.make_user(Role.COUNSELOR)
    _, plaintext = create_token(
        user, "Old script", days=1, now=utcnow() - timedelta(days=1, seconds=1)
    )
    _, fresh = create_token(user, "New script", days=1, now=utcnow() - timedelta(hours=23))
    db.session.commit()

    refused = client.get(PROBE, headers=_bearer(plaintext))
    assert refused.status_code == 401
    assert refused.mimetype == "application/problem+json"
    assert "expired" in refused.get_json()["detail"]
    assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]
    assert client.get(PROBE, headers=_bearer(fresh)).status_code == 200


def test_a_token_works_for_ninety_days_by_default(app):  # noqa: ANN001
    made = utcnow()
    token, plaintext = create_token(factories.make_user(Role.COUNSELOR), "Sync", now=made)
    db.session.commit()
    assert token.expires_at == made + timedelta(days=90)
    assert authenticate_token(plaintext, now=made + timedelta(days=89, hours=23)) is not None
    assert authenticate_token(plaintext, now=made + timedelta(days=90)) is None


def test_token_page_shows_the_expiry_when_made_and_in_the_list(client, login):  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    response = client.post("/account/tokens", data={"name": "Case system", "days": "30"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    token = _saved(_new_token_on_page(page))
    assert token.expires_at - token.created_at == timedelta(days=30)
    assert "It works until" in page
    assert format_date(token.expires_at) in page

    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "Expires" in listing and format_date(token.expires_at) in listing


def test_token_lifetime_outside_the_offered_choices_is_refused(client, login):  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    response = client.post("/account/tokens", data={"name": "Forever", "days": "100000"})
    assert response.status_code == 422
    assert db.session.scalar(select(ApiToken)) is None


def test_expired_token_is_listed_as_expired(client, login):  # noqa: ANN001
    user = factories.make_user(Role.COUNSELOR)
    create_token(user, "Last year", days=7, now=utcnow() - timedelta(days=30))
    db.session.commit()
    login(user)
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "Expired" in listing
    assert "Revoke Last year" not in listing  # nothing left to revoke


def test_last_use_is_written_at_most_once_a_minute(app):  # noqa: ANN001
    start = utcnow()
    token, plaintext = create_token(factories.make_user(Role.COUNSELOR), "Poller", now=start)
    db.session.commit()
    authenticate_token(plaintext, now=start + timedelta(seconds=1))
    authenticate_token(plaintext, now=start + timedelta(seconds=59))
    assert token.last_used_at == start + timedelta(seconds=1)
    authenticate_token(plaintext, now=start + timedelta(seconds=61))
    assert token.last_used_at == start + timedelta(seconds=61)


def test_changing_the_password_revokes_tokens_and_says_so(client, login):  # noqa: ANN001
    user = factories.make_user(Role.COUNSELOR)
    _, plaintext = create_token(user, "Case system")
    db.session.commit()
    assert client.get(PROBE, headers=_bearer(plaintext)).status_code == 200

    login(user)
    response = client.post(
        "/account/me",
        data={"current_password": factories.PASSWORD, "new_password": NEW, "confirm": NEW},
        follow_redirects=True,
    )
    assert "Your API token was revoked" in response.get_data(as_text=True)

    refused = client.get(PROBE, headers=_bearer(plaintext))
    assert refused.status_code == 401
    assert refused.mimetype == "application/problem+json"
    [notice] = db.session.scalars(select(OutboxMessage)).all()
    assert notice.recipient == user.email
    assert "revoked" in notice.body and plaintext[:12] not in notice.body


def test_resetting_the_password_revokes_tokens_and_says_so(client):  # noqa: ANN001
    user = factories.make_user(Role.PROVIDER)
    create_token(user, "One")
    _, plaintext = create_token(user, "Two")
    path = f"/account/reset/{make_reset_token(user)}"
    db.session.commit()

    response = client.post(path, data={"password": NEW, "confirm": NEW}, follow_redirects=True)
    assert "Your 2 API tokens were revoked" in response.get_data(as_text=True)
    assert client.get(PROBE, headers=_bearer(plaintext)).status_code == 401
    assert db.session.scalar(select(OutboxMessage.kind)) == "tokens_revoked"


def test_a_password_change_without_tokens_sends_no_notice(client, login):  # noqa: ANN001
    user = factories.make_user(Role.COUNSELOR)
    login(user)
    response = client.post(
        "/account/me",
        data={"current_password": factories.PASSWORD, "new_password": NEW, "confirm": NEW},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Your password has been changed." in page
    assert "was revoked" not in page and "were revoked" not in page
    assert db.session.scalar(select(OutboxMessage)) is None


def test_cli_token_expires_after_the_chosen_days(app, client):  # noqa: ANN001
    factories.make_user(Role.COUNSELOR, email="cli@example.org")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "token", "cli@example.org", "--days", "7"])
    assert result.exit_code == 0, result.output
    plaintext = result.stdout.strip()
    token = _saved(plaintext)
    assert token.expires_at - token.created_at == timedelta(days=7)
    assert format_date(token.expires_at) in result.stderr
    assert client.get(PROBE, headers=_bearer(plaintext)).status_code == 200


def test_cli_token_defaults_to_ninety_days_and_refuses_too_long(app):  # noqa: ANN001
    factories.make_user(Role.COUNSELOR, email="cli@example.org")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "token", "cli@example.org"])
    assert result.exit_code == 0, result.output
    token = _saved(result.stdout.strip())
    assert token.expires_at - token.created_at == timedelta(days=90)

    refused = runner.invoke(args=["users", "token", "cli@example.org", "--days", "5000"])
    assert refused.exit_code != 0
    assert "Choose between 1 and 365 days" in refused.output
