"""`flask hsds export DIR`: every HSDS table we hold as CSV, plus datapackage.json.

Rows are streamed from the database (yield_per) and written in id order, so two exports of the
same data are byte-identical. What never leaves: users (so no assurer_email), site visits,
clients, consent, referrals, capacity history.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app import safe_csv
from app.clock import local_date
from app.directory.models import ServiceCapacity
from app.extensions import db
from app.interop.hsds_schema import SCHEMA_DIR
from app.interop.hsds_values import iso_datetime
from app.interop.ids import hsds_id, link_id
from app.interop.tables import Resource, datapackage, resources

BATCH = 2000
LICENSE_NAME = "LICENSE-HSDS.txt"


def cell(value: Any) -> str:
    """One CSV cell in the lexical form Table Schema expects."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return iso_datetime(value) or ""
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _db_rows(resource: Resource) -> Iterator[Any]:
    table = resource.sql
    order = [table.c.id] if "id" in table.c else list(table.primary_key.columns)
    result = db.session.execute(select(table).order_by(*order).execution_options(yield_per=BATCH))
    yield from result.mappings()


def _latest_capacity_change() -> dict[str, datetime]:
    rows = db.session.execute(
        select(ServiceCapacity.service_id, func.max(ServiceCapacity.updated)).group_by(
            ServiceCapacity.service_id
        )
    )
    return {service_id: latest for service_id, latest in rows}


def hsds_rows(resource: Resource) -> Iterator[dict[str, Any]]:
    """HSDS field -> value for every row of one resource (values not yet formatted)."""
    capacity_changes = _latest_capacity_change() if resource.name == "service" else {}
    columns = {name: resource.column_for(name) for name in resource.field_names}
    for row in _db_rows(resource):
        out = {name: (row[col] if col else None) for name, col in columns.items()}
        for name in resource.readable_ids:
            out[name] = hsds_id(out[name])
        for name in resource.fallback_to_name:
            out[name] = out[name] or out["name"]
        if resource.name == "service":
            verified = row["last_verified_at"]
            out["assured_date"] = local_date(verified) if verified else None
            moments = [row["updated_at"], verified, capacity_changes.get(row["id"])]
            out["last_modified"] = max(m for m in moments if m is not None)
        elif resource.name == "attribute":
            out["id"] = link_id(row["service_id"], out["taxonomy_term_id"])
            out["link_type"] = "service_taxonomy"
            out["link_entity"] = "service"
        elif resource.name == "phone":
            extension = out["extension"]
            out["extension"] = extension if extension and extension.isdigit() else None
        yield out


def write_resource(resource: Resource, path: Path) -> int:
    count = 0
    rows: Iterable[dict[str, Any]] = hsds_rows(resource)
    if resource.readable_ids:  # order by the published ids, the same in every database
        rows = sorted(rows, key=lambda out: out["id"])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = safe_csv.writer(handle, lineterminator="\n")
        names = resource.field_names
        writer.writerow(names)
        for out in rows:
            writer.writerow([cell(out[name]) for name in names])
            count += 1
    return count


def export_to_dir(directory: str | Path) -> dict[str, int]:
    """Write the datapackage into `directory` (created if needed); rows per file."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    all_resources = resources()
    counts = {r.path: write_resource(r, directory / r.path) for r in all_resources}
    package = datapackage(all_resources)
    (directory / "datapackage.json").write_text(
        json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    shutil.copyfile(SCHEMA_DIR.parent / "LICENSE", directory / LICENSE_NAME)
    return counts


def export_zip(target: io.BytesIO | Path, workdir: Path) -> None:
    """The same datapackage as one zip (for the admin download)."""
    export_to_dir(workdir)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(workdir.iterdir()):
            archive.write(path, arcname=path.name)
