"""Residency verdicts on staff pages: the housing results of a search for a person on the
registry, and the locations of a housing service page.

The verdicts are worked out for the page's housing results. "Hide housing barred by residency
rules" is a filter of the search itself (`hide_barred`: the barred services of
app.residency.barred go to the search as an exclusion its total, facets and pages respect, counted
among the hidden reasons: "2 barred by residency rules").
Only users who may see it (counselors, administrators: `residency.view`) ever get a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, or_, select

from app.directory.models import Address, TaxonomyTerm, service_taxonomy_term
from app.directory.vocabulary import FLAG_FOR, Criterion
from app.extensions import db
from app.permissions import can
from app.residency.index import current
from app.residency.verdicts import Verdict, Where, check

HOUSING = "housing"


@dataclass
class PageResidency:
    verdicts: dict[str, Verdict] = field(default_factory=dict)  # service id -> verdict
    hiding: bool = False


def housing_services() -> Select:
    """The ids of services with a housing need area (or one under it)."""
    return (
        select(service_taxonomy_term.c.service_id)
        .join(TaxonomyTerm, TaxonomyTerm.id == service_taxonomy_term.c.taxonomy_term_id)
        .where(or_(TaxonomyTerm.code == HOUSING, TaxonomyTerm.code.like(HOUSING + ".%")))
    )


def housing_ids(service_ids: list[str]) -> set[str]:
    """The services among these with a housing need area (or one under it)."""
    if not service_ids:
        return set()
    return set(
        db.session.scalars(
            housing_services().where(service_taxonomy_term.c.service_id.in_(service_ids))
        )
    )


def counties(location_ids: list[str]) -> dict[str, str | None]:
    """location id -> its county (the physical address's region)."""
    if not location_ids:
        return {}
    found: dict[str, str | None] = {}
    for location_id, region, kind in db.session.execute(
        select(Address.location_id, Address.region, Address.address_type).where(
            Address.location_id.in_(location_ids)
        )
    ):
        if kind == "physical" or location_id not in found:
            found[location_id] = region
    return found


def _county(regions: tuple[tuple[str, str | None], ...]) -> str | None:
    """The county `counties` gives, from a location's (address type, county) pairs."""
    county, found = None, False
    for kind, region in regions:
        if kind == "physical" or not found:
            county, found = region, True
    return county


def page_counties(located: list[Any]) -> dict[str, str | None]:
    """location id -> county for results on a page: from what the page builder read, when it
    read them (no query), else `counties`."""
    if all(getattr(r.location, "regions", None) is not None for r in located):
        return {r.location.id: _county(r.location.regions) for r in located}
    return counties([r.location.id for r in located])


def applies(user: Any, profile: Any) -> bool:
    """Residency verdicts are for staff who may see them, searching for a person on the registry."""
    return (
        can(user, "residency.view")
        and getattr(profile, FLAG_FOR[Criterion.SEX_OFFENSE_REGISTRY], None) is True
    )


def hide_barred(search_request: Any, user: Any) -> None:
    """Give the search the barred housing services to leave out, when residency applies (the
    caller asked for "hide barred housing")."""
    if applies(user, search_request.profile):
        from app.residency.barred import barred_ids

        search_request.barred = barred_ids()


def for_results(
    results: Any, profile: Any, user: Any, *, hide: bool = False
) -> PageResidency | None:
    """Verdicts for the housing results on this page (`hide`: the search hid barred ones)."""
    if results is None or not applies(user, profile):
        return None
    page = PageResidency(hiding=hide)
    housing = housing_ids([r.service_id for r in results.results])
    located = [r for r in results.results if r.service_id in housing and r.location]
    if not located:
        return page
    index = current()
    county_of = page_counties(located)
    for r in located:
        where = Where(
            r.location.latitude, r.location.longitude, r.location.town, county_of.get(r.location.id)
        )
        page.verdicts[r.service_id] = check(index, where)
    return page


def for_service(service: Any, user: Any) -> list[tuple[Any, Verdict]] | None:
    """(location, verdict for a person on the registry) for each located place of a housing
    service; None for other services and for users who may not see it."""
    if not can(user, "residency.view") or not housing_ids([service.id]):
        return None
    index = current()
    out = []
    for location in service.locations:
        address = location.address
        where = Where(
            location.latitude,
            location.longitude,
            address.city if address else None,
            address.region if address else None,
        )
        out.append((location, check(index, where)))
    return out
