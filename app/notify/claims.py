"""Claiming outbox rows, so two senders running at once never deliver one message twice.

A sender claims one message at a time in its own short transaction, setting `claimed_until`
(a lease) on a row that is due and free, and commits before it talks to the mail server.
PostgreSQL picks the row with FOR UPDATE SKIP LOCKED, so senders take different rows without
waiting on each other; on SQLite (one writer at a time) the guarded UPDATE alone decides, and a
sender that changed no row lost the race and looks again. A sender that dies mid-send leaves a
lease that runs out, after which the message is tried again: delivery is at least once, and
never twice while a lease holds.

The same claim serves every outbox shaped like OutboxMessage (id, created_at, sent_at, failed,
next_attempt_at, claimed_until): text messages (app.sms) pass their own model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, or_, select, update

from app.common import utcnow
from app.extensions import db
from app.notify.models import OutboxMessage

# Far longer than one SMTP exchange (MAIL_TIMEOUT), so a live sender never loses its claim.
# OUTBOX_CLAIM_SECONDS overrides it (a test that kills a sender shortens it).
CLAIM_LEASE = timedelta(minutes=10)


def claim_lease() -> timedelta:
    seconds = current_app.config.get("OUTBOX_CLAIM_SECONDS")
    return timedelta(seconds=int(seconds)) if seconds else CLAIM_LEASE


def _claimable(now: datetime, ids: Sequence[str] | None, model: Any) -> list[ColumnElement[bool]]:
    conditions = [
        model.sent_at.is_(None),
        model.failed.is_(False),
        model.next_attempt_at <= now,
        or_(model.claimed_until.is_(None), model.claimed_until <= now),
    ]
    if ids is not None:
        conditions.append(model.id.in_(ids))
    return conditions


def claim_next(now: datetime, ids: Sequence[str] | None = None, model: Any = OutboxMessage) -> Any:
    """Claim the oldest message of `model` (the e-mail outbox by default) due at `now` that
    nobody holds, commit the claim, return it (None when there is none)."""
    return claim_row(
        model,
        lambda: _claimable(now, ids, model),
        (model.created_at, model.id),
        lambda: {"claimed_until": utcnow() + claim_lease()},
    )


def claim_row(
    model: Any,
    due: Callable[[], list[Any]],
    order: Sequence[Any],
    lease: Callable[[], dict[str, Any]],
) -> Any:
    """Claim the first row of `model` in `order` that meets `due()`, by writing `lease()` to it
    under the same conditions, commit the claim, return the row (None when none is due). On
    PostgreSQL the candidate is read FOR UPDATE SKIP LOCKED; everywhere the update is guarded,
    so of two workers racing for one row exactly one wins and the other takes the next."""
    postgres = db.session.get_bind().dialect.name == "postgresql"
    while True:
        query = select(model.id).where(*due()).order_by(*order).limit(1)
        if postgres:
            query = query.with_for_update(skip_locked=True)
        row_id = db.session.scalar(query)
        if row_id is None:
            db.session.commit()
            return None
        # Guarded: only wins if the row is still free (it always is under the PG row lock).
        won = db.session.execute(
            update(model)
            .where(model.id == row_id, *due())
            .values(**lease())
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
        if won == 1:
            return db.session.get(model, row_id, populate_existing=True)
