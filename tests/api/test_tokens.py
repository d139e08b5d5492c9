"""Personal API tokens: made on the account page or by `flask users token`, shown once, stored
hashed, refused when revoked or when the account is deactivated."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.accounts.api_tokens import create_token, hash_token, revoke_token
from app.accounts.models import ApiToken, Role
from app.extensions import db
from tests import factories

PROBE = "/api/referrals"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _new_token_on_page(html: str) -> str:
    match = re.search(r'id="new-token" readonly value="([^"]+)"', html)
    assert match, html[:2000]
    return match.group(1)


def test_token_page_shows_a_new_token_once_and_it_works(client, login):  # noqa: ANN001
    user = factories.make_user(Role.COUNSELOR)
    login(user)

    response = client.post("/account/tokens", data={"name": "Case system"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    plaintext = _new_token_on_page(response.get_data(as_text=True))
    assert plaintext.startswith("ptk_") and len(plaintext) > 40

    assert client.get(PROBE, headers=_bearer(plaintext)).status_code == 200

    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "Case system" in listing
    assert plaintext[:12] in listing  # the prefix tells tokens apart
    assert plaintext not in listing  # the full token is never shown again


def test_the_database_keeps_only_a_hash(app):  # noqa: ANN001
    user = factories.make_user(Role.PROVIDER)
    token, plaintext = create_token(user, "Inbox sync")
    db.session.commit()

    row = db.session.scalar(select(ApiToken).where(ApiToken.id == token.id))
    stored = [str(getattr(row, c.key)) for c in ApiToken.__table__.columns]
    assert all(plaintext not in value for value in stored)
    assert row.token_hash == hash_token(plaintext)
    assert row.token_hash != plaintext


def test_token_name_is_required(client, login):  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    response = client.post("/account/tokens", data={"name": "   "})
    assert response.status_code == 422
    assert "Give the token a name" in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None


def test_revoked_token_gets_401(client, login):  # noqa: ANN001
    user = factories.make_user(Role.COUNSELOR)
    token, plaintext = create_token(user, "Old script")
    db.session.commit()
    assert client.get(PROBE, headers=_bearer(plaintext)).status_code == 200

    login(user)
    response = client.post(f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 302
    assert factories.reload(token).revoked_at is not None

    refused = client.get(PROBE, headers=_bearer(plaintext))
    assert refused.status_code == 401
    assert refused.mimetype == "application/problem+json"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]


def test_someone_elses_token_cannot_be_revoked(client, login):  # noqa: ANN001
    owner = factories.make_user(Role.COUNSELOR)
    token, plaintext = create_token(owner, "Mine")
    db.session.commit()
    login(factories.make_user(Role.COUNSELOR))

    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert factories.reload(token).revoked_at is None
    assert client.get(PROBE, headers=_bearer(plaintext)).status_code == 200


def test_an_admin_may_revoke_any_token_through_the_rule(app):  # noqa: ANN001
    owner = factories.make_user(Role.COUNSELOR)
    token, _ = create_token(owner, "Mine")
    revoke_token(token, factories.make_user(Role.ADMIN))
    db.session.commit()
    assert factories.reload(token).revoked_at is not None


def test_deactivated_users_token_gets_401(client):  # noqa: ANN001
    user = factories.make_user(Role.PROVIDER)
    _, plaintext = create_token(user, "Sync")
    db.session.commit()
    assert client.get(PROBE, headers=_bearer(plaintext)).status_code == 200

    user.active = False
    db.session.commit()
    assert client.get(PROBE, headers=_bearer(plaintext)).status_code == 401


def test_missing_or_made_up_token_gets_401_with_a_bearer_challenge(client):  # noqa: ANN001
    missing = client.get(PROBE)
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == 'Bearer realm="Partners API"'
    assert missing.get_json()["status"] == 401

    for header in ("Bearer ptk_not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer "):
        response = client.get(PROBE, headers={"Authorization": header})
        assert response.status_code == 401, header


def test_a_signed_in_browser_session_is_not_an_api_credential(client, login):  # noqa: ANN001
    login(factories.make_user(Role.ADMIN))
    assert client.get(PROBE).status_code == 401


def test_use_is_recorded(client):  # noqa: ANN001
    user = factories.make_user(Role.COUNSELOR)
    token, plaintext = create_token(user, "Sync")
    db.session.commit()
    assert token.last_used_at is None
    client.get(PROBE, headers=_bearer(plaintext))
    assert factories.reload(token).last_used_at is not None


def test_analyst_token_authenticates_but_role_is_refused(client):  # noqa: ANN001
    _, plaintext = create_token(factories.make_user(Role.ANALYST), "Reports")
    db.session.commit()
    response = client.get(PROBE, headers=_bearer(plaintext))
    assert response.status_code == 403
    assert response.get_json()["status"] == 403


def test_cli_prints_a_working_token(app, client):  # noqa: ANN001
    user = factories.make_user(Role.COUNSELOR, email="cli@example.org")
    result = app.test_cli_runner().invoke(args=["users", "token", "cli@example.org", "--name", "X"])
    assert result.exit_code == 0, result.output
    plaintext = result.stdout.strip()
    assert plaintext.startswith("ptk_")
    assert client.get(PROBE, headers=_bearer(plaintext)).status_code == 200
    saved = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert saved.name == "X"


def test_cli_unknown_email_fails_cleanly(app):  # noqa: ANN001
    result = app.test_cli_runner().invoke(args=["users", "token", "nobody@example.org"])
    assert result.exit_code != 0
    assert "No account for nobody@example.org" in result.output
    assert db.session.scalar(select(ApiToken)) is None
