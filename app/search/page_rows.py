"""The rows a page of search results shows, read in a fixed handful of statements.

A page is read in four statements whatever its size (five with an eligibility profile): its
services with their organizations and languages; their capacity figures; their locations with
addresses; their opening hours (the service's own, else its locations'); and, with a profile,
their eligibility rules. Only the columns shown are read, as plain rows (no ORM objects).

Each statement is built once per database dialect and takes the page's ids as one parameter:
on PostgreSQL `id = ANY(:ids)` (one array, so the statement's text is the same for every page
and psycopg prepares it after a few runs), elsewhere an expanding `IN`. Statements run on the
session's connection, in the request's transaction, without the ORM's result machinery.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Select,
    String,
    any_,
    bindparam,
    literal,
    select,
)

from app.directory.models import (
    Address,
    EligibilityRule,
    Language,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    Unit,
)
from app.extensions import db
from app.search.facts import SCHEDULE_COLUMNS, rule_columns

_BUILT: dict[tuple[str, str], Any] = {}


def _among(column: Any, dialect: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        return column == any_(bindparam("ids", type_=ARRAY(String)))
    return column.in_(bindparam("ids", expanding=True))


def _services(among: Callable[[Any], ColumnElement[bool]]) -> Select:
    # Status is checked in Python, not in SQL: given "status = 'active'", SQLite's planner (with
    # no statistics) walks the status index over every active service instead of the page's ids.
    return (
        select(
            Service.id,
            Service.name,
            Service.organization_id,
            Organization.name,
            Organization.is_sample,
            Service.last_verified_at,
            Service.status,
            Language.name,
        )
        .join(Organization, Organization.id == Service.organization_id)
        .outerjoin(Language, Language.service_id == Service.id)
        .where(among(Service.id))
        .order_by(Language.name)  # each service's languages in name order, as the page lists them
    )


def _capacities(among: Callable[[Any], ColumnElement[bool]]) -> Select:
    return (
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
        .where(among(ServiceCapacity.service_id))
        .order_by(ServiceCapacity.id)
    )


def _places(among: Callable[[Any], ColumnElement[bool]]) -> Select:
    return (
        select(
            ServiceAtLocation.service_id,
            Location.id,
            Location.name,
            Location.latitude,
            Location.longitude,
            Address.id,
            Address.address_1,
            Address.address_2,
            Address.city,
            Address.state_province,
            Address.postal_code,
            Address.address_type,
            Address.region,
        )
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .outerjoin(Address, Address.location_id == Location.id)
        .where(among(ServiceAtLocation.service_id))
        .order_by(Address.id)
    )


def _hours(among: Callable[[Any], ColumnElement[bool]]) -> Any:
    """The services' own hours (own = 1) and their locations' (own = 0), in one statement."""
    own = select(literal(1).label("own"), Schedule.service_id, *SCHEDULE_COLUMNS).where(
        among(Schedule.service_id)
    )
    at_location = (
        select(literal(0).label("own"), ServiceAtLocation.service_id, *SCHEDULE_COLUMNS)
        .join(Schedule, Schedule.location_id == ServiceAtLocation.location_id)
        .where(Schedule.service_id.is_(None), among(ServiceAtLocation.service_id))
    )
    return own.union_all(at_location)


def _rules(among: Callable[[Any], ColumnElement[bool]]) -> Select:
    return select(*rule_columns()).where(among(EligibilityRule.service_id))


_BUILDERS = {
    "services": _services,
    "capacities": _capacities,
    "places": _places,
    "hours": _hours,
    "rules": _rules,
}


def rows(name: str, ids: Sequence[str]) -> Any:
    """Run one of the page's statements for these service ids; its rows."""
    connection = db.session.connection()
    dialect = connection.dialect.name
    statement = _BUILT.get((name, dialect))
    if statement is None:
        statement = _BUILDERS[name](lambda column: _among(column, dialect))
        _BUILT[(name, dialect)] = statement
    return connection.execute(statement, {"ids": list(ids)}).all()
