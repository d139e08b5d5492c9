"""Queue e-mail in the outbox; deliver pending messages with retries and backoff."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from flask import current_app
from flask_mail import Message
from sqlalchemy import select

from app.common import utcnow
from app.extensions import db, mail
from app.notify.models import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


def queue_email(recipient: str, subject: str, body: str, kind: str) -> OutboxMessage:
    """Add a message to the outbox in the caller's transaction (flush, no commit)."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, kind=kind)
    db.session.add(message)
    db.session.flush()
    return message


def send_pending(limit: int = 100, ids: list[str] | None = None) -> tuple[int, int]:
    """Send due messages; returns (sent, failed). Commits after each message.

    Safe to run from a request after its commit, or from `flask outbox send` in cron: a message
    that cannot be delivered stays pending with a growing backoff and is marked failed after
    MAX_ATTEMPTS, so a mail server that is down loses nothing.
    """
    now = utcnow()
    query = select(OutboxMessage).where(
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.failed.is_(False),
        OutboxMessage.next_attempt_at <= now,
    )
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(ids))
    messages = db.session.scalars(query.order_by(OutboxMessage.created_at).limit(limit)).all()
    sent = failed = 0
    for message in messages:
        message.attempts += 1
        try:
            mail.send(
                Message(subject=message.subject, recipients=[message.recipient], body=message.body)
            )
        except (OSError, smtplib.SMTPException) as exc:
            failed += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:1000]
            message.next_attempt_at = utcnow() + timedelta(minutes=2**message.attempts)
            message.failed = message.attempts >= MAX_ATTEMPTS
            log.warning("outbox message %s not sent (attempt %s)", message.id, message.attempts)
        else:
            sent += 1
            message.sent_at = utcnow()
            message.last_error = None
        db.session.commit()
    if current_app.debug and messages:
        log.info("outbox: %s sent, %s failed", sent, failed)
    return sent, failed


def send_after_response(ids: list[str]) -> None:
    """Deliver these committed messages once the current response has gone to the browser.

    The person gets their answer at once and at the same speed whether or not a message was
    queued (so timing reveals nothing, e.g. whether an account exists); anything that fails
    stays in the outbox for `flask outbox send`.
    """
    from flask import after_this_request

    app = current_app._get_current_object()  # noqa: SLF001 - the callback outlives the request

    @after_this_request
    def _schedule(response):  # noqa: ANN001,ANN202
        def _send() -> None:
            with app.app_context():
                send_pending(ids=ids)

        response.call_on_close(_send)
        return response
