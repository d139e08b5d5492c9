"""What a search returns: results for one page, built from services loaded in one go.

The index chose and ordered the page; the labels shown here (capacity and its age, eligibility
verdict, open now) are read live from the database for these services only, so a change that
the index has not applied yet is never shown wrongly. A service that is gone or no longer
active by now is left off the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.search.geo import Place, ellipsoid_miles

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
    organization_id: str | None = None
    is_sample: bool = False
    internal: Any = None  # staff-only labels (site-visit concern), filled in by the staff page
    hidden_reason: str | None = None  # why the filters would hide it (shown after "show them")


@dataclass
class SearchResults:
    total: int
    page: int
    per_page: int
    results: list[SearchResult] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    did_you_mean: str | None = None
    place: Place | None = None
    # "rebuilding" / "unusable": the index could not answer; these are plain database results
    fallback: str | None = None
    # reason -> how many places the person's filters left out (app.search.hidden)
    hidden: dict[str, int] = field(default_factory=dict)


@dataclass
class PageContext:
    now: datetime
    stale_days: int
    place: Place | None
    nearby: dict[str, tuple[float, str]] | None
    moment: datetime  # local wall-clock time, for open now
    profile: Any = None


@dataclass
class _Unit:
    name: str


@dataclass
class PageCapacity:
    """A capacity figure as the capacity helpers read it (no ORM object needed)."""

    unit: _Unit | None
    available: int | None
    maximum: int | None
    status: Any
    updated: datetime
    waitlist_length: int | None
    expected_wait: str | None


@dataclass
class _Address:
    address_1: str
    address_2: str | None
    city: str
    state_province: str
    postal_code: str
    address_type: str

    def one_line(self) -> str:
        street = ", ".join(p for p in (self.address_1, self.address_2) if p)
        return f"{street}, {self.city}, {self.state_province} {self.postal_code}"


@dataclass
class _Location:
    id: str
    name: str | None
    latitude: float | None
    longitude: float | None
    addresses: list[_Address] = field(default_factory=list)

    @property
    def address(self) -> _Address | None:
        physical = [a for a in self.addresses if a.address_type == "physical"]
        return (physical or self.addresses or [None])[0]

    @property
    def town(self) -> str | None:
        return self.address.city if self.address else None

    @property
    def display_name(self) -> str:
        return self.name or (self.address.address_1 if self.address else "Location")


@dataclass
class _Service:
    id: str
    name: str
    organization_id: str
    organization_name: str
    is_sample: bool
    last_verified_at: datetime | None
    languages: list[str] = field(default_factory=list)
    capacities: list[PageCapacity] = field(default_factory=list)
    locations: list[_Location] = field(default_factory=list)


def _load(ids: list[str]) -> dict[str, _Service]:
    """The page's services in five plain queries (rows, not ORM objects: this is the hot path)."""
    from app.directory.models import (
        Address,
        Language,
        Location,
        Organization,
        Service,
        ServiceAtLocation,
        ServiceCapacity,
        Unit,
    )
    from app.directory.vocabulary import ServiceStatus
    from app.extensions import db

    # Status is checked here, not in SQL: given "status = 'active'", SQLite's planner (with no
    # statistics) walks the status index over every active service instead of the 25 ids.
    rows = db.session.execute(
        select(
            Service.id,
            Service.name,
            Service.organization_id,
            Organization.name,
            Organization.is_sample,
            Service.last_verified_at,
            Service.status,
        )
        .join(Organization, Organization.id == Service.organization_id)
        .where(Service.id.in_(ids))
    ).all()
    found = {row[0]: _Service(*row[:-1]) for row in rows if row[-1] == ServiceStatus.ACTIVE}
    if not found:
        return found
    live = list(found)
    for sid, name in db.session.execute(
        select(Language.service_id, Language.name)
        .where(Language.service_id.in_(live))
        .order_by(Language.name)
    ):
        found[sid].languages.append(name)
    for row in db.session.execute(
        select(
            ServiceCapacity.service_id,
            Unit.name,
            ServiceCapacity.available,
            ServiceCapacity.maximum,
            ServiceCapacity.status,
            ServiceCapacity.updated,
            ServiceCapacity.waitlist_length,
            ServiceCapacity.expected_wait,
        )
        .outerjoin(Unit, Unit.id == ServiceCapacity.unit_id)
        .where(ServiceCapacity.service_id.in_(live))
        .order_by(ServiceCapacity.id)
    ):
        unit = _Unit(row[1]) if row[1] else None
        found[row[0]].capacities.append(PageCapacity(unit, *row[2:]))
    places: dict[str, _Location] = {}
    for sid, loc_id, name, lat, lon in db.session.execute(
        select(
            ServiceAtLocation.service_id,
            Location.id,
            Location.name,
            Location.latitude,
            Location.longitude,
        )
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(ServiceAtLocation.service_id.in_(live))
    ):
        place = places.setdefault(loc_id, _Location(loc_id, name, lat, lon))
        found[sid].locations.append(place)
    if places:
        for row in db.session.execute(
            select(
                Address.location_id,
                Address.address_1,
                Address.address_2,
                Address.city,
                Address.state_province,
                Address.postal_code,
                Address.address_type,
            )
            .where(Address.location_id.in_(list(places)))
            .order_by(Address.id)
        ):
            places[row[0]].addresses.append(_Address(*row[1:]))
    return found


