"""The read side of the HSDS API: filtered, ordered, paged catalog listings without N+1 queries.

Every listing is built the same way: one SELECT of ids with every filter (AND), a COUNT of it,
the ids of the requested page, then one batch load of those objects with their relations
(selectinload). `search` is one more filter (see text_matches). With `proximity`, distances are
computed for the candidates inside a bounding box and the results come nearest first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import selectinload

from app.directory.models import (
    Address,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    Taxonomy,
    TaxonomyTerm,
    service_taxonomy_term,
)
from app.domain_errors import DomainError
from app.extensions import db
from app.interop.ids import alias_map, is_uuid

METRES_PER_MILE = 1609.344
MAX_PROXIMITY_M = 500_000
BATCH = 500
_WORD = re.compile(r"\w+")


class QueryError(DomainError, ValueError):
    """A request we cannot answer; `parameter` names the query parameter at fault."""

    status = 400

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message, parameter)
        self.parameter = parameter


@dataclass
class Filters:
    """Parsed request filters. Ids are published (HSDS) ids; they are resolved here."""

    search: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: datetime | None = None
    postcode: str | None = None
    proximity_m: float | None = None
    parent_id: str | None = None
    top_only: bool = False


@dataclass
class Listing:
    total: int
    items: list[Any]
    distances: dict[str, float] = field(default_factory=dict)


# --- ids ----------------------------------------------------------------------------------------


def local_id(model: type, published: str | None) -> str | None:
    """Our id for a published one (taxonomies and terms may have readable ids of our own)."""
    if published is None:
        return None
    if model not in (Taxonomy, TaxonomyTerm):
        return published
    if db.session.get(model, published) is not None:
        return published
    readable = [i for i in db.session.scalars(select(model.id)) if not is_uuid(i)]
    return alias_map(readable).get(published, published)


def get_by_published_id(model: type, published: str, options: Sequence[Any] = ()) -> Any:
    found = local_id(model, published)
    if found is None:
        return None
    return db.session.scalars(select(model).where(model.id == found).options(*options)).first()


# --- eager-loading options ----------------------------------------------------------------------


def service_options(*, full: bool = False) -> list[Any]:
    opts: list[Any] = [
        selectinload(Service.organization),
        selectinload(Service.program),
        selectinload(Service.capacities).selectinload(ServiceCapacity.unit),
        selectinload(Service.eligibility_rules),
    ]
    if full:
        sal_location = selectinload(Service.service_at_locations).selectinload(
            ServiceAtLocation.location
        )
        opts += [
            selectinload(Service.phones),
            selectinload(Service.schedules),
            sal_location.selectinload(Location.addresses),
            sal_location.selectinload(Location.phones),
            selectinload(Service.languages),
            selectinload(Service.required_documents),
            selectinload(Service.taxonomy_terms).selectinload(TaxonomyTerm.taxonomy_ref),
            selectinload(Service.translations),
        ]
    return opts


def minimal_service_options() -> list[Any]:
    return [selectinload(Service.capacities)]


def organization_options(*, full: bool = False, full_service: bool = False) -> list[Any]:
    if not full:
        return []
    locations = selectinload(Organization.locations)
    return [
        selectinload(Organization.phones),
        locations.selectinload(Location.addresses),
        locations.selectinload(Location.phones),
        selectinload(Organization.programs),
        selectinload(Organization.services).options(*service_options(full=full_service)),
    ]


def sal_options(*, full: bool = False) -> list[Any]:
    location = selectinload(ServiceAtLocation.location)
    opts: list[Any] = [location, selectinload(ServiceAtLocation.service).options(
        *service_options(full=full)
    )]  # fmt: skip
    if full:
        opts += [location.selectinload(Location.addresses), location.selectinload(Location.phones)]
    return opts


def term_options() -> list[Any]:
    return [selectinload(TaxonomyTerm.taxonomy_ref)]


# --- filters ------------------------------------------------------------------------------------


def _service_filters(f: Filters, service_id: Any, organization_id: Any) -> list[Any]:
    """Conditions on a service (given its id and organization id columns), ANDed."""
    stt = service_taxonomy_term
    clauses: list[Any] = []
    if f.taxonomy_term_id:
        term = local_id(TaxonomyTerm, f.taxonomy_term_id)
        clauses.append(
            service_id.in_(select(stt.c.service_id).where(stt.c.taxonomy_term_id == term))
        )
    if f.taxonomy_id:
        taxonomy = local_id(Taxonomy, f.taxonomy_id)
        in_taxonomy = (
            select(stt.c.service_id)
            .join(TaxonomyTerm, TaxonomyTerm.id == stt.c.taxonomy_term_id)
            .where(TaxonomyTerm.taxonomy_id == taxonomy)
        )
        clauses.append(service_id.in_(in_taxonomy))
    if f.organization_id:
        clauses.append(organization_id == f.organization_id)
    if f.modified_after:
        t = f.modified_after
        changed_capacity = select(ServiceCapacity.service_id).where(ServiceCapacity.updated >= t)
        modified = select(Service.id).where(
            or_(Service.updated_at >= t, Service.last_verified_at >= t)
        )
        clauses.append(or_(service_id.in_(modified), service_id.in_(changed_capacity)))
    return clauses


def _like(text: str, *columns: Any) -> Any:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return or_(*(func.lower(c).like(pattern, escape="\\") for c in columns))


def text_matches(text: str) -> Select:
    """Ids of services matching free text (any status): every word must appear in the
    service's name, alternate name or description, or its organization's name.

    The one place API text search is decided. The search layer (app.search) only offers paged
    searches of active services; when it offers ranked ids for any status, call it here.
    """
    words = [w for w in _WORD.findall(text.lower()) if w][:10]
    columns = (Service.name, Service.alternate_name, Service.description, Organization.name)
    return (
        select(Service.id)
        .join(Organization, Organization.id == Service.organization_id)
        .where(*(_like(word, *columns) for word in words))
    )


# --- the generic listing machinery --------------------------------------------------------------


Loader = Callable[[list[str]], list[Any]]


def _loader(model: type, options: Sequence[Any]) -> Loader:
    def load(ids: list[str]) -> list[Any]:
        if not ids:
            return []
        rows = db.session.scalars(select(model).where(model.id.in_(ids)).options(*options))
        by_id = {row.id: row for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    return load


@dataclass
class _Plan:
    """What to list: ids with every filter and their order (or an explicit ranking)."""

    ids: Select
    order: tuple[Any, ...]
    load: Loader
    ranked: list[str] | None = None  # proximity order, already within `ids`
    distances: dict[str, float] = field(default_factory=dict)


def run_page(plan: _Plan, page: int, per_page: int) -> Listing:
    ordered = plan.ranked
    offset = (page - 1) * per_page
    if ordered is not None:
        total = len(ordered)
        page_ids = ordered[offset : offset + per_page]
    else:
        total = db.session.scalar(select(func.count()).select_from(plan.ids.subquery())) or 0
        page_ids = list(
            db.session.scalars(plan.ids.order_by(*plan.order).limit(per_page).offset(offset))
        )
    return Listing(total, plan.load(page_ids), {i: plan.distances[i] for i in page_ids
                                                if i in plan.distances})  # fmt: skip


def run_stream(plan: _Plan) -> Iterator[tuple[Any, float | None]]:
    """Every result, in batches: ids streamed with yield_per, objects loaded per batch."""
    ordered = plan.ranked
    if ordered is not None:
        batches: Iterator[Sequence[str]] = (
            ordered[i : i + BATCH] for i in range(0, len(ordered), BATCH)
        )
    else:
        result = db.session.execute(
            plan.ids.order_by(*plan.order).execution_options(yield_per=BATCH)
        )
        batches = (list(p) for p in result.scalars().partitions())
    for batch in batches:
        for obj in plan.load(list(batch)):
            yield obj, plan.distances.get(obj.id)


# --- plans per resource -------------------------------------------------------------------------


def services_plan(f: Filters, options: Sequence[Any]) -> _Plan:
    ids = select(Service.id).where(*_service_filters(f, Service.id, Service.organization_id))
    if f.search and f.search.strip():
        ids = ids.where(Service.id.in_(text_matches(f.search)))
    return _Plan(ids, (Service.name, Service.id), _loader(Service, options))


def organizations_plan(f: Filters, options: Sequence[Any]) -> _Plan:
    ids = select(Organization.id)
    if f.taxonomy_term_id or f.taxonomy_id:
        services = select(Service.organization_id).where(
            *_service_filters(f, Service.id, Service.organization_id)
        )
        ids = ids.where(Organization.id.in_(services))
    if f.search and f.search.strip():
        ids = ids.where(
            _like(
                f.search, Organization.name, Organization.alternate_name, Organization.description
            )
        )
    return _Plan(ids, (Organization.name, Organization.id), _loader(Organization, options))


def taxonomies_plan(f: Filters) -> _Plan:
    ids = select(Taxonomy.id)
    if f.search and f.search.strip():
        ids = ids.where(_like(f.search, Taxonomy.name, Taxonomy.description))
    return _Plan(ids, (Taxonomy.name, Taxonomy.id), _loader(Taxonomy, ()))


def taxonomy_terms_plan(f: Filters) -> _Plan:
    ids = select(TaxonomyTerm.id)
    if f.taxonomy_id:
        ids = ids.where(TaxonomyTerm.taxonomy_id == local_id(Taxonomy, f.taxonomy_id))
    if f.parent_id:
        ids = ids.where(TaxonomyTerm.parent_id == local_id(TaxonomyTerm, f.parent_id))
    if f.top_only:
        ids = ids.where(TaxonomyTerm.parent_id.is_(None))
    if f.search and f.search.strip():
        ids = ids.where(
            _like(f.search, TaxonomyTerm.name, TaxonomyTerm.code, TaxonomyTerm.description)
        )
    order = (TaxonomyTerm.taxonomy, TaxonomyTerm.sort_order, TaxonomyTerm.id)
    return _Plan(ids, order, _loader(TaxonomyTerm, term_options()))


def postcode_centroid(postcode: str) -> tuple[float, float]:
    from app.search.geo import offline_lookup

    place = offline_lookup(postcode.strip()) if postcode.strip().isdigit() else None
    if place is None:
        raise QueryError("postcode", f"Unknown postcode: {postcode.strip()}")
    return place.lat, place.lon


def _near(ids: Select, postcode: str, metres: float) -> tuple[list[str], dict[str, float]]:
    from app.search.geo import bounding_box, distance_miles

    lat, lon = postcode_centroid(postcode)
    box = bounding_box(lat, lon, metres / METRES_PER_MILE)
    rows = db.session.execute(
        ids.add_columns(Location.latitude, Location.longitude).where(
            box.sql_clause(Location.latitude, Location.longitude)
        )
    ).all()
    distances = {}
    for sal_id, lat2, lon2 in rows:
        d = distance_miles((lat, lon), (lat2, lon2)) * METRES_PER_MILE
        if d <= metres:
            distances[sal_id] = d
    ranked = sorted(distances, key=lambda i: (distances[i], i))
    return ranked, distances


def service_at_locations_plan(f: Filters, options: Sequence[Any]) -> _Plan:
    if f.proximity_m is not None and not f.postcode:
        raise QueryError("proximity", "proximity needs a postcode to measure from")
    ids = (
        select(ServiceAtLocation.id)
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .where(*_service_filters(f, Service.id, Service.organization_id))
    )
    order = (Service.name, ServiceAtLocation.id)
    plan = _Plan(ids, order, _loader(ServiceAtLocation, options))
    if f.postcode and f.proximity_m is None:
        code = f.postcode.strip()
        plan.ids = ids.where(
            exists().where(Address.location_id == Location.id, Address.postal_code == code)
        )
    if f.search and f.search.strip():
        plan.ids = plan.ids.where(Service.id.in_(text_matches(f.search)))
    if f.proximity_m is not None and f.postcode:
        plan.ranked, plan.distances = _near(plan.ids, f.postcode, f.proximity_m)
    return plan
