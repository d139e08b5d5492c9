"""The `sms_status` job asks the local Twilio for delivery statuses that never came back by the
status callback: after SMS_STATUS_POLL_MINUTES, ever less often, never past the horizon, and
never two workers about one text."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.extensions import db
from app.jobs.tasks import execute, run_job
from app.sms.models import SmsMessage
from app.sms.outbox import queue_text, send_pending
from tests.sms.helpers import person_with_texts

SENT_AT = datetime(2026, 5, 4, 14, 0, tzinfo=UTC)


def _sent(count: int = 1) -> list[SmsMessage]:
    """`count` texts handed to Twilio at SENT_AT, with no delivery report yet."""
    with time_machine.travel(SENT_AT, tick=False):
        _, client, _ = person_with_texts()
        for _ in range(count):
            queue_text(client, "card", "Your list of places that can help: https://x.example/c")
        db.session.commit()
        assert send_pending() == (count, 0)
    return list(db.session.scalars(select(SmsMessage).order_by(SmsMessage.created_at)))


def _poll_at(moment: datetime) -> str:
    with time_machine.travel(moment, tick=False):
        summary = execute("sms_status")
    db.session.expire_all()
    return summary


def test_a_text_without_a_report_is_asked_about_after_15_minutes(twilio) -> None:  # noqa: ANN001
    [message] = _sent()
    twilio.set_status(message.provider_sid, "delivered")

    _poll_at(SENT_AT + timedelta(minutes=14))
    assert twilio.fetched == []  # the callback usually comes first

    summary = _poll_at(SENT_AT + timedelta(minutes=15))
    assert twilio.fetched == [message.provider_sid]
    assert summary.startswith("1 asked, 1 final")
    message = db.session.get(SmsMessage, message.id)
    assert message.status_label == "Delivered" and message.next_poll_at is None

    _poll_at(SENT_AT + timedelta(days=1))
    assert twilio.fetched == [message.provider_sid]  # a final status is never asked again


@pytest.mark.parametrize(("status", "code", "label"), [("undelivered", 30003, "Not delivered"),
                                                      ("failed", 30008, "Failed")])  # fmt: skip
def test_not_delivered_and_failed_are_recorded_with_the_error_code(
    twilio,
    status: str,
    code: int,
    label: str,  # noqa: ANN001
) -> None:
    [message] = _sent()
    twilio.set_status(message.provider_sid, status, code)
    _poll_at(SENT_AT + timedelta(minutes=20))
    message = db.session.get(SmsMessage, message.id)
    assert (message.status_label, message.error_code) == (label, str(code))


def test_a_text_still_sent_is_asked_ever_less_often_and_not_past_48_hours(twilio) -> None:  # noqa: ANN001
    [message] = _sent()  # the carrier never reports: Twilio keeps saying "sent"
    moment = SENT_AT
    while moment < SENT_AT + timedelta(hours=60):
        moment += timedelta(minutes=5)  # the job runs every 5 minutes
        _poll_at(moment)
    asked = len(twilio.fetched)
    assert 5 <= asked <= 10, asked  # 15 min, 30 min, 1 h, 2 h ... not 576 times
    message = db.session.get(SmsMessage, message.id)
    assert message.status_label == "Sent" and message.next_poll_at is None
    _poll_at(SENT_AT + timedelta(days=5))
    assert len(twilio.fetched) == asked


def test_a_report_by_callback_ends_the_asking(client, twilio) -> None:  # noqa: ANN001
    from app.sms.outbox import record_status

    [message] = _sent()
    record_status(message.provider_sid, "delivered", None)
    db.session.commit()
    _poll_at(SENT_AT + timedelta(hours=1))
    assert twilio.fetched == []


def test_a_provider_outage_is_asked_again_later(twilio) -> None:  # noqa: ANN001
    [message] = _sent()
    twilio.set_status(message.provider_sid, "delivered")
    twilio.fail_next(503, None, "Service unavailable")
    summary = _poll_at(SENT_AT + timedelta(minutes=15))
    assert "1 without an answer" in summary
    assert db.session.get(SmsMessage, message.id).status == "queued"
    _poll_at(SENT_AT + timedelta(minutes=20))  # not yet: the next ask waits
    assert len(twilio.fetched) == 1
    _poll_at(SENT_AT + timedelta(minutes=30))
    assert db.session.get(SmsMessage, message.id).status == "delivered"


def test_a_text_twilio_does_not_know_is_not_asked_about_again(twilio) -> None:  # noqa: ANN001
    [message] = _sent()
    del twilio.statuses[message.provider_sid]
    _poll_at(SENT_AT + timedelta(minutes=15))
    _poll_at(SENT_AT + timedelta(hours=3))
    assert twilio.fetched == [message.provider_sid]
    assert db.session.get(SmsMessage, message.id).status == "queued"


def test_the_unsubscribed_error_stops_texts(twilio) -> None:  # noqa: ANN001
    [message] = _sent()
    twilio.set_status(message.provider_sid, "failed", 21610)
    _poll_at(SENT_AT + timedelta(minutes=15))
    message = db.session.get(SmsMessage, message.id)
    assert message.status == "failed" and not message.consent.is_active


def test_without_a_provider_nothing_is_asked(app, twilio) -> None:  # noqa: ANN001
    _sent()
    app.config["SMS_PROVIDER"] = ""
    assert _poll_at(SENT_AT + timedelta(hours=1)).startswith("0 asked")
    assert twilio.fetched == []


def test_flask_jobs_run_sms_status(app, twilio) -> None:  # noqa: ANN001
    [message] = _sent()
    twilio.set_status(message.provider_sid, "delivered")
    with time_machine.travel(SENT_AT + timedelta(minutes=30), tick=False):
        result = app.test_cli_runner().invoke(args=["jobs", "run", "sms_status"])
    assert result.exit_code == 0, result.output
    assert "1 asked, 1 final" in result.output


def test_two_workers_at_once_ask_about_each_text_once(app, twilio) -> None:  # noqa: ANN001
    messages = _sent(6)
    twilio.fetch_delay = 0.05  # each answer takes a while, so the workers overlap
    start = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with app.app_context():
                start.wait()
                run_job("sms_status")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    with time_machine.travel(SENT_AT + timedelta(minutes=15), tick=True):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors
    assert Counter(twilio.fetched) == Counter(m.provider_sid for m in messages)
