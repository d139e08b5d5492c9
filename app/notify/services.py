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
from app.notify.claims import claim_next
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

    Safe to run from a request after its commit, or from `flask outbox send` in cron, also
    several at once: each message is claimed before it is sent (app.notify.claims). A message
    that cannot be delivered stays pending with a growing backoff and is marked failed after
    MAX_ATTEMPTS, so a mail server that is down loses nothing.
    """
    now = utcnow()
    sent = failed = 0
    while sent + failed < limit:
        message = claim_next(now, ids)
        if message is None:
            break
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
        message.claimed_until = None
        db.session.commit()
    if current_app.debug and (sent or failed):
        log.info("outbox: %s sent, %s failed", sent, failed)
    return sent, failed


def send_after_response(ids: list[str]) -> None:
    """Deliver these committed messages once the current response has gone to the browser.

    The person gets their answer at once and at the same speed whether or not a message was
    queued (so timing reveals nothing, e.g. whether an account exists); anything that fails
    stays in the outbox for `flask outbox send`.

    With a job queue (REDIS_URL), the worker sends it instead: the commit already asked for a job
    (app.jobs.hooks), so this web process does nothing more.
    """
    from flask import after_this_request

    from app.jobs.runner import enabled

    app = current_app._get_current_object()  # noqa: SLF001 - the callback outlives the request
    if enabled(app):
        return

    @after_this_request
    def _schedule(response):  # noqa: ANN001,ANN202
        def _send() -> None:
            with app.app_context():
                send_pending(ids=ids)

        response.call_on_close(_send)
        return response


# --- in-app notifications and who to tell ---------------------------------------------------------


def notify_users(users, kind: str, text: str, link: str | None = None) -> list:  # noqa: ANN001
    """One in-app notification per (distinct, active) user, in the caller's transaction."""
    from app.notify.models import Notification

    made, seen = [], set()
    for user in users:
        if user is None or not user.active or user.id in seen:
            continue
        seen.add(user.id)
        notification = Notification(user_id=user.id, kind=kind, text=text[:300], link=link)
        db.session.add(notification)
        made.append(notification)
    return made


def email_users(users, subject: str, body: str, kind: str) -> list[OutboxMessage]:  # noqa: ANN001
    """Queue one e-mail per distinct active user address."""
    return email_addresses(
        [u.email for u in users if u is not None and u.active], subject, body, kind
    )


def email_addresses(addresses, subject: str, body: str, kind: str) -> list[OutboxMessage]:  # noqa: ANN001
    seen, messages = set(), []
    for address in addresses:
        key = (address or "").strip().lower()
        if not key or key in seen:
            continue
        seen.add(key)
        messages.append(queue_email(address.strip(), subject, body, kind))
    return messages


def provider_staff(organization) -> list:  # noqa: ANN001
    """Active provider-staff accounts of an organization, in a stable order."""
    from app.accounts.models import Role

    members = [u for u in organization.members if u.active and u.role == Role.PROVIDER]
    return sorted(members, key=lambda u: u.email)


def provider_contacts(organization) -> list[str]:  # noqa: ANN001
    """Where to e-mail an organization: its staff accounts and its own address, no repeats."""
    out, seen = [], set()
    for address in [u.email for u in provider_staff(organization)] + [organization.email]:
        key = (address or "").strip().lower()
        if key and key not in seen:
            seen.add(key)
            out.append(address.strip())
    return out


def notifications_query(user, *, unread_only: bool = False):  # noqa: ANN001,ANN201
    """A user's in-app notifications, newest first."""
    from app.notify.models import Notification

    query = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return query.order_by(Notification.created_at.desc(), Notification.id)


def unread_count(user) -> int:  # noqa: ANN001
    from sqlalchemy import func

    from app.notify.models import Notification

    return (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def mark_read(user, notification_ids: list[str] | None = None) -> int:  # noqa: ANN001
    """Mark the user's notifications (all, or the given ids) read; flush only."""
    from sqlalchemy import update

    from app.notify.models import Notification

    statement = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_ids is not None:
        statement = statement.where(Notification.id.in_(notification_ids))
    result = db.session.execute(
        statement.values(read_at=utcnow()).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
