"""What the database says about many candidate services at once: live status and verification,
capacity, eligibility rules, schedules and nearby locations.

Each loader is one query (chunked for long id lists) returning plain rows, never one query per
service and never full ORM objects: a search may weigh thousands of candidates and show 25.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Select, select

from app.directory.models import (
    EligibilityRule,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
)
from app.directory.vocabulary import Answer, CapacityStatus, Criterion, ServiceStatus
from app.extensions import db
from app.search.geo import BoundingBox

CHUNK = 5000


def _chunked(ids: Sequence[str] | None, build: Callable[[Sequence[str] | None], Select]) -> list:
    if ids is None:
        return list(db.session.execute(build(None)).all())
    rows: list = []
    for start in range(0, len(ids), CHUNK):
        rows.extend(db.session.execute(build(ids[start : start + CHUNK])).all())
    return rows


def active_services(ids: Sequence[str] | None) -> dict[str, datetime | None]:
    """id -> last_verified_at for the active services among `ids` (all active when None)."""

    def build(chunk: Sequence[str] | None) -> Select:
        stmt = select(Service.id, Service.last_verified_at).where(
            Service.status == ServiceStatus.ACTIVE
        )
        return stmt if chunk is None else stmt.where(Service.id.in_(chunk))

    return {row.id: row.last_verified_at for row in _chunked(ids, build)}


@dataclass(frozen=True)
class CapacityRow:
    service_id: str
    available: int | None
    maximum: int | None
    status: CapacityStatus
    updated: datetime


def capacities(ids: Sequence[str]) -> dict[str, list[CapacityRow]]:
    def build(chunk: Sequence[str] | None) -> Select:
        return select(
            ServiceCapacity.service_id,
            ServiceCapacity.available,
            ServiceCapacity.maximum,
            ServiceCapacity.status,
            ServiceCapacity.updated,
        ).where(ServiceCapacity.service_id.in_(chunk))

    found: dict[str, list[CapacityRow]] = {}
    for row in _chunked(ids, build):
        found.setdefault(row.service_id, []).append(CapacityRow(*row))
    return found


@dataclass(frozen=True)
class RuleRow:
    """An eligibility rule as the matcher needs it (satisfies eligibility.RuleLike)."""

    criterion: Criterion
    answer: Answer
    values: list[str]
    min_age: int | None
    max_age: int | None
    # Documents strictly required (no papers, no entry): kept in both indexes too (Whoosh
    # facts, search_rule.strict), so "hide who would refuse" hides such a place.
    strict: bool = False


def rule_columns() -> tuple[Any, ...]:
    """What a RuleRow is read from (service id first): the facts and the page builder alike."""
    return (
        EligibilityRule.service_id,
        EligibilityRule.criterion,
        EligibilityRule.answer,
        EligibilityRule.values,
        EligibilityRule.min_age,
        EligibilityRule.max_age,
        EligibilityRule.strict,
    )


def eligibility_rules(ids: Sequence[str]) -> dict[str, list[RuleRow]]:
    def build(chunk: Sequence[str] | None) -> Select:
        return select(*rule_columns()).where(EligibilityRule.service_id.in_(chunk))

    found: dict[str, list[RuleRow]] = {}
    for row in _chunked(ids, build):
        found.setdefault(row.service_id, []).append(
            RuleRow(*row[1:4], row.min_age, row.max_age, bool(row.strict))
        )
    return found


@dataclass(frozen=True)
class ScheduleRow:
    freq: str | None
    byday: str | None
    opens_at: time | None
    closes_at: time | None
    valid_from: date | None
    valid_to: date | None


SCHEDULE_COLUMNS = (
    Schedule.freq,
    Schedule.byday,
    Schedule.opens_at,
    Schedule.closes_at,
    Schedule.valid_from,
    Schedule.valid_to,
)


def schedules(ids: Sequence[str]) -> dict[str, list[ScheduleRow]]:
    """The service's own hours; a service without any uses its locations' hours."""

    def own(chunk: Sequence[str] | None) -> Select:
        return select(Schedule.service_id, *SCHEDULE_COLUMNS).where(Schedule.service_id.in_(chunk))

    def by_location(chunk: Sequence[str] | None) -> Select:
        return (
            select(ServiceAtLocation.service_id, *SCHEDULE_COLUMNS)
            .join(Schedule, Schedule.location_id == ServiceAtLocation.location_id)
            .where(Schedule.service_id.is_(None), ServiceAtLocation.service_id.in_(chunk))
        )

    found: dict[str, list[ScheduleRow]] = {}
    for row in _chunked(ids, own):
        found.setdefault(row[0], []).append(ScheduleRow(*row[1:]))
    without = [i for i in ids if i not in found]
    if without:
        fallback: dict[str, list[ScheduleRow]] = {}
        for row in _chunked(without, by_location):
            fallback.setdefault(row[0], []).append(ScheduleRow(*row[1:]))
        found.update(fallback)
    return found


@dataclass(frozen=True)
class NearbyLocation:
    service_id: str
    location_id: str
    lat: float
    lon: float


def locations_in_box(box: BoundingBox, ids: Iterable[str] | None = None) -> list[NearbyLocation]:
    """Locations of active services inside the box, answered by the lat/lon indexes."""
    stmt = (
        select(
            ServiceAtLocation.service_id,
            Location.id,
            Location.latitude,
            Location.longitude,
        )
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .where(box.sql_clause(Location.latitude, Location.longitude))
        .where(Service.status == ServiceStatus.ACTIVE)
    )
    rows: Any = db.session.execute(stmt).all()
    if ids is not None:
        wanted = set(ids)
        rows = [r for r in rows if r.service_id in wanted]
    return [NearbyLocation(*r) for r in rows]
