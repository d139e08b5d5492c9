"""Internal site visits: what a counselor saw in person before referring people somewhere.

Visits are for counselors and admins only (permission site_visit.*): never shown to providers, on
public pages, in the search index or in e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.clock import local_today
from app.directory.models import Service, SiteVisit
from app.directory.vocabulary import Rating, SiteVisitOverall
from app.domain_errors import FieldErrors
from app.extensions import db
from app.plausible import DateKind, problem_with

FUTURE_DATE = "The visit date cannot be in the future."
FOLLOW_UP_NOTE_NEEDED = "Say what follow-up is needed."
UNKNOWN_LOCATION = "Choose one of this service's locations."


@dataclass
class SiteVisitData:
    visited_on: date
    visitor_name: str
    overall: SiteVisitOverall
    safety: Rating = Rating.NOT_SEEN
    cleanliness: Rating = Rating.NOT_SEEN
    staff_responsiveness: Rating = Rating.NOT_SEEN
    location_id: str | None = None
    house_rules: str | None = None
    fees: str | None = None
    mat_policy_in_practice: str | None = None
    notes: str | None = None
    follow_up_needed: bool = False
    follow_up_note: str | None = None


class SiteVisitError(FieldErrors, ValueError):
    """The visit cannot be recorded: `problems` maps each form field to its message."""


def visit_problems(service: Service, data: SiteVisitData) -> dict[str, str]:
    """What is wrong with a visit record, by field name (empty = fine to save)."""
    problems: dict[str, str] = {}
    if data.visited_on > local_today():
        problems["visited_on"] = FUTURE_DATE
    elif message := problem_with(DateKind.SITE_VISIT, data.visited_on):
        problems["visited_on"] = message
    if data.follow_up_needed and not (data.follow_up_note or "").strip():
        problems["follow_up_note"] = FOLLOW_UP_NOTE_NEEDED
    if data.location_id and data.location_id not in {loc.id for loc in service.locations}:
        problems["location_id"] = UNKNOWN_LOCATION
    if not data.visitor_name.strip():
        problems["visitor_name"] = "Say who visited."
    return problems


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def record_site_visit(service: Service, data: SiteVisitData, actor: Any) -> SiteVisit:
    """Add a visit to the service. Flush only; the request commits."""
    problems = visit_problems(service, data)
    if problems:
        raise SiteVisitError(problems)
    visit = SiteVisit(
        service=service,
        location_id=data.location_id or None,
        visited_on=data.visited_on,
        visitor=actor,
        visitor_name=data.visitor_name.strip(),
        safety=data.safety,
        cleanliness=data.cleanliness,
        staff_responsiveness=data.staff_responsiveness,
        house_rules=_text(data.house_rules),
        fees=_text(data.fees),
        mat_policy_in_practice=_text(data.mat_policy_in_practice),
        overall=data.overall,
        notes=_text(data.notes),
        follow_up_needed=data.follow_up_needed,
        follow_up_note=_text(data.follow_up_note),
    )
    db.session.add(visit)
    db.session.flush()
    return visit
