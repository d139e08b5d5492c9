"""Bulk upsert of validated import rows: inserts and updates by id with Core statements in
batches (COPY on PostgreSQL), a history row and a new version for every capacity change."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, bindparam, select

from app.common import new_id, utcnow
from app.extensions import db
from app.interop.tables import Resource

if TYPE_CHECKING:
    from app.interop.csv_import import _State

BATCH = 5000


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def _with_defaults(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """COPY bypasses SQLAlchemy's column defaults, so fill them in here."""
    missing = [c for c in table.c if c.name not in rows[0] and c.default is not None]
    for row in rows:
        for column in missing:
            arg = column.default.arg
            row[column.name] = arg(None) if callable(arg) else arg
    return rows


def _insert(table: Table, rows: list[dict[str, Any]]) -> None:
    from app.seeding.synthetic import bulk_insert

    bulk_insert(table, _with_defaults(table, rows))


def _update(table: Table, rows: list[dict[str, Any]], *, bump_version: bool = False) -> None:
    columns = [c for c in rows[0] if c != "id"]
    if not columns:
        return
    values: dict[str, Any] = {c: bindparam(f"v_{c}") for c in columns}
    if bump_version:
        values["version"] = table.c.version + 1
    statement = table.update().where(table.c.id == bindparam("k_id")).values(values)
    params = [{"k_id": r["id"], **{f"v_{c}": r[c] for c in columns}} for r in rows]
    db.session.connection().execute(statement, params)


def _capacity_history(rows: list[dict[str, Any]], old: dict[str, tuple], new_ids: set[str]) -> None:
    history = db.metadata.tables["capacity_history"]
    entries = []
    for row in rows:
        after = (row.get("available"), row.get("maximum"), row.get("status"))
        before = old.get(row["id"])
        if row["id"] in new_ids:
            action, before = "create", (None, None, None)
        elif before is not None and before != after:
            action = "import"
        else:
            continue
        entries.append({
            "id": new_id(), "capacity_id": row["id"], "changed_at": utcnow(),
            "changed_by_id": None, "action": action,
            "old_available": before[0], "new_available": after[0],
            "old_maximum": before[1], "new_maximum": after[1],
            "old_status": before[2], "new_status": after[2],
        })  # fmt: skip
    if entries:
        _insert(history, entries)


def _links(rows: Iterable[dict[str, Any]], state: _State) -> None:
    table = db.metadata.tables["service_taxonomy_term"]
    existing = set(db.session.execute(select(table.c.service_id, table.c.taxonomy_term_id)))
    for batch in _batches(rows):
        new = []
        for row in batch:
            pair = (row["service_id"], row["taxonomy_term_id"])
            if pair in existing:
                state.report.updated["attribute"] += 1
                continue
            existing.add(pair)
            new.append({"service_id": pair[0], "taxonomy_term_id": pair[1]})
        if new:
            _insert(table, new)
            state.report.created["attribute"] += len(new)


def write_rows(resource: Resource, rows: Iterable[dict[str, Any]], state: _State) -> None:
    if resource.name == "attribute":
        _links(rows, state)
        return
    table = resource.sql
    existing = state.db_ids(resource.table)
    capacity = resource.name == "service_capacity"
    old: dict[str, tuple] = {}
    if capacity:
        found = db.session.execute(select(table.c.id, table.c.available, table.c.maximum,
                                          table.c.status))  # fmt: skip
        old = {i: (a, m, str(s)) for i, a, m, s in found}
    for batch in _batches(rows):
        new = [r for r in batch if r["id"] not in existing]
        changed = [r for r in batch if r["id"] in existing]
        if new:
            _insert(table, new)
            existing.update(r["id"] for r in new)
            state.new_ids.setdefault(resource.name, set()).update(r["id"] for r in new)
        if changed:
            _update(table, changed, bump_version=capacity)
        if capacity:
            _capacity_history(batch, old, {r["id"] for r in new})
        state.report.created[resource.name] += len(new)
        state.report.updated[resource.name] += len(changed)
