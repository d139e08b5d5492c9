"""Staff-only labels for a page of results: the latest site visit's concern. Internal to the
network (counselors and admins), fetched for the services on the page only, never indexed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.directory.models import SiteVisit
from app.directory.vocabulary import SiteVisitOverall
from app.extensions import db

CONCERNS = (SiteVisitOverall.WITH_CONCERNS, SiteVisitOverall.DO_NOT_REFER)


@dataclass(frozen=True)
class VisitConcern:
    overall: SiteVisitOverall
    visited_on: date

    @property
    def label(self) -> str:
        return f"Site visit: {self.overall.label.lower()}"


def site_visit_concerns(service_ids: list[str]) -> dict[str, VisitConcern]:
    """service id -> the concern of its latest site visit, when that visit raised one."""
    if not service_ids:
        return {}
    rows = db.session.execute(
        select(SiteVisit.service_id, SiteVisit.overall, SiteVisit.visited_on)
        .where(SiteVisit.service_id.in_(service_ids))
        .order_by(SiteVisit.service_id, SiteVisit.visited_on.desc(), SiteVisit.created_at.desc())
    ).all()
    latest: dict[str, tuple] = {}
    for row in rows:
        latest.setdefault(row.service_id, row)
    return {
        sid: VisitConcern(row.overall, row.visited_on)
        for sid, row in latest.items()
        if row.overall in CONCERNS
    }
