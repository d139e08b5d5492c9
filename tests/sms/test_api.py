"""GET /api/clients/<id>/texts: the care team reads the consent to texts and the texts' kinds and
statuses (never their words or the whole number); anyone else gets the 404 of an unknown id."""

from __future__ import annotations

from app.accounts.api_tokens import create_token
from app.accounts.models import Role
from app.extensions import db
from app.sms.consent import revoke_text_consent
from app.sms.outbox import queue_text
from tests import factories
from tests.sms.helpers import person_with_texts


def _h(user) -> dict[str, str]:  # noqa: ANN001
    _, plaintext = create_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plaintext}"}


def test_the_care_team_reads_consent_and_texts(client, app) -> None:  # noqa: ANN001
    counselor, person, _ = person_with_texts()
    url = f"/api/clients/{person.id}/texts"
    queue_text(
        person, "card", "Your card: https://partners.example.org/card/ABCDE-12345", actor=counselor
    )
    db.session.commit()

    data = client.get(url, headers=_h(counselor)).get_json()

    assert data["consent"]["active"] is True and data["consent"]["phone_last4"] == "0123"
    assert data["consent"]["ended"] is None
    [text] = data["messages"]
    assert (text["kind"], text["kind_label"]) == ("card", "Discharge card link")
    assert (text["status"], text["status_label"]) == ("pending", "Waiting to send")
    body = client.get(url, headers=_h(counselor)).get_data(as_text=True)
    assert "8605550123" not in body and "/card/" not in body  # no number, no words

    revoke_text_consent(person, counselor)
    db.session.commit()
    data = client.get(url, headers=_h(counselor)).get_json()
    assert data["consent"]["active"] is False and data["consent"]["ended"] == "revoked"
    assert data["messages"][0]["status_label"] == "Not sent (texts stopped)"


def test_a_person_who_never_agreed_has_no_consent(client, app) -> None:  # noqa: ANN001
    from tests.public.helpers import counselor_and_client

    counselor, person = counselor_and_client()
    db.session.commit()
    data = client.get(f"/api/clients/{person.id}/texts", headers=_h(counselor)).get_json()
    assert data == {"client_id": person.id, "consent": None, "messages": []}


def test_nobody_else_reads_them(client, app) -> None:  # noqa: ANN001
    _, person, _ = person_with_texts()
    url = f"/api/clients/{person.id}/texts"
    org = factories.make_organization()
    for user in (
        factories.make_user(),  # a counselor off the person's team
        factories.make_user(Role.PROVIDER, organizations=[org]),
    ):
        response = client.get(url, headers=_h(user))
        assert response.status_code in (403, 404)
        assert "0123" not in response.get_data(as_text=True)
    assert client.get(url, headers=_h(factories.make_user(Role.ADMIN))).status_code == 200
    assert client.get(url).status_code == 401
    unknown = client.get("/api/clients/nobody/texts", headers=_h(factories.make_user()))
    assert unknown.status_code == 404
