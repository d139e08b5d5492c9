"""Database errors on client, consent and referral writes leave no client data in the log.

Every write is made to fail inside the database (a trigger refuses the row), through the pages and
the API as users make them; the captured log must name the error and hold none of the values.
On PostgreSQL the trigger's own message carries the whole row, as a constraint's DETAIL would.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from app.accounts.api_tokens import create_token
from app.extensions import db
from app.log_privacy import scrubbed_traceback
from tests import factories

SECRET_VALUES = {
    "first name": "Wilhelmina",
    "last name": "Zabriskie-Oyelaran",
    "birth date": "1981-07-19",
    "inmate number": "DOC-7731905",
    "phone": "860-555-0177",
    "e-mail": "wilhelmina.z@example.net",
    "note": "Prefers the downstairs room after surgery",
    "reason": "Registry status conflicts with the house rules",
}
TABLES = ("client", "consent", "referral", "referral_event", "care_team_member")


@contextmanager
def failing_writes(tables: tuple[str, ...] = TABLES) -> Iterator[None]:
    """Every INSERT and UPDATE on `tables` fails inside the database until the block ends."""
    # The test's own session must not hold table locks that CREATE/DROP TRIGGER would wait for.
    db.session.commit()
    engine = db.engine
    postgres = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        if postgres:
            conn.execute(
                text(
                    "CREATE OR REPLACE FUNCTION partners_test_refuse() RETURNS trigger AS $$ "
                    "BEGIN RAISE EXCEPTION 'refused row %', NEW::text; END $$ LANGUAGE plpgsql"
                )
            )
        for table in tables:
            for event in ("INSERT", "UPDATE"):
                name = f"partners_test_refuse_{table}_{event.lower()}"
                if postgres:
                    conn.execute(
                        text(
                            f'CREATE TRIGGER {name} BEFORE {event} ON "{table}" FOR EACH ROW '
                            "EXECUTE FUNCTION partners_test_refuse()"
                        )
                    )
                else:
                    conn.execute(
                        text(
                            f'CREATE TRIGGER {name} BEFORE {event} ON "{table}" '
                            "BEGIN SELECT RAISE(ABORT, 'refused row'); END"
                        )
                    )
    try:
        yield
    finally:
        db.session.rollback()
        with engine.begin() as conn:
            for table in tables:
                for event in ("insert", "update"):
                    name = f"partners_test_refuse_{table}_{event}"
                    if postgres:
                        conn.execute(text(f'DROP TRIGGER IF EXISTS {name} ON "{table}"'))
                    else:
                        conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))


@pytest.fixture
def unpropagated(app):  # noqa: ANN001,ANN201
    """Let Flask answer 500 and log the error, as in production, instead of raising in the test."""
    previous = app.config.get("PROPAGATE_EXCEPTIONS")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    yield
    app.config["PROPAGATE_EXCEPTIONS"] = previous


def _assert_clean(caplog: pytest.LogCaptureFixture, response, what: str) -> None:  # noqa: ANN001
    assert response.status_code >= 500, f"{what}: the write did not fail ({response.status_code})"
    logged = caplog.text
    assert "message withheld" in logged, f"{what}: the error was not logged"
    body = response.get_data(as_text=True)
    for label, value in SECRET_VALUES.items():
        assert value not in logged, f"{what}: the {label} reached the log"
        if label not in {"note", "reason"}:
            continue
        assert value not in body or "<textarea" in body, f"{what}: the {label} in the error page"
    caplog.clear()


def _client_form(**overrides: str) -> dict:
    data = {
        "first_name": SECRET_VALUES["first name"],
        "last_name": SECRET_VALUES["last name"],
        "date_of_birth": SECRET_VALUES["birth date"],
        "inmate_number": SECRET_VALUES["inmate number"],
        "preferred_language": "en",
        "contact_method": "phone",
        "contact_phone": SECRET_VALUES["phone"],
        "contact_email": SECRET_VALUES["e-mail"],
        "destination_town": "Hartford",
        "on_registry": "yes",
        "allow_duplicate": "y",
    }
    data.update(overrides)
    return data


def test_failed_client_consent_and_referral_writes_log_no_client_data(
    client, login, world, caplog, unpropagated
):  # noqa: ANN001
    caplog.set_level(logging.INFO)
    person = factories.make_client(
        world.counselor,
        first_name=SECRET_VALUES["first name"],
        last_name=SECRET_VALUES["last name"],
        inmate_number=SECRET_VALUES["inmate number"],
        contact_phone=SECRET_VALUES["phone"],
        contact_email=SECRET_VALUES["e-mail"],
    )
    consent = factories.make_consent(person, world.counselor, organization=world.org)
    referral = factories.make_referral(person, world.service, world.counselor)
    login(world.counselor)

    with failing_writes():
        response = client.post("/referrals/clients/new", data=_client_form())
        _assert_clean(caplog, response, "new client")

        response = client.post(f"/referrals/clients/{person.id}/edit", data=_client_form())
        _assert_clean(caplog, response, "client edit")

        response = client.post(
            f"/referrals/clients/{person.id}/consents/new",
            data={
                "organization_id": world.other_org.id,
                "shares": ["identity"],
                "signed_on": "2020-01-01",
                "expires_on": "2099-01-01",
            },
        )
        _assert_clean(caplog, response, "consent")

        response = client.post(
            f"/referrals/consents/{consent.id}/revoke", data={"note": SECRET_VALUES["note"]}
        )
        _assert_clean(caplog, response, "consent revoke")

        response = client.post(
            f"/referrals/clients/{person.id}/refer?service={world.service.id}",
            data={"priority": "routine", "note_to_provider": SECRET_VALUES["note"]},
        )
        _assert_clean(caplog, response, "referral")

        response = client.post(
            f"/referrals/{referral.id}/step/cancel",
            data={
                "cancel-version": str(referral.version),
                "cancel-reason_text": SECRET_VALUES["reason"],
            },
        )
        _assert_clean(caplog, response, "referral cancel")

        _, token = create_token(world.counselor, "log test")
        db.session.commit()
        response = client.post(
            "/api/referrals",
            json={
                "client_id": person.id,
                "service_id": world.service.id,
                "note_to_provider": SECRET_VALUES["note"],
            },
            headers={"Authorization": f"Bearer {token}"},
        )
        _assert_clean(caplog, response, "API referral")


def test_provider_step_failure_logs_no_reason(client, login, world, caplog, unpropagated):  # noqa: ANN001
    caplog.set_level(logging.INFO)
    referral = factories.make_referral(world.client, world.service, world.counselor)
    login(world.provider)
    with failing_writes():
        response = client.post(
            f"/referrals/{referral.id}/step/decline",
            data={
                "decline-version": str(referral.version),
                "decline-reason_code": "other",
                "decline-reason_text": SECRET_VALUES["reason"],
            },
        )
        _assert_clean(caplog, response, "provider decline")


def test_scrubbed_traceback_keeps_where_and_what_but_never_the_message():
    try:
        try:
            raise KeyError(SECRET_VALUES["inmate number"])
        except KeyError as inner:
            raise ValueError(f"bad value for {SECRET_VALUES['first name']}") from inner
    except ValueError as exc:
        scrubbed = scrubbed_traceback((type(exc), exc, exc.__traceback__))
    assert "builtins.KeyError (message withheld)" in scrubbed
    assert "builtins.ValueError (message withheld)" in scrubbed
    assert "test_log_privacy.py" in scrubbed
    for value in SECRET_VALUES.values():
        assert value not in scrubbed


def test_every_engine_hides_bound_parameters(app):  # noqa: ANN001
    assert db.engine.hide_parameters is True
