"""SMS fixtures: a local Twilio (tests/sms/fake_twilio.py) the app is configured to use."""

from __future__ import annotations

import pytest

from tests.sms.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, FakeTwilio, Server

SETTINGS = ("SMS_PROVIDER", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER")


@pytest.fixture
def twilio(app):  # noqa: ANN001,ANN201
    fake = FakeTwilio()
    saved = {name: app.config.get(name) for name in (*SETTINGS, "TWILIO_API_BASE")}
    with Server(fake):
        app.config.update(
            SMS_PROVIDER="twilio",
            TWILIO_ACCOUNT_SID=ACCOUNT_SID,
            TWILIO_AUTH_TOKEN=AUTH_TOKEN,
            TWILIO_FROM_NUMBER=FROM_NUMBER,
            TWILIO_API_BASE=f"http://127.0.0.1:{fake.port}",
        )
        try:
            yield fake
        finally:
            app.config.update(saved)
