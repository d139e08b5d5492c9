"""The person's conditions against services: one service (the referral form) or the services
on a page of staff search results. Applied after the search, to the page shown, so the search
backends stay untouched and the person's conditions never reach an index."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.conditions.models import SupervisionConditions
from app.conditions.services import ConditionWarning, conditions_of, warnings_for
from app.directory.models import Address
from app.extensions import db
from app.search import facts

if TYPE_CHECKING:
    from app.directory.models import Service
    from app.referrals.models import Client


def _place(service: Service, location_id: str | None = None) -> tuple[str | None, str | None]:
    """Town and county of the chosen location, else of the service's first with an address."""
    locations = [loc for loc in service.locations if loc.id == location_id] or service.locations
    for location in locations:
        address = location.address
        if address is not None:
            return address.city, address.region
    return None, None


def service_warnings(
    client: Client, service: Service, location_id: str | None = None
) -> list[ConditionWarning]:
    """What the person's conditions say about this service at this location (its first with an
    address when none is chosen); empty without conditions."""
    conditions = conditions_of(client)
    if conditions is None:
        return []
    hours = facts.schedules([service.id]).get(service.id, [])
    town, county = _place(service, location_id)
    return warnings_for(conditions, hours, town, county)


def page_warnings(
    conditions: SupervisionConditions | None, results: list[Any]
) -> dict[str, list[ConditionWarning]]:
    """service id -> warnings, for the results on one page (no query when the page builder
    read their hours and counties, else two)."""
    if conditions is None or not results:
        return {}
    if all(getattr(r, "hours", None) is not None for r in results):  # read by the page builder
        hours = {r.service_id: r.hours for r in results}
    else:
        hours = facts.schedules([r.service_id for r in results])
    counties = _counties([r.location for r in results if r.location is not None])
    out = {}
    for r in results:
        town = r.location.town if r.location else None
        county = counties.get(r.location.id) if r.location else None
        found = warnings_for(conditions, hours.get(r.service_id, []), town, county)
        if found:
            out[r.service_id] = found
    return out


def _counties(locations: list[Any]) -> dict[str, str]:
    """location id -> county (an address's region), from what the page builder read when it
    read them, else in one query."""
    if all(getattr(loc, "regions", None) is not None for loc in locations):
        found = {}
        for location in locations:
            for _kind, region in location.regions:
                if region is not None:
                    found[location.id] = region
        return found
    return dict(
        db.session.execute(
            select(Address.location_id, Address.region).where(
                Address.location_id.in_([loc.id for loc in locations]),
                Address.region.is_not(None),
            )
        ).all()
    )