def build_page(page: list[tuple[str, int, float]], ctx: PageContext) -> list[SearchResult]:
    """SearchResults for (service id, tier, rank) in order, from the database."""
    from app.directory.eligibility import match_rules
    from app.search import facts
    from app.search.open_now import is_open_at
    from app.search.query import capacity_state

    if not page:
        return []
    by_id = _load([sid for sid, _, _ in page])
    hours = facts.schedules(list(by_id))
    rules = facts.eligibility_rules(list(by_id)) if ctx.profile is not None else {}
    out = []
    for sid, tier, rank in page:
        service = by_id.get(sid)
        if service is None:
            continue
        state = capacity_state(service.capacities, ctx.now, ctx.stale_days)
        verdict = match_rules(ctx.profile, rules.get(sid, [])) if ctx.profile else None
        open_now = is_open_at(hours.get(sid, []), ctx.moment)
        out.append(_result(service, ctx, tier, rank, state, verdict, open_now))
    return out


def _result(
    service: _Service,
    ctx: PageContext,
    tier: int,
    rank: float,
    state: str,
    verdict: Any,
    open_now: bool | None,
) -> SearchResult:
    from app.directory.capacity import capacity_line, is_stale

    locations = sorted(service.locations, key=lambda loc: loc.id)
    location, miles = (locations[0] if locations else None), None
    if ctx.nearby is not None and service.id in ctx.nearby:
        location_id = ctx.nearby[service.id][1]
        location = next((loc for loc in locations if loc.id == location_id), location)
    if ctx.place is not None and location is not None and location.latitude is not None:
        miles = ellipsoid_miles(
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
            stale=is_stale(c, now=ctx.now, stale_days=ctx.stale_days),  # type: ignore[arg-type]
            text=capacity_line(c, now=ctx.now, stale_days=ctx.stale_days),  # type: ignore[arg-type]
        )
        for c in service.capacities
    ]
    return SearchResult(
        service_id=service.id,
        name=service.name,
        organization_name=service.organization_name,
        location=_location(location),
        distance_miles=round(miles, 2) if miles is not None else None,
        capacity_status=state,
        capacity=capacity,
        capacity_stale=state == UNKNOWN,
        capacity_updated=max((c.updated for c in service.capacities), default=None),
        verdict=verdict,
        open_now=open_now,
        languages=service.languages,
        last_verified_at=service.last_verified_at,
        score=round(rank, 4),
        typo_match=tier > 0,
        organization_id=service.organization_id,
        is_sample=service.is_sample,
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
