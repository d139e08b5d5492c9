"""The rows a page of search results shows, read in a fixed handful of statements.

A page is read in four statements whatever its size (five with an eligibility profile): its
services with their organizations and languages; their capacity figures; their locations with
addresses; their opening hours (the service's own, else its locations'); and, with a profile,
their eligibility rules. Only the columns shown are read, as plain rows (no ORM objects).

Each statement is built once per database dialect and takes the page's ids as one parameter:
on PostgreSQL `id = ANY(:ids)` (one array, so the statement's text is the same for every page
and psycopg prepares it after a few runs), elsewhere an expanding `IN`. Statements run on the
session's connection, in the request's transaction, without the ORM's result machinery.

On PostgreSQL `read` sends them all in one round trip (app.search.pg_pipeline): five
statements one after another cost a page about 5 ms at 50,000 services, of which the database
works under 2; pipelined, about 3. The rows come back exactly as SQLAlchemy would give them (each
column's result processor applied: aware UTC datetimes, enum members).
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

from app import content_version
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
from app.search.pg_lookups import CURRENT, UNVERSIONED
from app.search.pg_pipeline import send
from app.search.versioned_memo import VersionedMemo

_BUILT: dict[tuple[str, str], Any] = {}
# name -> (SQL text, its constant parameters, each column's type) for the pipeline (PostgreSQL)
_PIPELINED: dict[str, tuple[str, dict[str, Any], list[Any]]] = {}
_PROCESSORS: dict[str, list[tuple[int, Any]]] = {}
PIPELINE = True  # bench/search_interleaved.py turns it off to measure the statements one by one
# a service's page rows {statement: rows} under the content versions they were read with
MEMO = VersionedMemo(max_entries=2048, max_age=60.0)  # ~6 KB each: ~13 MB at most
SERVICE_COLUMN = {"hours": 1}  # where a statement's rows carry the service id (else first)


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


def _statement(name: str, dialect: str) -> Any:
    """One of the page's statements for this database dialect, built once."""
    statement = _BUILT.get((name, dialect))
    if statement is None:
        statement = _BUILDERS[name](lambda column: _among(column, dialect))
        _BUILT[(name, dialect)] = statement
    return statement


def rows(name: str, ids: Sequence[str]) -> Any:
    """Run one of the page's statements for these service ids; its rows."""
    connection = db.session.connection()
    statement = _statement(name, connection.dialect.name)
    return connection.execute(statement, {"ids": list(ids)}).all()


def read(names: Sequence[str], ids: Sequence[str], versions: str | None = None) -> dict[str, list]:
    """Several of the page's statements for the same ids: {name: rows}. On PostgreSQL all in
    one round trip (app.search.pg_pipeline), and with `versions` (the content versions the
    search's statement saw) a service's rows remembered under those very versions are not read
    again; elsewhere one after another."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql" or not PIPELINE:
        return {name: rows(name, ids) for name in names}
    if content_version.pending(db.session) & {"catalog", "search"}:
        versions = None  # this transaction's own changes: neither used nor remembered
    bind = db.session.get_bind()
    found: dict[str, list] = {name: [] for name in names}
    missing = list(ids)
    if versions is not None and versions != UNVERSIONED:
        missing = []
        for sid in ids:
            held = MEMO.get((bind, sid))
            if held is None or held[0] != versions or not all(n in held[1] for n in names):
                missing.append(sid)
                continue
            for name in names:
                found[name].extend(held[1][name])
    if not missing:
        return found
    dialect = connection.dialect
    prepared = [_pipelined(name, dialect) for name in names]
    remember = versions is not None  # then the versions these rows are read under come first
    fetched = send(
        db.session,
        [
            *([(f"SELECT {CURRENT}", {})] if remember else []),
            *((sql, {**constants, "ids": missing}) for sql, constants, _ in prepared),
        ],
    )
    read_under = fetched.pop(0)[0][0][0] if remember else UNVERSIONED
    by_service: dict[str, dict[str, list]] = {sid: {n: [] for n in names} for sid in missing}
    for name, (_, _, types), (got, description) in zip(names, prepared, fetched, strict=True):
        processors = _processors(name, types, description, dialect)
        at = SERVICE_COLUMN.get(name, 0)
        for row in got:
            if processors:
                values = list(row)
                for n, process in processors:
                    values[n] = process(values[n])
                row = tuple(values)  # noqa: PLW2901
            found[name].append(row)
            by_service[row[at]][name].append(row)
    if read_under != UNVERSIONED:
        for sid, service_rows in by_service.items():
            MEMO.put((bind, sid), read_under, service_rows)
    return found


def forget() -> None:
    """Drop every remembered page row (tests, benchmarks)."""
    MEMO.clear()


def _pipelined(name: str, dialect: Any) -> tuple[str, dict[str, Any], list[Any]]:
    """(SQL text, its constant parameters, each column's type) of one statement."""
    held = _PIPELINED.get(name)
    if held is None:
        statement = _statement(name, dialect.name)
        compiled = statement.compile(dialect=dialect)
        constants = compiled.construct_params({"ids": []})
        del constants["ids"]
        types = [column.type for column in statement.selected_columns]
        held = _PIPELINED[name] = (str(compiled), constants, types)
    return held


def _processors(
    name: str, types: list[Any], description: Any, dialect: Any
) -> list[tuple[int, Any]]:
    """(column, processor) of the columns SQLAlchemy's result would convert (their type and the
    driver's type code decide: aware UTC datetimes, enum members), worked out once."""
    held = _PROCESSORS.get(name)
    if held is None:
        found = (
            type_.dialect_impl(dialect).result_processor(dialect, column.type_code)
            for type_, column in zip(types, description, strict=True)
        )
        held = _PROCESSORS[name] = [(n, p) for n, p in enumerate(found) if p is not None]
    return held
