"""Uploaded imports: check and store the file, run it as a background job, keep the report.

`start_run` refuses what cannot be an HSDS import (empty, too large, not a zip or JSON file, a
zip that is not a zip, JSON that is not UTF-8) with a message at the file field, stores the
upload in an `import_run` row and asks for the `hsds_import` job after the commit
(app.jobs.hooks: RQ when REDIS_URL is set, else a thread of this process).

`run_import` is that job: it claims the run (queued -> running, so two workers never both
run it; a stalled run is claimed again), imports with the same detection and conversion as
`flask hsds import`, and ends the run as done (the import and the run's report commit
together) or failed (nothing imported; the report says which file, row and column).

Progress is written table by table on a connection of its own, so the progress page sees it
while the import's transaction is still open. Not on SQLite, which allows one writer at a
time: there the page shows the phase only.
"""

from __future__ import annotations

import io
import logging
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from app.common import utcnow
from app.domain_errors import Invalid
from app.extensions import db
from app.interop.models import STALLED_AFTER, ImportRun, RunStatus
from app.interop.report import ImportReport
from app.jobs.hooks import run_after_commit

log = logging.getLogger(__name__)

KINDS = {".zip": "a datapackage (.zip of CSV files)", ".json": "an HSDS JSON file"}
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_LISTED = 200  # problems listed one by one in a report; all of them are in the groups


def max_upload_bytes() -> int:
    return int(current_app.config.get("HSDS_UPLOAD_MAX_BYTES") or DEFAULT_MAX_BYTES)


def check_upload(file_name: str, data: bytes, limit: int) -> str:
    """The file's kind (".zip" or ".json"); Invalid at the file field when it cannot be one."""
    suffix = Path(file_name or "").suffix.lower()
    if suffix not in KINDS:
        raise Invalid("Choose a datapackage (.zip) or an HSDS JSON file (.json).", "file")
    if not data:
        raise Invalid("The file is empty.", "file")
    if len(data) > limit:
        raise Invalid(f"The file is larger than {limit // (1024 * 1024)} MB.", "file")
    if suffix == ".zip" and not zipfile.is_zipfile(io.BytesIO(data)):
        raise Invalid("The file is not a zip archive.", "file")
    if suffix == ".json":
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise Invalid(f"The file is not UTF-8 text (byte {exc.start + 1}); save it as "
                          "UTF-8 and upload it again.", "file") from exc  # fmt: skip
    return suffix


def start_run(file_name: str, data: bytes, user: Any) -> ImportRun:
    """Store an upload as a queued run (flush only); its job starts after the commit."""
    check_upload(file_name, data, max_upload_bytes())
    run = ImportRun(file_name=Path(file_name).name[:255], size=len(data), data=data,
                    uploaded_by_id=getattr(user, "id", None), progress={}, report={})  # fmt: skip
    db.session.add(run)
    db.session.flush()
    run_after_commit("hsds_import", {"run_id": run.id})
    return run


# --- the job -------------------------------------------------------------------------------------


def _claimable(now: datetime) -> Any:
    """Waiting, or stalled: a run whose process ended mid-import committed nothing, and its
    upload is still there, so it starts again from the beginning."""
    stalled = (ImportRun.status == RunStatus.RUNNING) & (ImportRun.started_at < now - STALLED_AFTER)
    return (ImportRun.status == RunStatus.QUEUED) | stalled


def waiting_runs() -> list[str]:
    return list(db.session.scalars(select(ImportRun.id).where(
        _claimable(utcnow())).order_by(ImportRun.created_at)))  # fmt: skip


