"""Data freshness: listings an administrator should chase, with the reason for each.

One query: each active service with its last verification, its count of stale capacity figures,
whether anyone can be e-mailed about it, and its open problem reports (correlated counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, or_, select

from app.directory.models import Organization, Service, ServiceCapacity
from app.directory.vocabulary import ServiceStatus
from app.extensions import db
from app.public.models import ProblemReport

LIMIT = 500


@dataclass(frozen=True)
class FreshnessRow:
    service_id: str
    service_name: str
    organization_name: str
    last_verified_at: datetime | None
    not_verified: bool
    stale_capacities: int
    no_email: bool
    open_problems: int


def stale_limits(now: datetime) -> tuple[datetime, datetime]:
    """(verified before this is overdue, capacity updated before this is stale)."""
    config = current_app.config
    return (
        now - timedelta(days=int(config.get("VERIFY_DAYS", 90))),
        now - timedelta(days=int(config.get("CAPACITY_STALE_DAYS", 14))),
    )


def stale_capacity_count(stale_before: datetime):  # noqa: ANN201
    """Correlated count of a service's capacity figures older than the stale limit."""
    return (
        select(func.count(ServiceCapacity.id))
        .where(ServiceCapacity.service_id == Service.id, ServiceCapacity.updated < stale_before)
        .scalar_subquery()
    )


def freshness_rows(now: datetime) -> list[FreshnessRow]:
    verify_before, stale_before = stale_limits(now)
    stale = stale_capacity_count(stale_before)
    problems = (
        select(func.count(ProblemReport.id))
        .where(ProblemReport.service_id == Service.id, ProblemReport.status == "open")
        .scalar_subquery()
    )
    not_verified = or_(Service.last_verified_at.is_(None), Service.last_verified_at < verify_before)
    no_email = func.coalesce(
        func.nullif(Service.email, ""), func.nullif(Organization.email, "")
    ).is_(None)
    rows = db.session.execute(
        select(
            Service.id,
            Service.name,
            Organization.name,
            Service.last_verified_at,
            stale.label("stale"),
            problems.label("problems"),
        )
        .join(Organization, Organization.id == Service.organization_id)
        .where(
            Service.status == ServiceStatus.ACTIVE,
            or_(not_verified, stale > 0, no_email, problems > 0),
        )
        .order_by(Organization.name, Service.name)
        .limit(LIMIT)
        .add_columns(not_verified.label("nv"), no_email.label("ne"))
    )
    return [
        FreshnessRow(sid, name, org, verified, bool(nv), int(st), bool(ne), int(pr))
        for sid, name, org, verified, st, pr, nv, ne in rows
    ]
