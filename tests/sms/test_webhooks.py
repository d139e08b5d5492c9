"""Twilio's webhooks: signed delivery reports, and STOP / START / HELP replies (English and
Spanish). Unsigned or wrongly signed calls change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.sms.models import SmsMessage, TextConsent
from app.sms.outbox import queue_text, send_pending
from app.sms.twilio import signature
from tests.sms.fake_twilio import AUTH_TOKEN
from tests.sms.helpers import E164, person_with_texts

BASE = "http://localhost"  # TestingConfig.PUBLIC_BASE_URL: what Twilio signs


def _post(client, path: str, params: dict, sign: str | None = "ok"):  # noqa: ANN001,ANN202
    headers = {}
    if sign == "ok":
        headers["X-Twilio-Signature"] = signature(AUTH_TOKEN, BASE + path, params)
    elif sign is not None:
        headers["X-Twilio-Signature"] = sign
    return client.post(path, data=params, headers=headers)


def _reply(client, body: str, sign: str | None = "ok"):  # noqa: ANN001,ANN202
    params = {"From": E164, "To": "+18605550000", "Body": body, "MessageSid": "SM" + "a" * 32}
    return _post(client, "/sms/twilio/inbound", params, sign)


def _sent_message(client_record) -> SmsMessage:  # noqa: ANN001
    message = queue_text(client_record, "card", "Your list")
    db.session.commit()
    send_pending()
    db.session.refresh(message)
    return message


def test_a_signed_delivery_report_records_the_status(client, twilio) -> None:  # noqa: ANN001
    _, person, _ = person_with_texts()
    message = _sent_message(person)
    params = {"MessageSid": message.provider_sid, "MessageStatus": "delivered", "To": E164}

    assert _post(client, "/sms/twilio/status", params).status_code == 204

    db.session.refresh(message)
    assert message.status == "delivered" and message.status_label == "Delivered"


def test_a_late_sent_report_does_not_undo_delivered(client, twilio) -> None:  # noqa: ANN001
    _, person, _ = person_with_texts()
    message = _sent_message(person)
    for status in ("delivered", "sent"):
        _post(
            client,
            "/sms/twilio/status",
            {"MessageSid": message.provider_sid, "MessageStatus": status},
        )
    db.session.refresh(message)
    assert message.status == "delivered"


@pytest.mark.parametrize("sign", [None, "forged=", "bad"])
def test_an_unsigned_or_forged_report_is_refused(client, twilio, sign) -> None:  # noqa: ANN001
    _, person, _ = person_with_texts()
    message = _sent_message(person)
    params = {"MessageSid": message.provider_sid, "MessageStatus": "delivered"}
    assert _post(client, "/sms/twilio/status", params, sign=sign).status_code == 403
    db.session.refresh(message)
    assert message.status == "queued"


def test_a_report_signed_for_other_parameters_is_refused(client, twilio) -> None:  # noqa: ANN001
    _, person, _ = person_with_texts()
    message = _sent_message(person)
    signed = {"MessageSid": message.provider_sid, "MessageStatus": "sent"}
    forged = {**signed, "MessageStatus": "delivered"}
    header = signature(AUTH_TOKEN, BASE + "/sms/twilio/status", signed)
    response = client.post(
        "/sms/twilio/status", data=forged, headers={"X-Twilio-Signature": header}
    )
    assert response.status_code == 403


def test_undelivered_is_recorded_with_its_error_code(client, twilio) -> None:  # noqa: ANN001
    _, person, _ = person_with_texts()
    message = _sent_message(person)
    params = {
        "MessageSid": message.provider_sid,
        "MessageStatus": "undelivered",
        "ErrorCode": "30003",
    }
    _post(client, "/sms/twilio/status", params)
    db.session.refresh(message)
    assert message.status == "undelivered" and message.error_code == "30003"
    assert message.status_label == "Not delivered"


@pytest.mark.parametrize("word", ["STOP", "stop", "Unsubscribe", "CANCEL", "END", "QUIT", "ALTO"])
def test_stop_words_end_texts_and_cancel_waiting_ones(client, twilio, word) -> None:  # noqa: ANN001
    _, person, consent = person_with_texts()
    waiting = queue_text(person, "card", "Your list")
    db.session.commit()

    response = _reply(client, word)

    assert response.status_code == 200 and "<Message>" not in response.get_data(as_text=True)
    db.session.refresh(consent)
    assert consent.stopped_at is not None and consent.stopped_by == word.upper()
    assert db.session.get(SmsMessage, waiting.id).status == "cancelled"
    assert queue_text(person, "card", "again") is None
    assert send_pending() == (0, 0) and twilio.sent == []


def test_the_care_team_is_told_in_the_app_without_a_name(client, twilio) -> None:  # noqa: ANN001
    from app.notify.models import Notification

    counselor, person, _ = person_with_texts()
    _reply(client, "STOP")
    [notice] = db.session.scalars(select(Notification)).all()
    assert notice.user_id == counselor.id and notice.link.endswith(f"{person.id}#texts")
    assert person.first_name not in notice.text and "STOP" in notice.text


def test_start_after_stop_lets_texts_go_again(client, twilio) -> None:  # noqa: ANN001
    _, person, consent = person_with_texts()
    _reply(client, "STOP")
    response = _reply(client, "START")
    assert "You will get texts from Partners again" in response.get_data(as_text=True)
    db.session.refresh(consent)
    assert consent.is_active
    assert queue_text(person, "card", "back") is not None


def test_start_does_not_undo_a_revocation_by_staff(client, twilio) -> None:  # noqa: ANN001
    from app.sms.consent import revoke_text_consent

    counselor, person, consent = person_with_texts()
    revoke_text_consent(person, counselor)
    db.session.commit()
    _reply(client, "START")
    db.session.refresh(consent)
    assert not consent.is_active and queue_text(person, "card", "x") is None


def test_help_answers_what_this_is_and_211(client, twilio) -> None:  # noqa: ANN001
    person_with_texts()
    text = _reply(client, "HELP").get_data(as_text=True)
    assert "<Response><Message>" in text and "211" in text and "Partners" in text


def test_ayuda_answers_in_spanish(client, twilio) -> None:  # noqa: ANN001
    person_with_texts()
    text = _reply(client, "ayuda").get_data(as_text=True)
    assert "llame al 211" in text


def test_help_is_in_the_persons_language(client, twilio) -> None:  # noqa: ANN001
    person_with_texts(preferred_language="es")
    assert "llame al 211" in _reply(client, "INFO").get_data(as_text=True)


def test_an_unsigned_stop_changes_nothing(client, twilio) -> None:  # noqa: ANN001
    _, _, consent = person_with_texts()
    assert _reply(client, "STOP", sign=None).status_code == 403
    assert db.session.get(TextConsent, consent.id).is_active


def test_any_other_reply_changes_nothing_and_gets_no_answer(client, twilio) -> None:  # noqa: ANN001
    _, _, consent = person_with_texts()
    response = _reply(client, "Who is this? I stop by tomorrow")
    assert response.status_code == 200
    assert "<Message>" not in response.get_data(as_text=True)
    assert db.session.get(TextConsent, consent.id).is_active


def test_the_webhooks_need_no_csrf_token_but_staff_forms_do(app, client, twilio) -> None:  # noqa: ANN001
    _, _, consent = person_with_texts()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert _reply(client, "STOP").status_code == 200
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert not db.session.get(TextConsent, consent.id).is_active
