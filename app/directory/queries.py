"""Browse queries for the staff directory: filters, pagination and need-area counts.

Plain functions over a BrowseFilters value, so the same filters can drive the page, a CSV
export or the API. Full-text search comes later (app/search); this is simple LIKE matching.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import Select, distinct, func, or_, select
from sqlalchemy.orm import selectinload

from app.directory.models import (
    NEED_AREA_TAXONOMY,
    Address,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    TaxonomyTerm,
    service_taxonomy_term,
)
from app.directory.vocabulary import ServiceStatus
from app.extensions import db
from app.pagination import parse_page

PER_PAGE = 25
STATUS_ACTIVE = "active"
STATUS_ALL = "all"


@dataclass
class BrowseFilters:
    need: str = ""  # need-area code, e.g. "housing"
    town: str = ""
    q: str = ""
    status: str = STATUS_ACTIVE
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> BrowseFilters:
        """Read filters from a query string; unknown or malformed values fall back to defaults."""
        page = parse_page(args.get("page", "1"))
        status = args.get("status", STATUS_ACTIVE)
        return cls(
            need=args.get("need", "").strip(),
            town=args.get("town", "").strip(),
            q=args.get("q", "").strip()[:200],
            status=status if status in {STATUS_ACTIVE, STATUS_ALL} else STATUS_ACTIVE,
            page=page,
        )

    def query_args(self, **changes: object) -> dict[str, object]:
        """The filters as query-string arguments (defaults left out), for links."""
        values: dict[str, object] = {
            "need": self.need,
            "town": self.town,
            "q": self.q,
            "status": "" if self.status == STATUS_ACTIVE else self.status,
            "page": "" if self.page == 1 else self.page,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None, 1)}

    @property
    def active(self) -> bool:
        return bool(self.need or self.town or self.q or self.status != STATUS_ACTIVE)


@dataclass
class BrowsePage:
    items: list[Service]
    total: int
    page: int
    pages: int
    filters: BrowseFilters
    need_area_unknown: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def page_numbers(self, around: int = 2) -> list[int | None]:
        """1 … 4 5 [6] 7 8 … 20: None marks a gap."""
        shown: list[int | None] = []
        for n in range(1, self.pages + 1):
            if n in (1, self.pages) or abs(n - self.page) <= around:
                shown.append(n)
            elif shown and shown[-1] is not None:
                shown.append(None)
        return shown


def need_area_ids(code: str) -> list[str] | None:
    """The need area with this code and all its descendants; None when no such area exists."""
    terms = list(
        db.session.execute(
            select(TaxonomyTerm.id, TaxonomyTerm.code, TaxonomyTerm.parent_id).where(
                TaxonomyTerm.taxonomy == NEED_AREA_TAXONOMY
            )
        )
    )
    root = next((t.id for t in terms if t.code == code), None)
    if root is None:
        return None
    ids, frontier = {root}, {root}
    while frontier:
        frontier = {t.id for t in terms if t.parent_id in frontier} - ids
        ids |= frontier
    return sorted(ids)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(filters: BrowseFilters, *, with_need: bool = True) -> tuple[Select, bool]:
    """Service ids matching the filters, and whether the need-area code was unknown."""
    stmt = select(Service.id)
    unknown = False
    if filters.status == STATUS_ACTIVE:
        stmt = stmt.where(Service.status == ServiceStatus.ACTIVE)
    if filters.q:
        pattern = f"%{_escape_like(filters.q.lower())}%"
        org_names = select(Organization.id).where(
            func.lower(Organization.name).like(pattern, escape="\\")
        )
        stmt = stmt.where(
            or_(
                func.lower(Service.name).like(pattern, escape="\\"),
                func.lower(Service.alternate_name).like(pattern, escape="\\"),
                Service.organization_id.in_(org_names),
            )
        )
    if filters.town:
        in_town = (
            select(ServiceAtLocation.service_id)
            .join(Address, Address.location_id == ServiceAtLocation.location_id)
            .where(func.lower(Address.city) == filters.town.lower())
        )
        stmt = stmt.where(Service.id.in_(in_town))
    if with_need and filters.need:
        ids = need_area_ids(filters.need)
        if ids is None:
            unknown = True
        else:
            tagged = select(service_taxonomy_term.c.service_id).where(
                service_taxonomy_term.c.taxonomy_term_id.in_(ids)
            )
            stmt = stmt.where(Service.id.in_(tagged))
    return stmt, unknown


def browse_services(filters: BrowseFilters, per_page: int = PER_PAGE) -> BrowsePage:
    """One page of services matching the filters, with everything a row shows preloaded."""
    ids, unknown = _filtered(filters)
    total = db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(filters.page, pages)
    stmt = (
        select(Service)
        .where(Service.id.in_(ids))
        .order_by(func.lower(Service.name), Service.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
        .options(
            selectinload(Service.organization),
            selectinload(Service.taxonomy_terms),
            selectinload(Service.service_at_locations)
            .selectinload(ServiceAtLocation.location)
            .selectinload(Location.addresses),
            selectinload(Service.capacities).selectinload(ServiceCapacity.unit),
        )
    )
    items = list(db.session.scalars(stmt))
    return BrowsePage(items, total, page, pages, filters, need_area_unknown=unknown)


def need_area_counts(filters: BrowseFilters) -> dict[str, int]:
    """Services per need area under the other filters; a parent counts its children's services."""
    ids, _ = _filtered(filters, with_need=False)
    link = service_taxonomy_term.c
    pairs = (
        select(
            TaxonomyTerm.id.label("term_id"),
            TaxonomyTerm.parent_id.label("parent_id"),
            link.service_id.label("service_id"),
        )
        .join(service_taxonomy_term, link.taxonomy_term_id == TaxonomyTerm.id)
        .where(TaxonomyTerm.taxonomy == NEED_AREA_TAXONOMY, link.service_id.in_(ids))
        .subquery()
    )
    services = func.count(distinct(pairs.c.service_id))
    counts = dict(
        db.session.execute(select(pairs.c.term_id, services).group_by(pairs.c.term_id)).all()
    )
    area = func.coalesce(pairs.c.parent_id, pairs.c.term_id)
    counts.update(db.session.execute(select(area, services).group_by(area)).all())
    return counts


def towns() -> list[str]:
    """Towns that have at least one location with a service, for the filter's suggestions."""
    rows = db.session.scalars(
        select(Address.city)
        .distinct()
        .join(ServiceAtLocation, ServiceAtLocation.location_id == Address.location_id)
        .order_by(Address.city)
    )
    seen: dict[str, str] = {}
    for city in rows:
        if city:
            seen.setdefault(city.lower(), city)
    return sorted(seen.values(), key=str.lower)


def service_for_referral(service_id: str | None) -> Service | None:
    """A service with what a referral form checks (eligibility rules, capacity, need areas, its
    locations) loaded at once; None when the id is missing or unknown."""
    if not service_id:
        return None
    return db.session.get(
        Service,
        service_id,
        options=[
            selectinload(Service.eligibility_rules),
            selectinload(Service.capacities),
            selectinload(Service.taxonomy_terms),
            selectinload(Service.service_at_locations).selectinload(ServiceAtLocation.location),
        ],
    )
