"""Which HSDS version a datapackage is: from datapackage.json (version, profile) or, failing
that, from its file names and columns.

HSDS 1.1 has regular_schedules, holiday_schedules, services_taxonomy and taxonomy.csv (terms,
with a `vocabulary` column); 2.0 has service_attributes / other_attributes and taxonomy_terms.csv
with `term`; both have physical_addresses and postal_addresses, eligibility, service_areas,
payments_accepted and accessibility_for_disabilities. 3.x has addresses, attributes,
taxonomies.csv (vocabularies) and organizations.website.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field

from app.interop.legacy.files import Package

V11_FILES = {"regular_schedules.csv", "holiday_schedules.csv", "services_taxonomy.csv",
             "taxonomy.csv"}  # fmt: skip
V20_FILES = {"service_attributes.csv", "other_attributes.csv"}
LEGACY_FILES = {"physical_addresses.csv", "postal_addresses.csv", "eligibility.csv",
                "service_areas.csv", "payments_accepted.csv",
                "accessibility_for_disabilities.csv", "services_at_location.csv"}  # fmt: skip
V3_FILES = {"addresses.csv", "attributes.csv", "taxonomies.csv", "service_at_location.csv",
            "cost_options.csv", "organization_identifiers.csv", "urls.csv",
            "service_capacity.csv", "units.csv", "accessibility.csv"}  # fmt: skip
VERSION = re.compile(r"(?<![\d.])([123])\.(\d+)(?:\.\d+)?(?![\d.])")


@dataclass
class Detected:
    version: str  # "1.1", "2.0", "3.0", "3.1" ...
    family: str  # "legacy" or "3"
    how: str  # for people: what the version was read from
    notes: list[str] = field(default_factory=list)

    @property
    def legacy(self) -> bool:
        return self.family == "legacy"


def _declared(descriptor: bytes | None) -> tuple[str | None, str]:
    if not descriptor:
        return None, ""
    try:
        package = json.loads(descriptor.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return None, "datapackage.json is not readable JSON"
    if not isinstance(package, dict):
        return None, "datapackage.json is not a datapackage"
    for key in ("version", "profile"):
        value = package.get(key)
        if key == "profile" and "openreferral" not in str(value).lower():
            continue
        found = VERSION.search(str(value or ""))
        if found:
            return f"{found.group(1)}.{found.group(2)}", f"datapackage.json {key}"
    return None, "datapackage.json names no HSDS version"


def _header(package: Package, name: str) -> set[str]:
    if name not in package.files:
        return set()
    text = package.files[name]()[:65536].decode("utf-8-sig", errors="replace")
    first = next(csv.reader(io.StringIO(text)), [])
    return {h.strip().lower() for h in first}


def _from_files(package: Package) -> tuple[str | None, str]:
    names = package.names()
    if names & V11_FILES:
        found = sorted(names & V11_FILES)
        return "1.1", "file names (" + ", ".join(found) + ")"
    if names & V20_FILES:
        return "2.0", "file names (" + ", ".join(sorted(names & V20_FILES)) + ")"
    if names & V3_FILES:
        return "3.0", "file names (" + ", ".join(sorted(names & V3_FILES)) + ")"
    if names & LEGACY_FILES:
        return "2.0", "file names (" + ", ".join(sorted(names & LEGACY_FILES)) + ")"
    organization = _header(package, "organizations.csv")
    if "website" in organization:
        return "3.0", "columns (organizations.csv website)"
    if "url" in organization:
        return "2.0", "columns (organizations.csv url)"
    location = _header(package, "locations.csv")
    if location and "location_type" not in location:
        return "2.0", "columns (locations.csv has no location_type)"
    return None, ""


def detect(package: Package) -> Detected:
    """The version a datapackage declares, else the one its files show; 3.0 when nothing says."""
    declared, how = _declared(package.descriptor)
    shown, evidence = _from_files(package)
    notes = [] if declared or not how else [how]
    if declared:
        detected = Detected(declared, "3" if declared.startswith("3") else "legacy", how, notes)
        if shown and (shown.startswith("3") != declared.startswith("3")):
            detected.notes.append(f"declares HSDS {declared} but its {evidence} look like "
                                  f"HSDS {shown}; read as {declared}")  # fmt: skip
        elif shown and detected.legacy and shown != declared[:3]:
            detected.notes.append(f"declares HSDS {declared}; its {evidence} are from HSDS "
                                  f"{shown}: both are read")  # fmt: skip
        return detected
    if shown:
        return Detected(shown, "3" if shown.startswith("3") else "legacy", evidence, notes)
    return Detected("3.0", "3", "nothing else (no version declared, no 1.x file names)", notes)
