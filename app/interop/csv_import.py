"""`flask hsds import PATH`: validate everything first, then write everything or nothing.

Pass 1 reads every table in foreign-key order and reports each problem with file, row and column.
Errors (a value of the wrong type, a missing required column or value, a duplicate id) stop the
import before anything is written. Gaps that HSDS data often has are warnings: a reference to a
row that is in neither the import nor the database is dropped (or, when we cannot store the row
without it, the row is skipped); values of HSDS fields or tables we do not hold are reported, not
silently lost. With strict=True warnings count as errors.

Pass 2 (only when pass 1 found no errors) reads the tables again and upserts by id with bulk Core
statements: existing ids are updated in place, new ones inserted, so re-importing is idempotent.
Our readable ids (taxonomies) and units matched by identifier are recognized, so importing our
own export creates no duplicates. Capacity changes get a history row and a new version number.
Ids of records merged away (app.interop.duplicates) update the record they were merged into;
new organizations and services that look like ones from another source are flagged there.
Only flushes; the caller commits once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.directory.capacity import CapacityError, validate_figures
from app.extensions import db
from app.interop.convert import Bad, Shortened, converter
from app.interop.duplicates import after_import, keep_richer, merged_ids
from app.interop.ids import alias_map
from app.interop.report import ERROR, WARNING, ImportReport
from app.interop.sources import Source, SourceError, SourceTable, open_source
from app.interop.tables import Resource, resources

BATCH = 5000
# Told after each table is written: (table name, the report so far); the upload page's progress.
Progress = Callable[[str, ImportReport], None] | None
# Foreign keys HSDS leaves undeclared that we still check.
EXTRA_KEYS = {
    "taxonomy_term": [("parent_id", "taxonomy_term")],
    "attribute": [("link_id", "service")],
}
# read, but not "not stored" (a schedule with any of these set is dropped with its own warning)
QUIET = {
    "attribute": {"id", "link_type", "link_entity"},
    "schedule": {"interval", "count", "until", "byweekno", "bymonthday", "byyearday"},
}
# Schedule fields that would change what the hours mean if dropped: we show one weekly pattern.
SCHEDULE_LIMITS = {
    "count": "ends after a number of times",
    "until": "ends on a date (until)",
    "byweekno": "holds only in some weeks of the year",
    "bymonthday": "holds only on some days of the month",
    "byyearday": "holds only on some days of the year",
}
# capacity rule field -> HSDS column; validate_figures checks these (and their lengths)
CAPACITY = {"available": "available", "maximum": "maximum",
            "waitlist_length": "x_partners_waitlist_length",
            "expected_wait": "x_partners_expected_wait"}  # fmt: skip


@dataclass
class _State:
    report: ImportReport
    by_name: dict[str, Resource]
    kept: dict[str, set[str]] = field(default_factory=dict)
    alias: dict[str, dict[str, str]] = field(default_factory=dict)
    _db_ids: dict[str, set[str]] = field(default_factory=dict)
    not_stored: Counter = field(default_factory=Counter)
    new_ids: dict[str, set[str]] = field(default_factory=dict)  # created by this import
    # (kind, id a source gave) -> the record it was merged into (app.interop.duplicates)
    merged: dict[tuple[str, str], str] = field(default_factory=dict)
    merged_into: set[str] = field(default_factory=set)

    def db_ids(self, table: str) -> set[str]:
        if table not in self._db_ids:
            sql = db.metadata.tables[table]
            self._db_ids[table] = set(db.session.scalars(select(sql.c.id)))
        return self._db_ids[table]

    def exists(self, resource: str, id_: str) -> bool:
        return id_ in self.kept.get(resource, ()) or id_ in self.db_ids(
            self.by_name[resource].table
        )


def _foreign_keys(resource: Resource) -> list[tuple[str, str]]:
    keys = [(fk["fields"], fk["reference"]["resource"]) for fk in resource.foreign_keys]
    return keys + EXTRA_KEYS.get(resource.name, [])


def _prepare_aliases(state: _State) -> None:
    for name in ("taxonomy", "taxonomy_term"):
        state.alias[name] = alias_map(state.db_ids(state.by_name[name].table))
    units = db.session.execute(select(db.metadata.tables["unit"].c.identifier,
                                      db.metadata.tables["unit"].c.id)).all()  # fmt: skip
    state.alias["unit_identifier"] = {i: u for i, u in units if i}
    rules = db.metadata.tables["eligibility_rule"]
    found = db.session.execute(select(rules.c.service_id, rules.c.criterion, rules.c.id)).all()
    state.alias["rule_key"] = {f"{s}|{c}": i for s, c, i in found}
    words = db.metadata.tables["service_translation"]
    found = db.session.execute(select(words.c.service_id, words.c.language, words.c.id)).all()
    state.alias["translation_key"] = {f"{s}|{lang}": i for s, lang, i in found}
    state.merged = merged_ids()
    state.merged_into = set(state.merged.values())


class _Table:
    """One source table read against one resource spec."""

    def __init__(self, resource: Resource, source: SourceTable, state: _State) -> None:
        self.r, self.src, self.state = resource, source, state
        self.fields = [f for f in resource.fields if source.header is None
                       or f["name"] in source.header]  # fmt: skip
        self.columns = {f["name"]: resource.column_for(f["name"]) for f in self.fields}
        self.convert = {
            f["name"]: converter(resource, f, resource.sql.c.get(self.columns[f["name"]] or ""))
            for f in self.fields
        }
        self.keys = [(f, target) for f, target in _foreign_keys(resource) if f in self.columns]
        if resource.name == "service_capacity" and CAPACITY["expected_wait"] in self.convert:
            self.convert[CAPACITY["expected_wait"]] = str  # too long is an error, not shortened

    def problem(self, severity: str, row: Any, column: str | None, message: str) -> None:
        if self.record:
            self.state.report.add(severity, self.src.file, row, column, message)

    def check_header(self) -> None:
        if self.src.header is None:
            return
        for f in self.r.fields:
            if f.get("constraints", {}).get("required") and f["name"] not in self.src.header:
                self.problem(ERROR, 1, f["name"], "required column is missing")
        known = set(self.r.field_names)
        for name in self.src.header:
            if name and name not in known:
                self.problem(WARNING, 1, name, "not an HSDS column of this table; ignored")

    def rows(self, record: bool) -> Iterator[dict[str, Any]]:
        """Converted rows (our column -> value); problems are reported when `record`."""
        self.record = record
        seen: set[str] = set()
        for ref, raw in self.src.read():
            out = self.row(ref, raw, seen)
            if out is not None:
                yield out

    def row(self, ref: Any, raw: dict[str, str], seen: set[str]) -> dict[str, Any] | None:
        if "__extra__" in raw:
            self.problem(ERROR, ref, None, "row has more cells than the header")
            return None
        values: dict[str, Any] = {}
        failed = False
        for f in self.fields:
            name = f["name"]
            text = raw.get(name, "")
            if f.get("type", "string") != "string" or f.get("format"):
                text = text.strip()
            if text == "":
                if f.get("constraints", {}).get("required") and name not in self.r.fallback_to_name:
                    self.problem(ERROR, ref, name, "a value is required")
                    failed = True
                values[name] = None
                continue
            try:
                values[name] = self.convert[name](text)
            except Bad as exc:
                self.problem(ERROR, ref, name, str(exc))
                failed = True
                continue
            except Shortened as exc:
                self.problem(WARNING, ref, name, str(exc))
                values[name] = exc.value
            quiet = name in QUIET.get(self.r.name, ())
            if self.columns[name] is None and not quiet and self.record:
                self.state.not_stored[(self.src.file, name)] += 1
        if failed:
            return None
        return self.finish(ref, values, seen)

    def finish(self, ref: Any, values: dict[str, Any], seen: set[str]) -> dict[str, Any] | None:
        state, name = self.state, self.r.name
        for key in self.r.readable_ids:
            if values.get(key):
                values[key] = state.alias[self.r.name if key == "id" else _target(key)].get(
                    values[key], values[key]
                )
        if state.merged:
            _to_merged(name, values, state.merged)
        if not self.special(ref, values):
            return None
        row_id = values.get("id") or ref
        if name != "attribute" and row_id in seen:
            self.problem(ERROR, ref, "id", f"id {row_id} appears more than once")
            return None
        seen.add(row_id)
        for key, target in self.keys:
            ref_id = values.get(key)
            if ref_id and not state.exists(target, ref_id):
                missing = f"refers to {target} {ref_id}, which is in neither the import nor "
                if self.r.sql.c[self.columns[key]].nullable:
                    self.problem(WARNING, ref, key, missing + "the database; reference dropped")
                    values[key] = None
                else:
                    self.problem(WARNING, ref, key, missing + "the database; row skipped")
                    state.report.skipped[name] += self.record
                    return None
        out = {self.columns[k]: v for k, v in values.items() if self.columns[k]}
        for column in self.r.sql.c:
            if column.name in out and out[column.name] is None and not column.nullable:
                if column.default is None:
                    self.problem(WARNING, ref, column.name, "a value is needed; row skipped")
                    state.report.skipped[name] += self.record
                    return None
                out[column.name] = _default(column)
        if "id" in out:
            state.kept.setdefault(name, set()).add(out["id"])
        if state.merged and name in MERGEABLE and out.get("id") in state.merged_into:
            out = keep_richer(name, out)  # a merged record loses no field to either source
        return out

    def special(self, ref: Any, values: dict[str, Any]) -> bool:
        """Checks and fixes particular to one table; False skips the row."""
        name, state = self.r.name, self.state
        if name == "location":
            lat, lon = values.get("latitude"), values.get("longitude")
            if (lat is not None and not -90 <= lat <= 90) or (
                lon is not None and not -180 <= lon <= 180
            ):
                self.problem(WARNING, ref, "latitude", f"{lat}, {lon} is not a place on Earth; "
                             "coordinates dropped")  # fmt: skip
                values["latitude"] = values["longitude"] = None
        elif name == "schedule":
            return self.schedule(ref, values)
        elif name == "unit" and values.get("identifier"):
            existing = state.alias["unit_identifier"].get(values["identifier"])
            if existing and existing != values["id"]:
                state.alias.setdefault("unit", {})[values["id"]] = existing
                values["id"] = existing
        elif name == "service_capacity":
            if values.get("unit_id"):
                values["unit_id"] = state.alias.get("unit", {}).get(values["unit_id"],
                                                                    values["unit_id"])  # fmt: skip
            available, maximum = values.get("available"), values.get("maximum")
            try:  # the same rules as the capacity page and the API
                figures = {ours: values.get(hsds) for ours, hsds in CAPACITY.items()}
                validate_figures(**figures, over_maximum_ok=True)
            except CapacityError as exc:
                self.problem(ERROR, ref, CAPACITY[exc.field], exc.message)
                return False
            if available is not None and maximum is not None and available > maximum:
                self.problem(WARNING, ref, "available", "is more than maximum")
            if "x_partners_status" in values and not values["x_partners_status"]:
                values["x_partners_status"] = _status(available)
            elif "x_partners_status" not in values:
                values["x_partners_status"] = _status(available)
                self.columns["x_partners_status"] = "status"
        elif name == "attribute":
            entity = (values.get("link_entity") or "service").lower()
            if entity != "service" or not values.get("link_id"):
                self.problem(WARNING, ref, "link_entity", f"attributes of {entity} are not "
                             "stored; row skipped")  # fmt: skip
                state.report.skipped[name] += self.record
                return False
        elif name == "x_partners_eligibility_rule" and values.get("service_id"):
            key = f"{values['service_id']}|{values['criterion']}"
            values["id"] = state.alias["rule_key"].setdefault(key, values["id"])
            if values.get("strict") and values.get("criterion") != "documents":
                self.problem(WARNING, ref, "strict", "only a documents rule can be strictly "
                             "required; read as false")  # fmt: skip
                values["strict"] = False
            if "strict" in values:
                values["strict"] = bool(values["strict"])  # empty: not strictly required
        elif name == "x_partners_service_translation" and values.get("service_id"):
            return self.translation(ref, values)
        return True

    def schedule(self, ref: Any, values: dict[str, Any]) -> bool:
        """Kept only when it is the weekly pattern we show: a fortnightly or monthly schedule
        published as weekly would send people on the wrong day."""
        freq = (values.get("freq") or "WEEKLY").strip().upper()
        if values.get("freq"):
            values["freq"] = freq
        why, column = None, None
        interval = values.get("interval")
        if freq != "WEEKLY":
            why, column = f"repeats {freq.lower()}, not weekly", "freq"
        elif interval is not None and _number(interval) != 1:
            why, column = f"repeats every {interval} weeks, not every week", "interval"
        else:
            column = next((f for f in SCHEDULE_LIMITS if values.get(f) not in (None, "")), None)
            why = SCHEDULE_LIMITS.get(column or "")
        if why is None:
            return True
        self.problem(WARNING, ref, column, f"the schedule {why}; Partners shows one weekly "
                     "pattern, so it would be published wrong: schedule dropped")  # fmt: skip
        self.state.report.skipped[self.r.name] += self.record
        return False

    def translation(self, ref: Any, values: dict[str, Any]) -> bool:
        """One row per service and language, whatever its id; the same limits as the form."""
        from app.directory.translations import (  # noqa: PLC0415
            TRANSLATED_LANGUAGES,
            TranslationData,
            check_translation,
        )

        language = (values.get("language") or "").strip().lower()
        if language not in TRANSLATED_LANGUAGES:
            self.problem(WARNING, ref, "language", f"translations into {language!r} are not "
                         "stored; row skipped")  # fmt: skip
            self.state.report.skipped[self.r.name] += self.record
            return False
        values["language"] = language
        text = {k: values.get(k) for k in vars(TranslationData())}
        problem = check_translation(TranslationData(**text).cleaned())
        if problem is not None:
            self.problem(ERROR, ref, problem[0], problem[1])
            return False
        key = f"{values['service_id']}|{language}"
        values["id"] = self.state.alias["translation_key"].setdefault(key, values["id"])
        return True


MERGEABLE = ("organization", "service")


def _to_merged(name: str, values: dict[str, Any], merged: dict[tuple[str, str], str]) -> None:
    """Ids of records merged away point at the record they were merged into."""
    for key in ("id", "organization_id", "service_id"):
        kind = name if key == "id" else key.removesuffix("_id")
        if (key != "id" or name in MERGEABLE) and values.get(key):
            values[key] = merged.get((kind, values[key]), values[key])


def _target(field_name: str) -> str:
    return {"parent_id": "taxonomy_term", "taxonomy_id": "taxonomy",
            "taxonomy_term_id": "taxonomy_term"}[field_name]  # fmt: skip


def _number(text: Any) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _status(available: int | None) -> str:
    return "no-capacity" if available == 0 else "has-capacity"


def _default(column: Any) -> Any:
    arg = column.default.arg
    return arg(None) if callable(arg) else arg


# --- the import ---------------------------------------------------------------------------------


def _write(table: _Table, state: _State) -> None:
    """Validate and write one table; once any error is known, rows are checked but not written."""
    from app.interop.csv_writer import write_rows  # noqa: PLC0415

    rows: Iterator[dict[str, Any]] = (r for r in table.rows(record=True) if state.report.ok)
    if table.r.name == "taxonomy_term":
        rows = iter(_parents_first(list(rows)))
    write_rows(table.r, rows, state)


def _parents_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_id = {r["id"]: r for r in rows}

    def depth(row: dict[str, Any], hops: int = 0) -> int:
        parent = by_id.get(row.get("parent_id") or "")
        return hops if parent is None or hops > 50 else depth(parent, hops + 1)

    return sorted(rows, key=depth)


def import_path(
    path: str | Path, *, strict: bool = False, source_name: str = "", progress: Progress = None
) -> ImportReport:
    """Import everything or nothing (flushes only; the caller commits). An input that cannot be
    read is one error in the report, naming the file (and row, when known). A datapackage in
    HSDS 1.1 or 2.0 is converted first (app.interop.legacy)."""
    from app.interop.legacy.detect import detect  # noqa: PLC0415
    from app.interop.legacy.files import open_package  # noqa: PLC0415

    try:
        package = open_package(path)
        detected = detect(package) if package is not None else None
        if detected is not None and detected.legacy:
            from app.interop.legacy.convert import import_package  # noqa: PLC0415

            return import_package(package, detected, strict=strict,  # type: ignore[arg-type]
                                  source_name=source_name or Path(path).name,
                                  progress=progress)  # fmt: skip
        source = open_source(path)
    except SourceError as exc:
        report = ImportReport()
        report.add(ERROR, exc.file or str(path), exc.row, None, exc.message)
        return report
    report = import_source(source, strict=strict, source_name=source_name or Path(path).name,
                           progress=progress)  # fmt: skip
    report.version = detected.version if detected else ""
    return report


def import_source(
    source: Source, *, strict: bool = False, source_name: str = "", progress: Progress = None
) -> ImportReport:
    """One pass in foreign-key order inside a SAVEPOINT: each table is validated and written
    in batches; at the end, any error (or, with strict, any warning) rolls the savepoint back,
    so the database is exactly as before. Reading the data once keeps 50,000 services fast."""
    report = ImportReport()
    state = _State(report, {r.name: r for r in resources()})
    _prepare_aliases(state)
    for file, message in source.notes:
        report.add(WARNING, file, None, None, message)
    for severity, file, row, column, message in source.problems:
        report.add(severity, file, row, column, message)
    for file, what, count in source.not_held:
        report.add(WARNING, file, None, None, f"Partners does not store {what}; "
                   f"{count} rows not imported")  # fmt: skip
    if not source.tables:
        if report.ok:
            report.add(ERROR, "(input)", None, None, "no HSDS tables found")
        return report
    tables = [_Table(r, source.tables[r.name], state) for r in resources()
              if r.name in source.tables]  # fmt: skip
    savepoint = db.session.begin_nested()
    try:
        for table in tables:
            table.record = True
            table.check_header()
            if table.r.name == "taxonomy_term":  # parents may come after their children
                state.kept["taxonomy_term"] = {raw.get("id", "").strip().lower()
                                               for _ref, raw in table.src.read()}  # fmt: skip
            _write(table, state)
            if progress is not None:
                progress(table.r.name, report)
        db.session.flush()
    except SourceError as exc:  # a file turned out unreadable (not UTF-8, too large) midway
        savepoint.rollback()
        report.add(ERROR, exc.file or "(input)", exc.row, None, exc.message)
        report.created.clear()
        report.updated.clear()
        return report
    except BaseException:
        savepoint.rollback()
        raise
    for (file, column), count in sorted(state.not_stored.items()):
        report.add(WARNING, file, None, column, f"Partners does not store this field; "
                   f"values in {count} rows not imported")  # fmt: skip
    if strict:
        report.problems = [replace(p, severity=ERROR) for p in report.problems]
    if not report.ok:
        savepoint.rollback()
        report.created.clear()
        report.updated.clear()
        return report
    report.duplicates = after_import(state.new_ids, source_name)
    savepoint.commit()
    report.written = True
    return report
