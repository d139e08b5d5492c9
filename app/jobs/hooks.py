"""After a commit that queued e-mail, a job to send it (when a queue is configured); after a
commit that asked for a job with `run_after_commit`, that job: on the queue when there is one,
else (no REDIS_URL, as `make run` has, or Redis not answering) in a thread of this process.

The outbox row is written in the same transaction as its cause; the job is asked for only after
that transaction commits, so a worker never looks for a row that is not there yet, and a rollback
asks for nothing. If Redis does not answer, the commit stands and the message waits for the
scheduler's minute run (or `flask jobs run outbox`).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event

from app.jobs import runner

log = logging.getLogger(__name__)

PENDING = "jobs_outbox_ids"
PENDING_SMS = "jobs_sms_ids"
AFTER_COMMIT = "jobs_after_commit"
THREADS = "partners_job_threads"  # app.extensions: threads started here (tests join them)
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


def run_after_commit(name: str, kwargs: dict[str, Any]) -> None:
    """Ask for job `name` once the current transaction commits (never if it rolls back)."""
    from app.extensions import db

    db.session.info.setdefault(AFTER_COMMIT, []).append((name, kwargs))


def _start_jobs(session: Any) -> None:
    wanted = session.info.pop(AFTER_COMMIT, None)
    if not wanted or not has_app_context():
        return
    app = current_app._get_current_object()  # noqa: SLF001
    for name, kwargs in wanted:
        if not runner.enqueue(app, name, kwargs=kwargs):
            start_thread(app, name, kwargs)


def start_thread(app: Flask, name: str, kwargs: dict[str, Any]) -> threading.Thread:
    """Run job `name` in a daemon thread with its own app context (its own session)."""
    from app.jobs.tasks import execute

    def work() -> None:
        with app.app_context():
            try:
                execute(name, **kwargs)
            except Exception:  # noqa: BLE001 - execute recorded the failure in job_run
                log.warning("jobs: %s failed in its thread", name)

    thread = threading.Thread(target=work, name=f"job-{name}", daemon=True)
    threads = app.extensions.setdefault(THREADS, [])
    threads[:] = [t for t in threads if t.is_alive()]
    threads.append(thread)
    thread.start()
    return thread


def _after_commit(session: Any) -> None:
    _start_jobs(session)
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
    session.info.pop(AFTER_COMMIT, None)