def run_import(run_id: str) -> str:
    """Claim the run, import its file and record the outcome; commits."""
    now = utcnow()
    claimed = db.session.execute(
        update(ImportRun)
        .where(ImportRun.id == run_id, _claimable(now))
        .values(status=RunStatus.RUNNING, started_at=now, phase="reading the file")
    ).rowcount
    db.session.commit()
    if not claimed:
        return "nothing to do: no such run waiting"
    run = db.session.get(ImportRun, run_id)
    data = db.session.scalar(select(ImportRun.data).where(ImportRun.id == run_id)) or b""
    name, suffix = run.file_name, Path(run.file_name).suffix.lower()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"upload{suffix}"
            path.write_bytes(data)
            report = _import(path, name, run_id)
    except Exception as exc:  # noqa: BLE001 - the run must end, whatever the file did
        db.session.rollback()
        log.error("hsds import %s stopped: %s", run_id, type(exc).__name__)
        report = ImportReport()
        report.add("error", name, None, None, "the import stopped on something it could not "
                   f"read ({type(exc).__name__}); nothing was imported")  # fmt: skip
    if not report.ok:
        db.session.rollback()  # nothing of a failed import stays
    run = db.session.get(ImportRun, run_id)
    run.status = RunStatus.DONE if report.ok else RunStatus.FAILED
    run.phase = "finished" if report.ok else "stopped: nothing imported"
    run.version = report.version or ""
    run.finished_at = utcnow()
    run.report = report_document(report)
    run.progress = {**(run.progress or {}), **_counts(report)}
    run.data = None  # the upload is no longer needed; the report stays
    if report.ok:
        # The import writes rows in bulk, past the search sync: rebuild the search data once
        # it is committed (a job on RQ, else a thread; never in a request).
        from app.jobs.hooks import run_after_commit

        run_after_commit("search_rebuild", {})
    db.session.commit()
    return f"{run.status.value}: {report.summary()}"


def _import(path: Path, name: str, run_id: str) -> ImportReport:
    from app.interop.csv_import import import_path

    return import_path(path, source_name=name, progress=_progress_writer(run_id))


def _counts(report: ImportReport) -> dict[str, Any]:
    tables = sorted(set(report.created) | set(report.updated) | set(report.skipped))
    return {"tables": {t: report.created[t] + report.updated[t] for t in tables},
            "created": sum(report.created.values()), "updated": sum(report.updated.values()),
            "errors": len(report.errors), "warnings": len(report.warnings)}  # fmt: skip


def _progress_writer(run_id: str) -> Any:
    if db.engine.dialect.name == "sqlite":
        return None
    table = ImportRun.__table__

    def progress(table_name: str, report: ImportReport) -> None:
        values = {"phase": f"imported {table_name.replace('_', ' ')}",
                  "progress": _counts(report)}  # fmt: skip
        try:
            with db.engine.begin() as conn:
                conn.execute(update(table).where(table.c.id == run_id).values(values))
        except Exception:  # noqa: BLE001 - progress is a courtesy; the import goes on
            log.warning("hsds import %s: progress not written", run_id)

    return progress


# --- the report ----------------------------------------------------------------------------------


def report_document(report: ImportReport) -> dict[str, Any]:
    """The report as the run page shows it, grouped by kind: converted, dropped with the reason,
    counts, probable duplicates, errors and warnings (each with file, row and column)."""
    from app.interop.legacy.report import grouped_problems

    converted, dropped = [], []
    if report.conversion is not None:
        for file in sorted(report.conversion.files.values(), key=lambda f: f.file):
            converted.append({"file": file.file, "target": file.target, "read": file.read,
                              "converted": file.converted})  # fmt: skip
            for reason, count in file.dropped.most_common():
                dropped.append({"file": file.file, "reason": reason, "count": count,
                                "rows": list(file.examples.get(reason) or [])})  # fmt: skip
    tables = sorted(set(report.created) | set(report.updated) | set(report.skipped))
    counts = [{"table": t, "created": report.created[t], "updated": report.updated[t],
               "skipped": report.skipped[t]} for t in tables]  # fmt: skip

    def listed(problems: list) -> list[dict[str, Any]]:
        return [{"file": p.file, "row": p.row, "column": p.column, "message": p.message}
                for p in problems[:MAX_LISTED]]  # fmt: skip

    return {
        "ok": report.ok,
        "summary": report.summary(),
        "version": report.version,
        "conversion": report.conversion.summary() if report.conversion is not None else "",
        "converted": converted,
        "dropped": dropped,
        "counts": counts,
        "duplicates": report.duplicates,
        "errors": listed(report.errors),
        "error_count": len(report.errors),
        "error_groups": grouped_problems(report.errors),
        "warning_groups": grouped_problems(report.warnings),
        "warning_count": len(report.warnings),
    }
