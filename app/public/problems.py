""" "Report a problem with this listing": saving reports and the admins' queue.

A report carries only what is wrong and an optional description; the form asks for no name
or contact. Admins assign it to the provider (who is told), resolve it (fixed) or dismiss it
(not a real problem); every step is kept as a ProblemReportEvent.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.common import utcnow
from app.directory.models import Service
from app.domain_errors import DomainError
from app.extensions import db
from app.public.models import ProblemReport, ProblemReportEvent

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
OPEN, ASSIGNED, RESOLVED, DISMISSED = "open", "assigned", "resolved", "dismissed"
STATUSES = (OPEN, ASSIGNED, RESOLVED, DISMISSED)
ACTIVE = (OPEN, ASSIGNED)


class ProblemError(DomainError, ValueError):
    """A report that cannot change that way (shown to the admin as it is)."""

    status = 422


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


def _record(
    report: ProblemReport, action: str, actor: User, note: str | None, at: datetime
) -> None:
    report.events.append(ProblemReportEvent(at=at, actor_id=actor.id, action=action, note=note))


def assign_report(
    report: ProblemReport, actor: User, note: str | None = None, now: datetime | None = None
) -> None:
    """Hand an open report to the listing's provider: their staff are told in the app and by
    e-mail (service name and a link only)."""
    from app.notify.services import email_addresses, notify_users, provider_contacts, provider_staff

    if report.status != OPEN:
        raise ProblemError("Only an open report can be assigned.")
    now = now or utcnow()
    organization = report.service.organization
    report.status = ASSIGNED
    report.assigned_organization_id = organization.id
    _record(report, ASSIGNED, actor, (note or "").strip()[:1000] or None, now)
    text = f"Someone reported a problem with your listing {report.service.name}"
    link = f"/directory/services/{report.service_id}/edit"
    notify_users(provider_staff(organization), "problem.assigned", text, link)
    problem = KIND_LABELS.get(report.kind, report.kind)
    body = f"{text}: {problem}.\n\nPlease check and correct the listing: {_absolute(link)}\n"
    email_addresses(provider_contacts(organization), text, body, "problem.assigned")
    db.session.flush()


def _absolute(path: str) -> str:
    from flask import current_app

    return current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/") + path


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
    if report.status not in ACTIVE:
        raise ProblemError("This report was already closed.")
    now = now or utcnow()
    text = (note or "").strip()[:1000] or None
    report.status = status
    report.resolved_at = now
    report.resolved_by_id = actor.id
    report.resolution_note = text
    _record(report, status, actor, text, now)
    db.session.flush()


def queue(status: str = OPEN) -> list[ProblemReport]:
    query = (
        select(ProblemReport)
        .options(
            selectinload(ProblemReport.service).selectinload(Service.organization),
            selectinload(ProblemReport.events).selectinload(ProblemReportEvent.actor),
        )
        .order_by(ProblemReport.created_at.desc())
        .limit(200)
    )
    if status == "active":
        query = query.where(ProblemReport.status.in_(ACTIVE))
    elif status in STATUSES:
        query = query.where(ProblemReport.status == status)
    return list(db.session.scalars(query))
