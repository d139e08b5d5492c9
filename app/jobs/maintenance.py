"""Nightly maintenance: drop what the app no longer needs; each rule a function tests call.

What goes, and why (keep-days are settings):
- Sent e-mail after OUTBOX_KEEP_DAYS (30), and given-up e-mail after as long: their bodies hold
  password-reset and confirm links. E-mail still waiting is never touched.
- Read in-app notices after NOTIFICATION_KEEP_DAYS (180); unread ones stay.
- Zero-result searches after ZERO_RESULT_KEEP_DAYS (730): the unmet-need report reads two years.
- API tokens API_TOKEN_GONE_DAYS (90) after they expired or were revoked: they can never work
  again, and the owner has had time to see them listed as ended.
- The Whoosh index's small segments are merged (a no-op on the postgres backend).
There is nothing else to purge: sign-in sessions live in signed cookies (ended by the sign-out
generation), and password-reset and confirm links are signed tokens that are not stored.
Each function flushes; the job commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, or_

from app.extensions import db

API_TOKEN_GONE_DAYS = 90


def _days(name: str, default: int) -> timedelta:
    return timedelta(days=int(current_app.config.get(name, default)))


def _delete(statement) -> int:  # noqa: ANN001
    result = db.session.execute(statement.execution_options(synchronize_session=False))
    return result.rowcount or 0


def purge_outbox(now: datetime) -> int:
    from app.notify.models import OutboxMessage as M

    before = now - _days("OUTBOX_KEEP_DAYS", 30)
    return _delete(
        delete(M).where(
            or_(
                and_(M.sent_at.is_not(None), M.sent_at < before),
                and_(M.sent_at.is_(None), M.failed.is_(True), M.created_at < before),
            )
        )
    )


def purge_notifications(now: datetime) -> int:
    from app.notify.models import Notification as N

    before = now - _days("NOTIFICATION_KEEP_DAYS", 180)
    return _delete(delete(N).where(N.read_at.is_not(None), N.read_at < before))


def purge_zero_results(now: datetime) -> int:
    from app.search.models import ZeroResultSearch as Z

    return _delete(delete(Z).where(Z.at < now - _days("ZERO_RESULT_KEEP_DAYS", 730)))


def purge_api_tokens(now: datetime) -> int:
    from app.accounts.models import ApiToken as T

    before = now - timedelta(days=API_TOKEN_GONE_DAYS)
    return _delete(
        delete(T).where(
            or_(T.expires_at < before, and_(T.revoked_at.is_not(None), T.revoked_at < before))
        )
    )


def merge_index_segments() -> int | None:
    """Merge the Whoosh index's small segments; None on the postgres backend."""
    from app.search.sync import backend_name

    if backend_name(current_app) != "whoosh":
        return None
    from app.search.index import merge_small_segments

    return merge_small_segments()


def nightly(now: datetime) -> str:
    counts = {
        "sent or given-up e-mails": purge_outbox(now),
        "read notices": purge_notifications(now),
        "zero-result searches": purge_zero_results(now),
        "ended API tokens": purge_api_tokens(now),
    }
    db.session.flush()
    summary = "deleted: " + ", ".join(f"{what} {n}" for what, n in counts.items())
    segments = merge_index_segments()
    if segments is not None:
        summary += f"; search index had {segments} segments"
    return summary
