"""What a search returns: results for one page, built from services loaded in one go.

The index chose and ordered the page; the labels shown here (capacity and its age, eligibility
verdict, open now) are read live from the database for these services only, so a change that
the index has not applied yet is never shown wrongly. A service that is gone or no longer
active by now is left off the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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
    # (address type, county) of each of its addresses, when the page builder read them (None
    # otherwise): the staff page's residency and conditions checks need no query of their own.
    regions: tuple[tuple[str, str | None], ...] | None = field(default=None, compare=False)


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
    # Opening hours (app.search.facts.ScheduleRow) as read for open now; None when not read.
    hours: list | None = field(default=None, repr=False, compare=False)


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
    versions: str | None = None  # the content versions the plan saw (app.search.page_rows)


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
    region: str | None = None  # county

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


def _load(
    ids: list[str], with_rules: bool, versions: str | None
) -> tuple[dict[str, _Service], dict[str, list], dict[str, list]]:
    """The page's active services, their opening hours and (with_rules) their eligibility
    rules, read together (app.search.page_rows: one round trip on PostgreSQL, and rows
    remembered under the plan's content `versions` not read again)."""
    from app.directory.vocabulary import ServiceStatus
    from app.search.facts import RuleRow, ScheduleRow
    from app.search.page_rows import read

    names = ["services", "capacities", "places", "hours"] + (["rules"] if with_rules else [])
    got = read(names, ids, versions)
    found: dict[str, _Service] = {}
    gone: set[str] = set()
    for *columns, status, language in got["services"]:
        sid = columns[0]
        service = found.get(sid)
        if service is None and sid not in gone:
            if status != ServiceStatus.ACTIVE:
                gone.add(sid)
                continue
            service = found[sid] = _Service(*columns)
        if service is not None and language is not None:
            service.languages.append(language)
    if not found:
        return found, {}, {}
    for row in got["capacities"]:
        if row[0] in found:
            unit = _Unit(row[1]) if row[1] else None
            found[row[0]].capacities.append(PageCapacity(unit, *row[2:]))
    places: dict[str, _Location] = {}
    linked: set[tuple[str, str]] = set()
    seen: set[str] = set()
    for sid, loc_id, name, lat, lon, address_id, *address in got["places"]:
        if sid not in found:
            continue
        place = places.get(loc_id)
        if place is None:
            place = places[loc_id] = _Location(loc_id, name, lat, lon)
        if (sid, loc_id) not in linked:
            linked.add((sid, loc_id))
            found[sid].locations.append(place)
        if address_id is not None and address_id not in seen:
            seen.add(address_id)
            place.addresses.append(_Address(*address))
    own: dict[str, list] = {}
    at_locations: dict[str, list] = {}
    for is_own, sid, *hours in got["hours"]:
        (own if is_own else at_locations).setdefault(sid, []).append(ScheduleRow(*hours))
    hours_of = {sid: own.get(sid, at_locations.get(sid, [])) for sid in found}
    rules: dict[str, list] = {}
    for sid, criterion, answer, values, min_age, max_age, strict in got.get("rules", []):
        if sid in found:
            rule = RuleRow(criterion, answer, values, min_age, max_age, bool(strict))
            rules.setdefault(sid, []).append(rule)
    return found, hours_of, rules


def build_page(page: list[tuple[str, int, float]], ctx: PageContext) -> list[SearchResult]:
    """SearchResults for (service id, tier, rank) in order, from the database."""
    from app.directory.eligibility import match_rules
    from app.search.open_now import is_open_at
    from app.search.query import capacity_state

    if not page:
        return []
    by_id, hours, rules = _load([sid for sid, _, _ in page], ctx.profile is not None, ctx.versions)
    out = []
    for sid, tier, rank in page:
        service = by_id.get(sid)
        if service is None:
            continue
        state = capacity_state(service.capacities, ctx.now, ctx.stale_days)
        verdict = match_rules(ctx.profile, rules.get(sid, [])) if ctx.profile else None
        open_now = is_open_at(hours.get(sid, []), ctx.moment)
        result = _result(service, ctx, tier, rank, state, verdict, open_now)
        result.hours = hours.get(sid, [])
        out.append(result)
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
        regions=tuple((a.address_type, a.region) for a in location.addresses),
    )
