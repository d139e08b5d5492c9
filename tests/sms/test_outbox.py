"""The SMS outbox against a local Twilio: what is posted, delivery status, errors, consent."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.sms import twilio as adapter
from app.sms.consent import record_text_consent, revoke_text_consent
from app.sms.models import SmsMessage
from app.sms.outbox import queue_text, send_pending
from tests import factories
from tests.public.helpers import counselor_and_client
from tests.sms.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER
from tests.sms.helpers import E164, person_with_texts


def _queue(client, body: str = "Hello from your counselor") -> SmsMessage | None:  # noqa: ANN001
    message = queue_text(client, "card", body)
    db.session.commit()
    return message


def test_a_text_goes_to_twilio_with_the_number_sender_body_and_status_callback(twilio) -> None:  # noqa: ANN001
    _, client, _ = person_with_texts()
    message = _queue(client)

    assert send_pending() == (1, 0)

    [posted] = twilio.sent
    assert posted["To"] == E164 and posted["From"] == FROM_NUMBER
    assert posted["Body"] == "Hello from your counselor"
    assert posted["StatusCallback"] == "http://localhost/sms/twilio/status"
    db.session.refresh(message)
    assert message.status == "queued" and message.provider_sid == posted["sid"]
    assert message.sent_at is not None and message.status_label == "Queued"
    assert send_pending() == (0, 0)  # sent once only


def test_nothing_is_queued_without_consent_to_texts(twilio) -> None:  # noqa: ANN001
    _, client = counselor_and_client(contact_phone="860-555-0199")
    assert _queue(client) is None
    assert send_pending() == (0, 0) and twilio.sent == []


def test_without_a_provider_texts_wait_in_the_outbox(app, twilio) -> None:  # noqa: ANN001
    _, client, _ = person_with_texts()
    message = _queue(client)
    app.config["SMS_PROVIDER"] = ""
    assert send_pending() == (0, 0)
    app.config["SMS_PROVIDER"] = "twilio"
    assert send_pending() == (1, 0)
    assert db.session.get(SmsMessage, message.id).status == "queued"


def test_a_provider_outage_is_retried_later(twilio) -> None:  # noqa: ANN001
    _, client, _ = person_with_texts()
    message = _queue(client)
    twilio.fail_next(503, None, "Service unavailable")

    assert send_pending() == (0, 1)

    db.session.refresh(message)
    assert message.sent_at is None and not message.failed and message.attempts == 1
    assert message.last_error == "HTTP 503" and message.status == "pending"
    assert message.next_attempt_at > message.created_at  # backoff: not due again at once


def test_twilio_21610_unsubscribed_fails_the_text_and_stops_texts(twilio) -> None:  # noqa: ANN001
    _, client, consent = person_with_texts()
    first, second = _queue(client, "one"), _queue(client, "two")
    twilio.fail_next(400, 21610, "Attempt to send to unsubscribed recipient")

    assert send_pending() == (0, 1)

    db.session.refresh(first)
    db.session.refresh(second)
    db.session.refresh(consent)
    assert first.failed and first.status == "failed" and first.error_code == "21610"
    assert second.status == "cancelled"  # the other waiting text never goes
    assert consent.stopped_at is not None and consent.stopped_by == "provider"
    assert twilio.sent == [] and _queue(client) is None


def test_revoking_consent_cancels_waiting_texts_and_stops_new_ones(twilio) -> None:  # noqa: ANN001
    counselor, client, consent = person_with_texts()
    waiting = _queue(client)
    revoke_text_consent(client, counselor)
    db.session.commit()

    assert send_pending() == (0, 0) and twilio.sent == []
    assert db.session.get(SmsMessage, waiting.id).status == "cancelled"
    assert _queue(client) is None


def test_a_text_claimed_after_the_consent_ended_is_not_sent(twilio) -> None:  # noqa: ANN001
    _, client, consent = person_with_texts()
    waiting = _queue(client)
    consent.stopped_at = waiting.created_at  # stopped behind the outbox's back
    db.session.commit()
    assert send_pending() == (0, 0) and twilio.sent == []
    assert db.session.get(SmsMessage, waiting.id).status == "cancelled"


def test_a_new_number_replaces_the_old_consent(twilio) -> None:  # noqa: ANN001
    counselor, client, old = person_with_texts()
    waiting = _queue(client)
    record_text_consent(client, "+1 203 555 0147", counselor)
    db.session.commit()
    _queue(client, "to the new number")
    send_pending()
    assert [m["To"] for m in twilio.sent] == ["+12035550147"]
    assert db.session.get(SmsMessage, waiting.id).status == "cancelled"


@pytest.mark.parametrize("raw", ["555-0123", "1-800-555-012", "0860 555 0123", "call me"])
def test_only_a_us_mobile_number_is_accepted(raw: str, db) -> None:  # noqa: ANN001
    from app.referrals.errors import ReferralValidationError

    counselor, client = counselor_and_client()
    with pytest.raises(ReferralValidationError):
        record_text_consent(client, raw, counselor)


def test_a_provider_cannot_record_consent_to_texts(db) -> None:  # noqa: ANN001
    from app.accounts.models import Role
    from app.referrals.errors import NotAllowed

    _, client = counselor_and_client()
    provider = factories.make_user(Role.PROVIDER, organizations=[factories.make_organization()])
    with pytest.raises(NotAllowed):
        record_text_consent(client, "860-555-0123", provider)


def test_the_signature_is_twilios_documented_example() -> None:
    # Twilio's security docs: this URL, these parameters and token give this signature.
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+14158675309",
        "Digits": "1234",
        "From": "+14158675309",
        "To": "+18005551212",
    }
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert adapter.signature("12345", url, params) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_credentials_go_as_basic_auth(app, twilio) -> None:  # noqa: ANN001
    _, client, _ = person_with_texts()
    _queue(client)
    app.config["TWILIO_AUTH_TOKEN"] = "wrong"
    assert send_pending() == (0, 1)  # the local Twilio refused it: 401
    app.config["TWILIO_AUTH_TOKEN"] = AUTH_TOKEN
    assert ACCOUNT_SID.startswith("AC")
