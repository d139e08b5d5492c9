""" "Report a problem with this listing": saving reports and the admins' queue.

A report carries only what is wrong and an optional description; the form asks for no name
or contact. Admins resolve (fixed) or dismiss (not a real problem) each one.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.common import utcnow
from app.directory.models import Service
from app.extensions import db
from app.public.models import ProblemReport

if TYPE_CHECKING:
    from app.accounts.models import User

KINDS = ("wrong_phone", "closed", "moved", "wrong_hours", "other")
KIND_LABELS = {
    "wrong_phone": "Wrong phone number",
    "closed": "Closed",
    "moved": "Moved",
    "wrong_hours": "Wrong hours",
    "other": "Something else",
}
OPEN, RESOLVED, DISMISSED = "open", "resolved", "dismissed"
STATUSES = (OPEN, RESOLVED, DISMISSED)


class ProblemError(ValueError):
    pass


def report_problem(service: Service, kind: str, description: str | None) -> ProblemReport:
    if kind not in KINDS:
        raise ProblemError("unknown problem kind")
    text = (description or "").strip()[:1000] or None
    report = ProblemReport(
        service=service,
        kind=kind,
        description=text,
        assigned_organization_id=service.organization_id,
    )
    db.session.add(report)
    db.session.flush()
    return report


def close_report(
    report: ProblemReport,
    status: str,
    actor: User,
    note: str | None = None,
    now: datetime | None = None,
) -> None:
    """Mark a report resolved or dismissed; reopening is not offered (file a new one)."""
    if status not in (RESOLVED, DISMISSED):
        raise ProblemError("a report can only be resolved or dismissed")
    if report.status != OPEN:
        raise ProblemError("This report was already closed.")
    report.status = status
    report.resolved_at = now or utcnow()
    report.resolved_by_id = actor.id
    report.resolution_note = (note or "").strip()[:1000] or None
    db.session.flush()


def queue(status: str = OPEN) -> list[ProblemReport]:
    query = (
        select(ProblemReport)
        .options(selectinload(ProblemReport.service).selectinload(Service.organization))
        .order_by(ProblemReport.created_at.desc())
        .limit(200)
    )
    if status in STATUSES:
        query = query.where(ProblemReport.status == status)
    return list(db.session.scalars(query))
