"""Two small HSDS 3.x datapackages, as two 211s would publish them, listing one organization and
one service that are the same (other ids, other spellings) and one each that is not."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

ORG_A, ORG_B, ORG_B_ONLY = (f"aaaaaaaa-0000-4000-8000-00000000000{n}" for n in (1, 2, 3))
SVC_A, SVC_B, SVC_B_ONLY = (f"bbbbbbbb-0000-4000-8000-00000000000{n}" for n in (1, 2, 3))
LOC_A, LOC_B, LOC_B_ONLY = (f"cccccccc-0000-4000-8000-00000000000{n}" for n in (1, 2, 3))

COLUMNS = {
    "organizations.csv": ["id", "name", "description", "email", "website"],
    "services.csv": ["id", "organization_id", "name", "description", "status", "fees_description"],
    "locations.csv": ["id", "location_type", "organization_id", "name"],
    "addresses.csv": [
        "id",
        "location_id",
        "address_1",
        "city",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ],  # fmt: skip
    "service_at_location.csv": ["id", "service_id", "location_id"],
    "phones.csv": ["id", "organization_id", "service_id", "number"],
}


def _uuid(prefix: str, n: int) -> str:
    return f"{prefix}-0000-4000-8000-{n:012d}"


def source_a() -> dict[str, list[list[str]]]:
    """A county directory: short descriptions, no website."""
    return {
        "organizations.csv": [[ORG_A, "Harbor House, Inc.", "Sober housing.", "", ""]],
        "services.csv": [[SVC_A, ORG_A, "Sober Living Beds", "Beds.", "active", "Free"]],
        "locations.csv": [[LOC_A, "physical", ORG_A, "Harbor House"]],
        "addresses.csv": [
            [
                _uuid("dddddddd", 1),
                LOC_A,
                "12 Main Street",
                "Hartford",
                "CT",
                "06103",
                "US",
                "physical",
            ]
        ],  # fmt: skip
        "service_at_location.csv": [[_uuid("eeeeeeee", 1), SVC_A, LOC_A]],
        "phones.csv": [
            [_uuid("ffffffff", 1), ORG_A, "", "(860) 555-0100"],
            [_uuid("ffffffff", 2), "", SVC_A, "(860) 555-0101"],
        ],  # fmt: skip
    }


def source_b() -> dict[str, list[list[str]]]:
    """The region's 211: longer descriptions and a website; one organization A does not list."""
    long_text = "Sober housing for men and women leaving prison, with a house meeting every night."
    return {
        "organizations.csv": [
            [ORG_B, "HARBOR HOUSE", long_text, "", "https://harbor.example.org"],
            [ORG_B_ONLY, "Valley Food Pantry", "Groceries every Tuesday.", "", ""],
        ],
        "services.csv": [
            [
                SVC_B,
                ORG_B,
                "Sober living beds",
                "Twelve beds, 90-day stays, referrals welcome.",
                "active",
                "",
            ],  # fmt: skip
            [SVC_B_ONLY, ORG_B_ONLY, "Food pantry", "Groceries.", "active", ""],
        ],
        "locations.csv": [
            [LOC_B, "physical", ORG_B, "Harbor House Main"],
            [LOC_B_ONLY, "physical", ORG_B_ONLY, "Valley Pantry"],
        ],  # fmt: skip
        "addresses.csv": [
            [
                _uuid("dddddddd", 2),
                LOC_B,
                "12 Main St.",
                "Hartford",
                "CT",
                "06103-1234",
                "US",
                "physical",
            ],  # fmt: skip
            [
                _uuid("dddddddd", 3),
                LOC_B_ONLY,
                "9 Elm Street",
                "Meriden",
                "CT",
                "06450",
                "US",
                "physical",
            ],  # fmt: skip
        ],
        "service_at_location.csv": [
            [_uuid("eeeeeeee", 2), SVC_B, LOC_B],
            [_uuid("eeeeeeee", 3), SVC_B_ONLY, LOC_B_ONLY],
        ],  # fmt: skip
        "phones.csv": [
            [_uuid("ffffffff", 3), ORG_B, "", "860-555-0100"],
            [_uuid("ffffffff", 4), "", SVC_B, "860.555.0101"],
        ],  # fmt: skip
    }


def package_bytes(tables: dict[str, list[list[str]]], encoding: str = "utf-8") -> bytes:
    """A datapackage zip of CSV files (header row first)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, rows in tables.items():
            text = io.StringIO()
            csv.writer(text, lineterminator="\n").writerows([COLUMNS[name], *rows])
            archive.writestr(name, text.getvalue().encode(encoding))
    return out.getvalue()


def write_package(path: Path, tables: dict[str, list[list[str]]]) -> Path:
    path.write_bytes(package_bytes(tables))
    return path
