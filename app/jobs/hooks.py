"""After a commit that queued e-mail, a job to send it (when a queue is configured).

The outbox row is written in the same transaction as its cause; the job is asked for only after
that transaction commits, so a worker never looks for a row that is not there yet, and a rollback
asks for nothing. If Redis does not answer, the commit stands and the message waits for the
scheduler's minute run (or `flask jobs run outbox`).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event

from app.jobs import runner

log = logging.getLogger(__name__)

PENDING = "jobs_outbox_ids"
PENDING_SMS = "jobs_sms_ids"
_installed = False


def init_jobs(app: Flask) -> None:
    global _installed
    if _installed:
        return
    from flask_sqlalchemy.session import Session

    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)
    _installed = True


def _after_flush(session: Any, flush_context: Any) -> None:
    from app.notify.models import OutboxMessage
    from app.sms.models import SmsMessage

    ids = [obj.id for obj in session.new if isinstance(obj, OutboxMessage)]
    if ids:
        session.info.setdefault(PENDING, []).extend(ids)
    texts = [obj.id for obj in session.new if isinstance(obj, SmsMessage)]
    if texts:
        session.info.setdefault(PENDING_SMS, []).extend(texts)


def _after_commit(session: Any) -> None:
    ids = session.info.pop(PENDING, None)
    texts = session.info.pop(PENDING_SMS, None)
    if not (ids or texts) or not has_app_context():
        return
    app = current_app._get_current_object()  # noqa: SLF001
    if runner.enabled(app):
        if ids:
            runner.enqueue(app, "outbox", kwargs={"ids": ids})
        if texts:
            runner.enqueue(app, "sms_outbox", kwargs={"ids": texts})


def _after_rollback(session: Any) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(PENDING_SMS, None)
