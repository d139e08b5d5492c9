"""Our HSDS 1.1 / 2.0 fixtures (tests/interop/fixtures/hsds11, hsds20) against the published
2.0.1 descriptor (a copy in tests/fixtures/hsds-legacy, never /work/shared at run time): every
file is a table the descriptor names (or a 1.1 table it replaced, listed below with its columns),
every column a field of that table, every required field present.

Values that break a descriptor constraint are deliberate: real 211 exports carry them, and the
converter must cope (tests/interop/test_legacy_import.py). Each is listed here, so a new,
undocumented difference fails this test.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DESCRIPTOR = Path(__file__).resolve().parents[1] / "fixtures" / "hsds-legacy" / "datapackage.json"

# HSDS 1.1 tables that 2.0 replaced (the descriptor has only the successor): file -> (successor
# resource, the 1.1 columns). Their columns are those of HSDS 1.1's own reference.
REPLACED_IN_20 = {
    "regular_schedules.csv": ("schedule", {"id", "service_id", "location_id",
                                           "service_at_location_id", "weekday", "opens_at",
                                           "closes_at"}),
    "holiday_schedules.csv": ("schedule", {"id", "service_id", "location_id",
                                           "service_at_location_id", "closed", "opens_at",
                                           "closes_at", "start_date", "end_date"}),
    "services_taxonomy.csv": ("service_attribute", {"id", "service_id", "taxonomy_id",
                                                    "taxonomy_detail"}),
    "taxonomy.csv": ("taxonomy_term", {"id", "name", "parent_id", "parent_name", "vocabulary"}),
}  # fmt: skip
# 1.1 columns the 2.0.1 descriptor left out of a table it still has.
FIELDS_11 = {"eligibility.csv": {"eligibility"}}  # the rule's text (2.0.1 lists id, service_id)
# (file, row, field) -> the value: real-world values outside the descriptor's constraints.
DELIBERATE = {
    ("hsds11/services.csv", 4, "status"): "Active",  # capitalized
    ("hsds11/services.csv", 5, "status"): "seasonal",  # not in the enum
    ("hsds11/phones.csv", 3, "type"): "Fax",  # capitalized
    ("hsds11/organizations.csv", 3, "description"): "",  # required, left empty
    ("hsds11/physical_addresses.csv", 3, "country"): "",  # required, left empty
}


def descriptor() -> dict[str, dict[str, Any]]:
    data = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))
    return {r["path"]: r for r in data["resources"]}


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows; UTF-8 with or without a BOM, else Windows-1252 (as real exports are)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    reader = csv.DictReader(text.splitlines())
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def fixture_files() -> list[Path]:
    return sorted([*FIXTURES.glob("hsds11/*.csv"), *FIXTURES.glob("hsds20/*.csv")])


def test_the_descriptor_copy_is_the_2_0_1_one() -> None:
    data = json.loads(DESCRIPTOR.read_text(encoding="utf-8"))
    assert data["version"] == "2.0.1"
    assert data["license"]["type"] == "CC-BY-SA-4.0"
    assert (DESCRIPTOR.parent / "LICENSE").is_file()
    assert "services.csv" in descriptor() and "schedules.csv" in descriptor()


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_file_and_column_is_known(path: Path) -> None:
    tables = descriptor()
    header, _rows = read_rows(path)
    if path.name in REPLACED_IN_20:
        assert path.parent.name == "hsds11", "a 1.1 table in a 2.0 package"
        successor, columns = REPLACED_IN_20[path.name]
        assert successor in {r["name"] for r in tables.values()}
        assert set(header) <= columns, set(header) - columns
        return
    assert path.name in tables, f"{path.name} is not a table of the descriptor"
    schema = tables[path.name]["schema"]
    known = {f["name"] for f in schema["fields"]} | FIELDS_11.get(path.name, set())
    assert set(header) <= known, f"unknown columns {sorted(set(header) - known)}"
    required = {f["name"] for f in schema["fields"] if f.get("constraints", {}).get("required")}
    assert required <= set(header), f"missing required columns {sorted(required - set(header))}"
    assert len(header) == len(set(header)), "a column twice"


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_values_keep_the_constraints_or_are_listed_as_deliberate(path: Path) -> None:
    tables = descriptor()
    if path.name not in tables:
        return
    _header, rows = read_rows(path)
    name = f"{path.parent.name}/{path.name}"
    for field in tables[path.name]["schema"]["fields"]:
        constraints = field.get("constraints", {})
        for line, row in enumerate(rows, start=2):
            value = row.get(field["name"])
            if value is None:
                continue
            broken = (constraints.get("required") and value == "") or (
                "enum" in constraints and value and value not in constraints["enum"]
            )
            if broken:
                assert DELIBERATE.get((name, line, field["name"])) == value, (
                    f"{name} row {line} {field['name']}={value!r} breaks the descriptor"
                )


def test_the_hsds20_datapackage_names_tables_as_the_descriptor_does() -> None:
    tables = descriptor()
    ours = json.loads((FIXTURES / "hsds20" / "datapackage.json").read_text(encoding="utf-8"))
    assert ours["version"] == "2.0.1"
    for resource in ours["resources"]:
        assert resource["path"] in tables, resource
        assert tables[resource["path"]]["name"] == resource["name"], resource
        assert (FIXTURES / "hsds20" / resource["path"]).is_file(), resource
