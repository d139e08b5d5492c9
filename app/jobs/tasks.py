"""The jobs, by name: each calls the domain's own service functions and commits.

`run_job(name)` is what RQ runs (and `flask jobs run NAME` inline): it pushes a fresh app
context (its own database session), takes the job's lease when it has one, runs it, commits, and
records the outcome in `job_run`. A job that fails is rolled back and recorded as failed (RQ keeps
the traceback in its failed-job registry); whatever it had not committed is done by the next run.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import Flask, current_app, has_app_context

from app.common import utcnow
from app.extensions import db
from app.jobs import leases

log = logging.getLogger(__name__)

OUTBOX_BATCH = 200


@dataclass(frozen=True)
class JobSpec:
    name: str
    run: Callable[..., str]  # does the work (flush or commit), returns a summary of counts
    timeout: int  # seconds RQ lets it run
    # None: runs concurrently (it claims its rows itself). Else a single-flight lease, longer
    # than `timeout`, so a job is stopped by RQ before its lease can run out under it.
    lease: timedelta | None = None
    whoosh_only: bool = False
    help: str = ""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _outbox(ids: list[str] | None = None) -> str:
    from app.notify.services import send_pending

    sent, failed = send_pending(limit=OUTBOX_BATCH, ids=ids)
    return f"{sent} sent, {failed} failed"


def _sms_outbox(ids: list[str] | None = None) -> str:
    from app.sms.outbox import send_pending

    sent, failed = send_pending(limit=OUTBOX_BATCH, ids=ids)
    return f"{sent} sent, {failed} failed"


def _sms_status() -> str:
    from app.sms.poll import poll_statuses

    return poll_statuses(limit=OUTBOX_BATCH).summary()


def _intake_texts() -> str:
    from app.sms.news import intake_reminders

    return f"{_plural(intake_reminders(), 'intake reminder')} queued"


def _referral_reminders() -> str:
    from app.referrals.reminders import remind_overdue

    return f"{_plural(remind_overdue(), 'overdue referral')} reminded"


def _consent_notices() -> str:
    from app.referrals.reminders import notify_expiring_consents

    return f"{_plural(notify_expiring_consents(), 'care team')} told of a consent ending soon"


def _verification_outreach() -> str:
    from app.reports.reminders import send_reminders

    return f"{_plural(send_reminders(), 'verification reminder')} queued"


def _index_dir() -> Path:
    from app.search.index import index_dir_from_config

    return index_dir_from_config()


def _search_queue() -> str:
    from app.search import queue as wqueue
    from app.search.sync import backend_name, drain

    if backend_name(current_app) != "whoosh":
        return "nothing to do: the postgres backend writes search rows with each change"
    path = _index_dir()
    waiting = len(wqueue.pending(path))
    outcome = drain(current_app._get_current_object(), path)  # noqa: SLF001
    return f"{_plural(waiting, 'queued update')} found; {outcome}"


def _search_rebuild(only_if_missing: bool = False) -> str:
    from app.search.sync import backend_name

    if backend_name(current_app) == "postgres":
        from app.search.pg_backend import PostgresBackend

        # Builds fresh tables beside the live ones, vacuums them and swaps them in.
        count = PostgresBackend().rebuild()
        db.session.commit()
        return f"{_plural(count, 'service')} indexed in PostgreSQL"
    from app.search import queue as wqueue
    from app.search.index import rebuild_index, usable_now

    path = _index_dir()
    with wqueue.writer_lock(path, timeout=3600) as got:
        if not got:
            raise RuntimeError("the search index writer lock stayed busy")
        if only_if_missing and usable_now(path):
            return "index already there"
        return f"{_plural(rebuild_index(path), 'service')} indexed"


def _hsds_import(run_id: str = "") -> str:
    """One uploaded import run; without a run id, every run still waiting (oldest first)."""
    from app.interop.runs import run_import, waiting_runs

    ids = [run_id] if run_id else waiting_runs()
    return "; ".join(run_import(i) for i in ids) or "nothing to do: no import waiting"


def _maintenance() -> str:
    from app.jobs.maintenance import nightly

    return nightly(utcnow())


JOBS: dict[str, JobSpec] = {
    spec.name: spec
    for spec in (
        JobSpec("outbox", _outbox, timeout=900, help="Send e-mail waiting in the outbox."),
        JobSpec("sms_outbox", _sms_outbox, timeout=900, help="Send texts waiting in the outbox."),
        JobSpec(
            "sms_status",
            _sms_status,
            timeout=900,
            help="Ask Twilio for the delivery status of texts that have no final report yet.",
        ),
        JobSpec(
            "intake_texts",
            _intake_texts,
            timeout=900,
            lease=timedelta(hours=1),
            help="Text people with consent the day before an intake (hourly, 10 am to 8 pm).",
        ),
        JobSpec(
            "referral_reminders",
            _referral_reminders,
            timeout=900,
            help="Remind providers once about each overdue referral.",
        ),
        JobSpec(
            "consent_notices",
            _consent_notices,
            timeout=900,
            help="Tell care teams once when a consent ends within 14 days.",
        ),
        JobSpec(
            "verification_outreach",
            _verification_outreach,
            timeout=1800,
            lease=timedelta(hours=1),
            help="Ask provider contacts to check listings that are overdue for a check.",
        ),
        JobSpec(
            "search_queue",
            _search_queue,
            timeout=900,
            whoosh_only=True,
            help="Apply queued search index updates (Whoosh, one server).",
        ),
        JobSpec(
            "search_rebuild",
            _search_rebuild,
            timeout=3600,
            lease=timedelta(hours=2),
            help="Rebuild the search index (or PostgreSQL search rows) from the database.",
        ),
        JobSpec(
            "hsds_import",
            _hsds_import,
            timeout=3600,
            help="Import an uploaded HSDS datapackage or JSON file (all waiting uploads).",
        ),
        JobSpec(
            "maintenance",
            _maintenance,
            timeout=1800,
            lease=timedelta(hours=1),
            help="Nightly: delete old sent e-mail, read notices, old zero-result searches; "
            "merge small search index segments.",
        ),
    )
}


def execute(name: str, **kwargs: object) -> str:
    """Run job `name` in the current app context: lease, run, commit, record. Returns the
    summary; re-raises the job's error after recording it."""
    spec = JOBS[name]
    started = utcnow()
    if spec.lease is not None and not leases.take_lease(name, spec.lease, started):
        summary = "skipped: another worker is running it"
        leases.record(name, "skipped", summary, started=started, release=False)
        log.info("job %s %s", name, summary)
        return summary
    try:
        summary = spec.run(**kwargs)
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        # The type only: an exception's text may quote data (an address, a query).
        with contextlib.suppress(Exception):  # the database may be what failed
            leases.record(
                name, "failed", type(exc).__name__, started=started, release=spec.lease is not None
            )
        log.error("job %s failed: %s", name, type(exc).__name__)
        raise
    leases.record(name, "ok", summary, started=started, release=spec.lease is not None)
    log.info("job %s: %s", name, summary)
    return summary


_standalone: Flask | None = None


def _app() -> Flask:
    """The app of `flask jobs worker` (its CLI context), else one built from the environment
    (an `rq worker` started by hand)."""
    global _standalone
    if has_app_context():
        return current_app._get_current_object()  # noqa: SLF001
    if _standalone is None:
        from app import create_app

        _standalone = create_app()
    return _standalone


def run_job(name: str, **kwargs: object) -> str:
    """RQ's entry point: each job in its own app context, so its own database session."""
    with _app().app_context():
        return execute(name, **kwargs)
