"""Locations, their physical and postal addresses (one 3.x addresses table) and services at
locations."""

from __future__ import annotations

from app.interop.legacy.common import Out, cell, legacy_id
from app.interop.legacy.files import LegacyFile
from app.interop.legacy.report import FileReport

ADDRESS_COLUMNS = {"id", "location_id", "attention", "address_1", "address_2", "address_3",
                   "address_4", "city", "region", "state_province", "postal_code",
                   "country"}  # fmt: skip


def _has(src: LegacyFile | None) -> set[str]:
    """3.x location ids that have a row in this address file."""
    if src is None:
        return set()
    return {legacy_id("location", row.get("location_id")) or "" for _n, row in src.rows}


def locations(src: LegacyFile, out: Out, report: FileReport, physical: LegacyFile | None,
              postal: LegacyFile | None) -> set[str]:  # fmt: skip
    """location_type (required in 3.x) is physical when the location has a physical address or
    coordinates, postal when it has only a postal address, else physical."""
    with_physical, with_postal = _has(physical), _has(postal)
    for row_no, row in src.rows:
        report.read += 1
        location_id = legacy_id("location", row.get("id")) or ""
        placed = location_id in with_physical or (cell(row, "latitude") and cell(row, "longitude"))
        kind = "postal" if not placed and location_id in with_postal else "physical"
        out.add(src.name, row_no, {
            "id": location_id, "location_type": kind,
            "organization_id": legacy_id("organization", row.get("organization_id")),
            "name": row.get("name"), "alternate_name": row.get("alternate_name"),
            "description": row.get("description"), "transportation": row.get("transportation"),
            "latitude": cell(row, "latitude"), "longitude": cell(row, "longitude"),
        })  # fmt: skip
        report.converted += 1
    return {"id", "organization_id", "name", "alternate_name", "description", "transportation",
            "latitude", "longitude"}  # fmt: skip


def addresses(src: LegacyFile, out: Out, report: FileReport, kind: str) -> set[str]:
    """kind: "physical" or "postal". address_3 and address_4 (gone in 3.x) join address_2."""
    for row_no, row in src.rows:
        report.read += 1
        if not cell(row, "location_id"):
            report.drop(row_no, "no location_id (an address belongs to a location)")
            continue
        extra = [cell(row, c) for c in ("address_2", "address_3", "address_4") if cell(row, c)]
        if len(extra) > 1:
            report.note(row_no, "address_3/address_4 joined to address_2")
        out.add(src.name, row_no, {
            "id": legacy_id(f"{kind}_address", row.get("id")),
            "location_id": legacy_id("location", row.get("location_id")),
            "attention": row.get("attention"), "address_1": cell(row, "address_1"),
            "address_2": ", ".join(extra), "city": cell(row, "city"),
            "region": row.get("region"), "state_province": cell(row, "state_province"),
            "postal_code": cell(row, "postal_code"),
            "country": cell(row, "country").upper() or "US", "address_type": kind,
        })  # fmt: skip
        if not cell(row, "country"):
            report.note(row_no, "no country; US assumed")
        report.converted += 1
    return ADDRESS_COLUMNS


def services_at_location(src: LegacyFile, out: Out, report: FileReport) -> set[str]:
    for row_no, row in src.rows:
        report.read += 1
        out.add(src.name, row_no, {
            "id": legacy_id("service_at_location", row.get("id")),
            "service_id": legacy_id("service", row.get("service_id")),
            "location_id": legacy_id("location", row.get("location_id")),
            "description": row.get("description"),
        })  # fmt: skip
        report.converted += 1
    return {"id", "service_id", "location_id", "description"}
