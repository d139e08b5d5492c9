"""Capacity figures about to go stale: the ones a provider should confirm this week.

A figure is stale once nobody has confirmed it for CAPACITY_STALE_DAYS (app.directory.capacity
.is_stale); this finds the figures that already are, or will be within `within_days`, so the
provider's inbox can offer "Still accurate" before search stops trusting them. Confirming goes
through app.directory.capacity.confirm_capacity (history row, who and when).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.common import utcnow
from app.directory.capacity import is_stale
from app.directory.models import Service, ServiceCapacity
from app.directory.vocabulary import ServiceStatus
from app.extensions import db

SOON_DAYS = 3  # "about to go stale": within this many days


@dataclass(frozen=True)
class DueFigure:
    capacity: ServiceCapacity
    stale: bool  # already past the limit (the same rule search uses)
    days_left: int  # whole days until it is, when it is not yet


def figures_going_stale(
    organization_ids: Iterable[str],
    *,
    now: datetime | None = None,
    within_days: int = SOON_DAYS,
    stale_days: int | None = None,
) -> list[DueFigure]:
    """The organizations' figures that are stale or will be within `within_days`, stalest
    first. Services closed for good are left out: nobody refers to them."""
    ids = list(organization_ids)
    if not ids:
        return []
    now = now or utcnow()
    stale_days = current_app.config["CAPACITY_STALE_DAYS"] if stale_days is None else stale_days
    limit = now - timedelta(days=stale_days - within_days)
    rows = db.session.scalars(
        select(ServiceCapacity)
        .join(Service, ServiceCapacity.service_id == Service.id)
        .where(
            Service.organization_id.in_(ids),
            Service.status != ServiceStatus.DEFUNCT,
            ServiceCapacity.updated <= limit,
        )
        .order_by(ServiceCapacity.updated, ServiceCapacity.id)
        .options(selectinload(ServiceCapacity.service), selectinload(ServiceCapacity.unit))
    ).all()
    return [
        DueFigure(
            capacity,
            is_stale(capacity, now=now, stale_days=stale_days),
            _days_left(capacity, now, stale_days),
        )
        for capacity in rows
    ]


def _days_left(capacity: ServiceCapacity, now: datetime, stale_days: int) -> int:
    """Whole days until the figure turns stale, rounded up (0 once it has)."""
    stale_at = capacity.updated + timedelta(days=stale_days)
    return max(0, math.ceil((stale_at - now) / timedelta(days=1)))
