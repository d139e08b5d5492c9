"""One row per job name: its last run, and a lease that keeps a job from running twice at once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.common import UTCDateTime
from app.extensions import db


class JobRun(db.Model):
    __tablename__ = "job_run"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    # Held while a single-flight job runs (app.jobs.leases); NULL or past = free.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # ok, failed, skipped (another worker held the lease)
    last_status: Mapped[str | None] = mapped_column(String(20))
    # Counts only ("3 sent, 0 failed"), or the exception's type: never message text or data.
    last_summary: Mapped[str | None] = mapped_column(String(300))
    runs: Mapped[int] = mapped_column(default=0)
