"""Tables of the import: each uploaded run, where each imported record came from, and the
probable duplicates between sources waiting for an administrator."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.common import UTCDateTime, enum_type, new_id, utcnow
from app.extensions import db

# A run still "running" this long after it started lost its process (a restart, a killed
# worker): longer than the job's timeout (app.jobs.tasks), so never a run that is alive.
STALLED_AFTER = timedelta(hours=2)


class RunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"queued": "Waiting to start", "running": "Running", "done": "Done",
                "failed": "Nothing imported"}[self.value]  # fmt: skip


class DuplicateStatus(enum.StrEnum):
    OPEN = "open"
    MERGED = "merged"
    KEPT_APART = "kept_apart"

    @property
    def label(self) -> str:
        return {"open": "To review", "merged": "Merged", "kept_apart": "Kept apart"}[self.value]


class ImportRun(db.Model):
    """One uploaded datapackage or JSON file and what importing it did. The upload itself is
    kept in the row (so any worker can read it) until the run ends, then cleared."""

    __tablename__ = "import_run"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    file_name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(default=0)
    uploaded_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[RunStatus] = mapped_column(
        enum_type(RunStatus, "import_run_status"), default=RunStatus.QUEUED
    )
    phase: Mapped[str] = mapped_column(String(100), default="waiting for a worker")
    version: Mapped[str] = mapped_column(String(20), default="")  # HSDS version detected
    # {"tables": {name: rows}, "created": n, "updated": n, ...} while and after running
    progress: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # the report grouped by kind (app.interop.runs.report_document); {} until it ends
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    uploaded_by = relationship("User", lazy="joined")

    @property
    def stalled(self) -> bool:
        return (self.status == RunStatus.RUNNING and self.started_at is not None
                and self.started_at < utcnow() - STALLED_AFTER)  # fmt: skip

    @property
    def running(self) -> bool:
        """Still to end: the page refreshes itself."""
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING) and not self.stalled


class SourceRecord(db.Model):
    """An organization or service id as a source gave it, and the record it is now. Equal ids
    for a plain import; after a merge the removed record's id points at the kept one, so a later
    re-import of that source updates the kept record instead of recreating the other."""

    __tablename__ = "source_record"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # organization | service
    source_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    source: Mapped[str] = mapped_column(String(255), default="")  # the file it came from
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DuplicateCandidate(db.Model):
    """Two records that probably describe the same organization or service. Kept after review
    (merged or kept apart), so a pair is never flagged twice."""

    __tablename__ = "duplicate_candidate"
    __table_args__ = (UniqueConstraint("kind", "first_id", "second_id", name="uq_duplicate_pair"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(20))  # organization | service
    first_id: Mapped[str] = mapped_column(String(36))  # the record that was there first
    second_id: Mapped[str] = mapped_column(String(36))  # the one the later import created
    reason: Mapped[str] = mapped_column(String(100))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[DuplicateStatus] = mapped_column(
        enum_type(DuplicateStatus, "duplicate_status"), default=DuplicateStatus.OPEN, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    kept_id: Mapped[str | None] = mapped_column(String(36))
