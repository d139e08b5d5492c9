"""Asking the provider for delivery statuses that never came back by the status callback.

A text handed to Twilio gets `next_poll_at` = sent + SMS_STATUS_POLL_MINUTES. The `sms_status`
job fetches each due text's status (GET .../Messages/{sid}.json) and records it like a callback
(app.sms.outbox.record_status). A final status (delivered, undelivered, failed) ends the asking;
otherwise the next ask waits as long as the text's age (15 min, 30 min, 1 h, 2 h...), and no
text older than SMS_STATUS_POLL_HOURS is asked about again: its last known status stays.

Pollers claim their rows like the outbox senders (app.notify.claims): a guarded UPDATE pushes
`next_poll_at` past the claim lease and commits before the HTTP call (PostgreSQL picks rows with
FOR UPDATE SKIP LOCKED), so two workers never ask about one text at once, and a poller that dies
leaves a lease that runs out, after which the next run asks.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, update

from app.common import utcnow
from app.extensions import db
from app.notify.claims import claim_lease, claim_row
from app.sms import twilio
from app.sms.models import CANCELLED, FINAL_STATES, SmsMessage
from app.sms.outbox import first_poll_after, record_status

log = logging.getLogger(__name__)


def horizon() -> timedelta:
    return timedelta(hours=int(current_app.config.get("SMS_STATUS_POLL_HOURS") or 48))


@dataclass
class PollCounts:
    asked: int = 0
    final: int = 0
    unanswered: int = 0  # the provider was down or did not know the text
    given_up: int = 0  # past the horizon, no final status

    def summary(self) -> str:
        return (
            f"{self.asked} asked, {self.final} final, {self.unanswered} without an answer, "
            f"{self.given_up} past the horizon"
        )


def _due(now: datetime) -> list[ColumnElement[bool]]:
    return [
        SmsMessage.next_poll_at <= now,
        SmsMessage.provider_sid.is_not(None),
        SmsMessage.status.not_in([*FINAL_STATES, CANCELLED]),
        SmsMessage.sent_at >= now - horizon(),
    ]


def _claim_next(now: datetime) -> SmsMessage | None:
    """Claim the text due longest ago that nobody holds (its next ask pushed past the lease),
    commit the claim, return it."""
    return claim_row(
        SmsMessage,
        lambda: _due(now),
        (SmsMessage.next_poll_at, SmsMessage.id),
        lambda: {"next_poll_at": utcnow() + claim_lease()},
    )


def _give_up(now: datetime) -> int:
    """Texts past the horizon leave the poll with their last known status."""
    count = db.session.execute(
        update(SmsMessage)
        .where(SmsMessage.next_poll_at.is_not(None), SmsMessage.sent_at < now - horizon())
        .values(next_poll_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return count


def next_ask(message: SmsMessage, now: datetime) -> datetime:
    """Wait as long as the text is old (doubling), at least SMS_STATUS_POLL_MINUTES."""
    age = now - (message.sent_at or now)
    return now + max(first_poll_after(), age)


def poll_statuses(limit: int = 200, now: datetime | None = None) -> PollCounts:
    """Ask about up to `limit` due texts; commits after each. Nothing without a provider."""
    counts = PollCounts()
    if not twilio.configured():
        return counts
    now = now or utcnow()
    counts.given_up = _give_up(now)
    while counts.asked < limit:
        message = _claim_next(now)
        if message is None:
            break
        counts.asked += 1
        result = twilio.fetch(message.provider_sid or "")
        if result.ok and result.status:
            record_status(message.provider_sid or "", result.status, result.error_code)
        else:
            counts.unanswered += 1
            log.warning("sms %s status not fetched: %s", message.id, result.error)
        if message.status in FINAL_STATES or result.unknown:
            message.next_poll_at = None
            counts.final += message.status in FINAL_STATES
        else:
            message.next_poll_at = next_ask(message, now)
        db.session.commit()
    return counts
