"""A job's `job_run` row: its lease (single flight across workers) and its last run.

Each function here runs its own short transaction and commits, like the outbox claim: a lease is
taken with one UPDATE guarded by "free or run out", so of two workers starting the same job at
once exactly one wins (PostgreSQL re-checks the guard after the other's commit; SQLite has one
writer). A worker killed mid-job rolls its work back and leaves a lease that runs out, after
which the next run does the work: nothing is lost, nothing is done twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.dialects import postgresql, sqlite

from app.common import utcnow
from app.extensions import db
from app.jobs.models import JobRun


def _ensure_row(name: str) -> None:
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(JobRun).values(name=name, runs=0).on_conflict_do_nothing())


def take_lease(name: str, lease: timedelta, now: datetime | None = None) -> bool:
    """Hold `name` until now + lease, if nobody holds it; commits. True when this caller won."""
    now = now or utcnow()
    _ensure_row(name)
    won = db.session.execute(
        update(JobRun)
        .where(
            JobRun.name == name,
            or_(JobRun.lease_until.is_(None), JobRun.lease_until <= now),
        )
        .values(lease_until=now + lease)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return won == 1


def record(
    name: str,
    status: str,
    summary: str,
    *,
    started: datetime,
    release: bool,
) -> None:
    """Write the outcome of one run (and let go of the lease); commits."""
    _ensure_row(name)
    values: dict = {
        "last_started_at": started,
        "last_finished_at": utcnow(),
        "last_status": status,
        "last_summary": summary[:300],
        "runs": JobRun.runs + 1,
    }
    if release:
        values["lease_until"] = None
    db.session.execute(
        update(JobRun)
        .where(JobRun.name == name)
        .values(values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
