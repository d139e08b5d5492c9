"""Shared pieces of the 1.x conversion: stable ids and the rows handed to the 3.x importer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from app.interop.ids import PARTNERS_NAMESPACE, is_uuid

# 1.x ids are any text ("12", "org-7"); 3.x ids are UUIDs. Fixed forever: re-importing the same
# source must give the same ids, so rows are updated in place.
LEGACY = "hsds-legacy"


def legacy_id(kind: str, value: str | None) -> str | None:
    """The UUID for a 1.x id of one kind of row (a UUID stays as it is)."""
    value = (value or "").strip()
    if not value:
        return None
    if is_uuid(value):
        return value.lower()
    return str(uuid.uuid5(PARTNERS_NAMESPACE, f"{LEGACY}|{kind}|{value}"))


def cell(row: dict[str, str], name: str) -> str:
    return (row.get(name) or "").strip()


@dataclass
class Out:
    """Rows of one 3.x table: values by 3.x field name, each with the 1.x file and row it came
    from (so the importer's problems can name them)."""

    fields: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    origins: list[tuple[str, int]] = field(default_factory=list)

    def add(self, file: str, row: int, values: dict[str, str | None]) -> None:
        self.rows.append({k: v or "" for k, v in values.items() if k in self.fields})
        self.origins.append((file, row))
