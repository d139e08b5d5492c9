"""Staff-only parts of the search: the latest site visit's concern for a page of results
(internal to the network, counselors and admins, fetched for the services on the page only,
never indexed), and the safe way back from a service page to the results it was opened from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from flask import url_for
from sqlalchemy import select

from app.accounts.services import is_safe_next
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


MAX_BACK = 2000  # characters; a search's query string is far shorter


def results_url(target: str | None) -> str | None:
    """The staff search a service page was opened from, for its "Back to results" link: only
    a same-site relative address of the staff search page (never another host, scheme or
    page, so the parameter cannot send anyone elsewhere); None otherwise."""
    if not target or len(target) > MAX_BACK or not is_safe_next(target):
        return None
    parts = urlsplit(target)
    if parts.path != url_for("search.staff") or parts.fragment:
        return None
    return target
