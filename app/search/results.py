"""What a search returns: results for one page, built from services loaded in one go."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.search.geo import Place, distance_miles

UNKNOWN = "unknown"  # service-level capacity status when every figure is stale


@dataclass
class ResultLocation:
    id: str
    name: str
    address: str | None
    town: str | None
    latitude: float | None
    longitude: float | None


@dataclass
class CapacityInfo:
    unit: str
    available: int | None
    maximum: int | None
    status: str
    updated: datetime
    age_days: float
    stale: bool
    text: str


@dataclass
class SearchResult:
    service_id: str
    name: str
    organization_name: str
    location: ResultLocation | None
    distance_miles: float | None
    capacity_status: str
    capacity: list[CapacityInfo]
    capacity_stale: bool
    capacity_updated: datetime | None
    verdict: Any  # eligibility Verdict when a profile was given
    open_now: bool | None
    languages: list[str]
    last_verified_at: datetime | None
    score: float
    typo_match: bool = False


@dataclass
class SearchResults:
    total: int
    page: int
    per_page: int
    results: list[SearchResult] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    did_you_mean: str | None = None
    place: Place | None = None


@dataclass
class PageContext:
    now: datetime
    stale_days: int
    place: Place | None
    nearby: dict[str, tuple] | None
    cap_state: dict[str, str]
    open_state: dict[str, bool | None]
    verdicts: dict[str, Any]
    ranks: dict[str, float]


def build_page(page_ids: list[str], ctx: PageContext, tier: dict[str, int]) -> list[SearchResult]:
    from app.directory.models import Location, Service, ServiceAtLocation, ServiceCapacity
    from app.extensions import db

    if not page_ids:
        return []
    loaded = db.session.scalars(
        select(Service)
        .where(Service.id.in_(page_ids))
        .options(
            selectinload(Service.organization),
            selectinload(Service.languages),
            selectinload(Service.capacities).selectinload(ServiceCapacity.unit),
            selectinload(Service.service_at_locations)
            .selectinload(ServiceAtLocation.location)
            .selectinload(Location.addresses),
        )
    )
    by_id = {s.id: s for s in loaded}
    return [_result(by_id[i], ctx, tier[i]) for i in page_ids if i in by_id]


def _result(service: Any, ctx: PageContext, tier: int) -> SearchResult:
    from app.directory.capacity import capacity_line, is_stale

    locations = sorted(service.locations, key=lambda loc: loc.id)
    location, miles = (locations[0] if locations else None), None
    if ctx.nearby is not None and service.id in ctx.nearby:
        location_id = ctx.nearby[service.id][1]
        location = next((loc for loc in locations if loc.id == location_id), location)
    if ctx.place is not None and location is not None and location.latitude is not None:
        miles = distance_miles(
            (ctx.place.lat, ctx.place.lon), (location.latitude, location.longitude)
        )
    capacity = [
        CapacityInfo(
            unit=c.unit.name if c.unit else "places",
            available=c.available,
            maximum=c.maximum,
            status=str(c.status),
            updated=c.updated,
            age_days=(ctx.now - c.updated).total_seconds() / 86400,
            stale=is_stale(c, now=ctx.now, stale_days=ctx.stale_days),
            text=capacity_line(c, now=ctx.now, stale_days=ctx.stale_days),
        )
        for c in service.capacities
    ]
    return SearchResult(
        service_id=service.id,
        name=service.name,
        organization_name=service.organization.name,
        location=_location(location),
        distance_miles=round(miles, 2) if miles is not None else None,
        capacity_status=ctx.cap_state[service.id],
        capacity=capacity,
        capacity_stale=ctx.cap_state[service.id] == UNKNOWN,
        capacity_updated=max((c.updated for c in service.capacities), default=None),
        verdict=ctx.verdicts.get(service.id),
        open_now=ctx.open_state.get(service.id),
        languages=[lang.name for lang in service.languages],
        last_verified_at=service.last_verified_at,
        score=round(ctx.ranks[service.id], 4),
        typo_match=tier > 0,
    )


def _location(location: Any) -> ResultLocation | None:
    if location is None:
        return None
    address = location.address
    return ResultLocation(
        id=location.id,
        name=location.display_name,
        address=address.one_line() if address else None,
        town=location.town,
        latitude=location.latitude,
        longitude=location.longitude,
    )
