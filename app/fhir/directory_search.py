"""Search parameters of the directory resources: HealthcareService (name, service-category,
organization, location, active), Organization (name, active) and Location (address-city), with
_count and page.

FHIR's rules as far as we use them: a string matches case-insensitively at the start (`:exact`
whole and case-sensitive, `:contains` anywhere); a comma is "or" within one parameter, and a
repeated parameter is "and"; a parameter given with no value is ignored. A parameter we do not
know is ignored (and left out of the Bundle's self link) unless the request says
`Prefer: handling=strict`, which turns it into a 400. A value we cannot read, or a modifier we
do not support, is always a 400 (FhirSearchError, an OperationOutcome).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from werkzeug.datastructures import MultiDict

from app.api import params
from app.directory.models import Address, Location, Organization, Service, ServiceAtLocation
from app.directory.models.taxonomy import NEED_AREA_TAXONOMY, TaxonomyTerm, service_taxonomy_term
from app.directory.vocabulary import ServiceStatus
from app.extensions import db
from app.fhir.canonical import code_system
from app.fhir.sdoh_category import SDOHCC_CATEGORY_SYSTEM, category_code
from app.fhir.search import MAX_COUNT, FhirSearchError

NEED_AREA_SYSTEM = code_system("need-area")
PAGING = ("_count", "page", "_format")
MAX_VALUE = 200


@dataclass
class Search:
    """A parsed search: the query, paging, and the parameters used (for the self link)."""

    query: Select[Any]
    count: int
    page: int
    used: list[tuple[str, str]] = field(default_factory=list)


def _values(raw: str) -> list[str]:
    return [v.strip() for v in raw.split(",") if v.strip()]


def _string(column: Any, name: str, modifier: str, raw: str) -> ColumnElement[bool]:
    """FHIR string search on one column: starts with (default), :exact, :contains."""
    if modifier not in ("", "exact", "contains"):
        raise FhirSearchError(
            name, f"{name} takes no :{modifier} modifier (only :exact, :contains)"
        )
    tests = []
    for value in _values(raw):
        if modifier == "exact":
            tests.append(column == value)
        elif modifier == "contains":  # lowered here too: SQLite's lower() knows ASCII only
            tests.append(column.icontains(value.lower(), autoescape=True))
        else:
            tests.append(column.istartswith(value.lower(), autoescape=True))
    return or_(*tests)


def _ids(name: str, kind: str, raw: str) -> list[str]:
    """A reference parameter: `Kind/<id>` or the bare id, comma = or."""
    found = []
    for value in _values(raw):
        ref = value.removeprefix(f"{kind}/")
        if not ref or "/" in ref or not params.usable_id(ref):
            raise FhirSearchError(name, f"{name} must be {kind}/<id> or an id")
        found.append(ref)
    return found


def _active(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value not in ("true", "false"):
        raise FhirSearchError(name, f"{name} must be true or false")
    return value == "true"


def _no_modifier(name: str, modifier: str) -> None:
    if modifier:
        raise FhirSearchError(name, f"{name} takes no :{modifier} modifier")


def need_area_codes(raw: str) -> set[str]:
    """service-category: our need-area codes (system …/CodeSystem/need-area) or the SDOHCC
    category codes they map to; `system|code` or a bare code. An unknown code finds nothing."""
    areas = set(db.session.scalars(select(TaxonomyTerm.code).where(
        TaxonomyTerm.taxonomy == NEED_AREA_TAXONOMY, TaxonomyTerm.code.is_not(None))))  # fmt: skip
    wanted: set[str] = set()
    for value in _values(raw):
        system, _, code = value.rpartition("|")
        if system in ("", NEED_AREA_SYSTEM) and code in areas:
            wanted.add(code)
        if system in ("", SDOHCC_CATEGORY_SYSTEM):
            wanted |= {a for a in areas if category_code(a) == code}
    return wanted


def _service_filter(name: str, modifier: str, raw: str) -> ColumnElement[bool]:
    if name == "name":
        return _string(Service.name, name, modifier, raw)
    _no_modifier(name, modifier)
    if name == "active":
        active = Service.status == ServiceStatus.ACTIVE
        return active if _active(name, raw) else ~active
    if name == "organization":
        return Service.organization_id.in_(_ids(name, "Organization", raw))
    if name == "location":
        at = select(ServiceAtLocation.service_id).where(
            ServiceAtLocation.location_id.in_(_ids(name, "Location", raw))
        )
        return Service.id.in_(at)
    # service-category
    codes = need_area_codes(raw)
    tagged = (
        select(service_taxonomy_term.c.service_id)
        .join(TaxonomyTerm, TaxonomyTerm.id == service_taxonomy_term.c.taxonomy_term_id)
        .where(TaxonomyTerm.taxonomy == NEED_AREA_TAXONOMY, TaxonomyTerm.code.in_(codes))
    )
    return Service.id.in_(tagged) if codes else false()


def _organization_filter(name: str, modifier: str, raw: str) -> ColumnElement[bool]:
    if name == "name":
        return _string(Organization.name, name, modifier, raw)
    _no_modifier(name, modifier)
    return true() if _active(name, raw) else false()  # every organization listed is active


def _location_filter(name: str, modifier: str, raw: str) -> ColumnElement[bool]:
    city = _string(Address.city, name, modifier, raw)
    return Location.id.in_(select(Address.location_id).where(city))


@dataclass(frozen=True)
class Kind:
    model: type
    names: tuple[str, ...]
    build: Callable[[str, str, str], ColumnElement[bool]]


KINDS = {
    "HealthcareService": Kind(
        Service, ("name", "service-category", "organization", "location", "active"), _service_filter
    ),  # fmt: skip
    "Organization": Kind(Organization, ("name", "active"), _organization_filter),
    "Location": Kind(Location, ("address-city",), _location_filter),
}


def search(kind: str, args: MultiDict[str, str], strict: bool) -> Search:
    """The search for `kind` (visibility: the directory is open to every token, as the reads)."""
    spec = KINDS[kind]
    query = select(spec.model)
    used: list[tuple[str, str]] = []
    for key, raw in args.items(multi=True):
        name, _, modifier = key.partition(":")
        if name in PAGING:
            continue
        if name not in spec.names:
            if strict:
                raise FhirSearchError(key, f"{kind} has no search parameter {name}")
            continue
        if len(raw) > MAX_VALUE:
            raise FhirSearchError(key, f"{name} must be at most {MAX_VALUE} characters")
        if not raw.strip():
            continue  # FHIR: a parameter with no value is ignored
        query = query.where(spec.build(name, modifier, raw))
        used.append((key, raw))
    try:
        count = params.integer(args, "_count", 50, 1, MAX_COUNT)
        page = params.integer(args, "page", 1, 1, 1_000_000)
    except params.ParameterError as error:
        raise FhirSearchError(error.parameter, str(error.message)) from None
    return Search(query.order_by(spec.model.name, spec.model.id), count, page, used)
