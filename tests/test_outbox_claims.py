"""Two outbox senders at once (two `flask outbox send` runs, or a cron run and a request's
after-response send) deliver each message exactly once, to a real SMTP server."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from app.common import utcnow
from app.extensions import db
from app.notify.models import OutboxMessage
from app.notify.services import queue_email, send_pending

MESSAGES = 12


def _queue(count: int) -> None:
    for n in range(count):
        queue_email(f"person{n}@example.org", f"Message {n}", "Open Partners to read it.", "test")
    db.session.commit()


def test_two_senders_at_once_deliver_each_message_exactly_once(app, smtp_down) -> None:  # noqa: ANN001
    smtp_down.collector.delay = 0.05  # slow enough that the two runs overlap throughout
    smtp_down.start()
    _queue(MESSAGES)
    results: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2, timeout=20)

    def sender() -> None:
        try:
            with app.app_context():
                start.wait()
                results.append(send_pending(limit=500))
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread below
            errors.append(exc)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    received = Counter(m["To"] for m in smtp_down.collector.messages)
    assert len(received) == MESSAGES
    assert set(received.values()) == {1}, received
    assert sum(sent for sent, _ in results) == MESSAGES
    db.session.expire_all()
    rows = db.session.scalars(select(OutboxMessage)).all()
    assert all(m.sent_at and m.attempts == 1 and m.claimed_until is None for m in rows)


def test_a_claim_held_by_a_dead_sender_runs_out(app, smtp, time_machine) -> None:  # noqa: ANN001
    _queue(1)
    message = db.session.scalars(select(OutboxMessage)).one()
    message.claimed_until = utcnow() + timedelta(minutes=10)  # a sender that died mid-send
    db.session.commit()
    assert send_pending() == (0, 0)
    assert smtp.messages == []
    time_machine.move_to(utcnow() + timedelta(minutes=11))
    assert send_pending() == (1, 0)
    assert [m["To"] for m in smtp.messages] == ["person0@example.org"]


def test_a_failed_send_releases_its_claim(app, smtp_down) -> None:  # noqa: ANN001
    _queue(1)
    assert send_pending() == (0, 1)  # nothing listening yet
    db.session.expire_all()
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.claimed_until is None and message.attempts == 1
    message.next_attempt_at = utcnow()  # skip the backoff wait
    db.session.commit()
    smtp_down.start()
    assert send_pending() == (1, 0)
    assert len(smtp_down.collector.messages) == 1
