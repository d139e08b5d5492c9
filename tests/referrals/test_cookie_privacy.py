"""The session cookie is signed, not encrypted: anyone holding it can read it. Walk every client,
consent, team and referral write a counselor and a provider make and read the cookie after each."""

from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient

from tests import factories

NAME = ("Philippa", "Vantongeren")
INMATE = "DOC-5521907"
PHONE = "860-555-0163"
EMAIL = "philippa.v@example.net"
NOTE = "Needs the ground-floor room"


def cookie_contents(app: Flask, client: FlaskClient) -> str:
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    if cookie is None:
        return ""
    serializer = app.session_interface.get_signing_serializer(app)
    return json.dumps(serializer.loads(cookie.value), default=str)


def assert_no_client_data(app: Flask, client: FlaskClient, step: str) -> None:
    contents = cookie_contents(app, client)
    assert "_flashes" in contents, f"{step}: expected a flash message"
    for value in (*NAME, INMATE, PHONE, EMAIL, NOTE):
        assert value not in contents, f"{step}: {value!r} is in the session cookie"


def test_client_data_never_rides_in_the_session_cookie(app, client, login, world):  # noqa: ANN001
    login(world.counselor)
    response = client.post(
        "/referrals/clients/new",
        data={
            "first_name": NAME[0],
            "last_name": NAME[1],
            "date_of_birth": "1984-02-11",
            "inmate_number": INMATE,
            "preferred_language": "en",
            "contact_method": "phone",
            "contact_phone": PHONE,
            "contact_email": EMAIL,
            "destination_town": "Hartford",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert_no_client_data(app, client, "new client")
    person_url = response.headers["Location"]
    page = client.get(person_url).get_data(as_text=True)
    assert NAME[0] in page and "Person added" in page  # the name comes from the page itself

    person_id = person_url.rstrip("/").rsplit("/", 1)[-1]
    response = client.post(
        f"/referrals/clients/{person_id}/edit",
        data={
            "first_name": NAME[0],
            "last_name": NAME[1],
            "date_of_birth": "1984-02-11",
            "inmate_number": INMATE,
            "preferred_language": "en",
            "contact_method": "email",
            "contact_email": EMAIL,
            "destination_town": "Hartford",
        },
    )
    assert response.status_code == 302
    assert_no_client_data(app, client, "edit")
    client.get(person_url)

    colleague = factories.make_user(
        world.counselor.role, facility=world.facility, email="colleague@example.org"
    )
    response = client.post(
        f"/referrals/clients/{person_id}/team", data={"email": colleague.email, "title": "Case"}
    )
    assert response.status_code == 302
    assert_no_client_data(app, client, "team")
    client.get(person_url)

    response = client.post(
        f"/referrals/clients/{person_id}/consents/new",
        data={
            "organization_id": world.org.id,
            "shares": ["identity", "contact"],
            "signed_on": "2020-01-01",
            "expires_on": "2099-01-01",
        },
    )
    assert response.status_code == 302
    assert_no_client_data(app, client, "consent")
    client.get(person_url)

    response = client.post(
        f"/referrals/clients/{person_id}/refer?service={world.service.id}",
        data={"priority": "routine", "note_to_provider": NOTE},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert_no_client_data(app, client, "referral")
    referral_url = response.headers["Location"]
    client.get(referral_url)

    client.post("/account/logout")
    login(world.provider)
    referral_id = referral_url.rstrip("/").rsplit("/", 1)[-1]
    response = client.post(
        f"/referrals/{referral_id}/step/accept",
        data={"accept-version": "1", "accept-what_to_bring": "ID"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert_no_client_data(app, client, "accept")
