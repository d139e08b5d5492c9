"""The SMS outbox: a text is written with its cause and handed to the provider later.

Same shape and claims as the e-mail outbox (app.notify.claims): a sender claims one row with a
lease, commits, then calls the provider, so several senders never send one text twice. Before
sending, consent is checked again: a text queued before the person said STOP never goes.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select

from app.common import utcnow
from app.extensions import db
from app.notify.claims import claim_next
from app.sms import twilio
from app.sms.consent import active_consent, stop_by_number
from app.sms.models import CANCELLED, FAILED, FINAL_STATES, PROVIDER_STATES, QUEUED, SmsMessage
from app.sms.wording import language_of

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.referrals.models import Client

log = logging.getLogger(__name__)

# Twilio's delivery reports come here (app.sms.routes); a job has no request to build it from.
STATUS_PATH = "/sms/twilio/status"
INBOUND_PATH = "/sms/twilio/inbound"
STATE_ORDER = {"queued": 1, "accepted": 1, "sending": 2, "sent": 3}  # final states: 4
STATE_ORDER.update({state: 4 for state in ("delivered", "undelivered", "failed")})

MAX_ATTEMPTS = 6


def queue_text(
    client: Client,
    kind: str,
    body: str,
    *,
    once_key: str | None = None,
    actor: User | None = None,
) -> SmsMessage | None:
    """Queue a text in the caller's transaction (flush); None without live consent, or when
    a text with this `once_key` was queued before."""
    consent = active_consent(client)
    if consent is None:
        return None
    if once_key and db.session.scalar(select(SmsMessage.id).where(SmsMessage.once_key == once_key)):
        return None
    message = SmsMessage(
        client_id=client.id,
        consent_id=consent.id,
        to_number=consent.phone,
        body=body,
        kind=kind,
        language=language_of(client.preferred_language),
        once_key=once_key,
        queued_by_id=actor.id if actor is not None else None,
    )
    db.session.add(message)
    db.session.flush()
    return message


def messages_for(client: Client, limit: int = 50) -> list[SmsMessage]:
    """The texts to a person, newest first (for the care team's client page)."""
    return list(
        db.session.scalars(
            select(SmsMessage)
            .where(SmsMessage.client_id == client.id)
            .order_by(SmsMessage.created_at.desc(), SmsMessage.id)
            .limit(limit)
        )
    )


def first_poll_after() -> timedelta:
    """How long after sending the status is asked for, if no final report came (app.sms.poll)."""
    return timedelta(minutes=int(current_app.config.get("SMS_STATUS_POLL_MINUTES") or 15))


def _status_callback() -> str:
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    return base + STATUS_PATH


def send_pending(limit: int = 100, ids: list[str] | None = None) -> tuple[int, int]:
    """Hand due texts to the provider; returns (sent, failed). Commits after each text.

    Without a provider configured nothing is claimed: the texts wait. A provider that is down
    leaves the text pending with a growing backoff, failed after MAX_ATTEMPTS; an error that
    retrying cannot fix (Twilio 21610: the number replied STOP to the carrier) fails it at once.
    """
    if not twilio.configured():
        return 0, 0
    now = utcnow()
    sent = failed = 0
    while sent + failed < limit:
        message = claim_next(now, ids, model=SmsMessage)
        if message is None:
            break
        if not message.consent.is_active:
            message.status, message.failed, message.status_at = CANCELLED, True, utcnow()
            message.claimed_until = None
            db.session.commit()
            continue
        message.attempts += 1
        result = twilio.send(message.to_number, message.body, _status_callback())
        if result.ok:
            sent += 1
            message.sent_at = message.status_at = utcnow()
            message.provider_sid = result.sid
            message.status = result.status or QUEUED
            message.last_error = None
            message.next_poll_at = message.sent_at + first_poll_after()
        else:
            failed += 1
            message.last_error = result.error
            message.error_code = result.error_code
            message.next_attempt_at = utcnow() + timedelta(minutes=2**message.attempts)
            message.failed = result.permanent or message.attempts >= MAX_ATTEMPTS
            if message.failed:
                message.status, message.status_at = FAILED, utcnow()
            if result.error_code == twilio.UNSUBSCRIBED:
                stop_by_number(message.to_number, "provider")
            log.warning("sms %s not sent (attempt %s)", message.id, message.attempts)
        message.claimed_until = None
        db.session.commit()
    return sent, failed


def record_status(sid: str, status: str, error_code: str | None) -> SmsMessage | None:
    """A delivery report from the provider (status callback or a poll); flush only."""
    message = db.session.scalar(select(SmsMessage).where(SmsMessage.provider_sid == sid))
    if message is None or status not in PROVIDER_STATES:
        return None
    if STATE_ORDER.get(status, 0) < STATE_ORDER.get(message.status, 0):
        return message  # reports can arrive out of order: "sent" never undoes "delivered"
    message.status, message.status_at = status, utcnow()
    message.error_code = error_code or message.error_code
    if status in FINAL_STATES:
        message.next_poll_at = None  # nothing left to ask the provider (app.sms.poll)
    if error_code == twilio.UNSUBSCRIBED:
        stop_by_number(message.to_number, "provider")
    db.session.flush()
    return message
