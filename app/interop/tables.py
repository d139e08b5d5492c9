"""Which HSDS tables we hold and how their CSV columns map onto our tables, in both directions.

Field definitions come from our copy of the HSDS datapackage.json (CC BY-SA 4.0). Two of its
resources are incomplete in HSDS 3.1 (`unit` has no fields; `service_capacity` lists only its
two foreign keys while naming `id` as primary key), so their fields are completed here from the
HSDS JSON schema. Our profile adds a few `x_partners_*` columns and two extra resources
(x_partners_eligibility_rules, x_partners_service_translations: HSDS 3.1 core has no place for
a service's wording in another language); see PROFILE in app/api/openapi.py.

Export and import share these specs, so a round trip gives the same tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table

from app.extensions import db
from app.interop.hsds_schema import load_datapackage


def _f(
    name: str,
    type_: str = "string",
    fmt: str | None = None,
    required: bool = False,
    description: str | None = None,
) -> dict:
    out: dict[str, Any] = {"name": name, "type": type_}
    if fmt:
        out["format"] = fmt
    if description:
        out["description"] = description
    if required:
        out["constraints"] = {"required": True}
    return out


UNIT_FIELDS = [
    _f("id", fmt="uuid", required=True),
    _f("name", required=True),
    _f("scheme"),
    _f("identifier"),
    _f("uri", fmt="uri"),
]
CAPACITY_FIELDS = [
    _f("id", fmt="uuid", required=True),
    _f("service_id", fmt="uuid", required=True),
    _f("unit_id", fmt="uuid", required=True),
    _f("available", "number"),  # our profile: blank when only a status is known
    _f("maximum", "number"),
    _f("description"),
    _f("updated", "datetime", required=True),
]
EXTRA_FIELDS = {
    "organization": [_f("x_partners_sample_data", "boolean")],
    "taxonomy_term": [_f("x_partners_name_es")],
    "service_capacity": [
        _f("x_partners_status"),
        _f("x_partners_waitlist_length", "integer"),
        _f("x_partners_expected_wait"),
    ],
}
STRICT = (
    "Documents rules only: true when the provider marked the documents in values strictly "
    "required (a person without them is not eligible); false or empty: a missing document "
    "makes the person 'needs documents', not 'not eligible'."
)
RULE_FIELDS = [
    _f("id", fmt="uuid", required=True),
    _f("service_id", fmt="uuid", required=True),
    _f("criterion", required=True),
    _f("answer", required=True),
    _f("values", "array"),
    _f("min_age", "integer"),
    _f("max_age", "integer"),
    _f("note"),
    _f("strict", "boolean", description=STRICT),
]

# A service's own wording in another language (BCP 47 code, "es"); empty fields mean "show the
# English". `documents` is what to bring, one item a line (it replaces required_documents).
TRANSLATION_FIELDS = [
    _f("id", fmt="uuid", required=True),
    _f("service_id", fmt="uuid", required=True),
    _f("language", required=True),
    _f("name"),
    _f("description"),
    _f("documents"),
    _f("application_process"),
    _f("fees_description"),
    _f("eligibility_description"),
    _f("alert"),
]


@dataclass
class Resource:
    """One CSV file: its HSDS name, our table, and the column mapping."""

    name: str
    path: str
    table: str
    fields: list[dict] = field(default_factory=list)
    # HSDS field -> our column, where the names differ; fields missing from both are not stored.
    renamed: dict[str, str] = field(default_factory=dict)
    # Fields whose values may be our readable ids (published as uuid5, see app.interop.ids).
    readable_ids: tuple[str, ...] = ()
    # Fields that must not be empty in HSDS although our column may be: fallback is `name`.
    fallback_to_name: tuple[str, ...] = ()
    foreign_keys: list[dict] = field(default_factory=list)
    description: str = ""

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    @property
    def sql(self) -> Table:
        return db.metadata.tables[self.table]

    def column_for(self, field_name: str) -> str | None:
        """Our column for an HSDS field, or None when we do not store it."""
        if field_name in self.renamed:
            return self.renamed[field_name]
        return field_name if field_name in self.sql.c else None

    def field(self, name: str) -> dict:
        return next(f for f in self.fields if f["name"] == name)


# In foreign-key order: a resource only refers to resources listed before it.
HELD: list[tuple[str, str, dict[str, Any]]] = [
    (
        "organization",
        "organization",
        {"fallback_to_name": ("description",), "renamed": {"x_partners_sample_data": "is_sample"}},
    ),
    ("program", "program", {"fallback_to_name": ("description",)}),
    (
        "service",
        "service",
        {"renamed": {"assured_date": "last_verified_at", "last_modified": "updated_at"}},
    ),
    ("location", "location", {}),
    ("address", "address", {}),
    ("service_at_location", "service_at_location", {}),
    ("phone", "phone", {}),
    ("schedule", "schedule", {}),
    ("language", "language", {}),
    ("required_document", "required_document", {}),
    ("taxonomy", "taxonomy", {"readable_ids": ("id",), "fallback_to_name": ("description",)}),
    (
        "taxonomy_term",
        "taxonomy_term",
        {
            "readable_ids": ("id", "parent_id", "taxonomy_id"),
            "fallback_to_name": ("description",),
            "renamed": {"x_partners_name_es": "name_es"},
        },
    ),
    (
        "attribute",
        "service_taxonomy_term",
        {"readable_ids": ("taxonomy_term_id",), "renamed": {"link_id": "service_id"}},
    ),
    ("unit", "unit", {}),
    (
        "service_capacity",
        "service_capacity",
        {
            "renamed": {
                "x_partners_status": "status",
                "x_partners_waitlist_length": "waitlist_length",
                "x_partners_expected_wait": "expected_wait",
            }
        },
    ),
]
RULES = Resource(
    name="x_partners_eligibility_rule",
    path="x_partners_eligibility_rules.csv",
    table="eligibility_rule",
    fields=RULE_FIELDS,
    foreign_keys=[{"fields": "service_id", "reference": {"resource": "service", "fields": "id"}}],
    description="Partners profile: structured eligibility rules of services.",
)
TRANSLATIONS = Resource(
    name="x_partners_service_translation",
    path="x_partners_service_translations.csv",
    table="service_translation",
    fields=TRANSLATION_FIELDS,
    foreign_keys=[{"fields": "service_id", "reference": {"resource": "service", "fields": "id"}}],
    description="Partners profile: a service's own wording in another language (one row per "
    "service and language); documents is what to bring, one item a line.",
)


def resources() -> list[Resource]:
    """Every resource we read and write, in foreign-key order."""
    spec = {r["name"]: r for r in load_datapackage()["resources"]}
    held_names = {name for name, _t, _k in HELD}
    out = []
    for name, table, kwargs in HELD:
        source = spec[name]
        fields = {"unit": UNIT_FIELDS, "service_capacity": CAPACITY_FIELDS}.get(
            name, source["schema"]["fields"]
        )
        fields = [_strip_field(f) for f in fields] + EXTRA_FIELDS.get(name, [])
        keys = [
            fk
            for fk in source["schema"].get("foreignKeys", [])
            if fk["reference"]["resource"] in held_names
        ]
        out.append(
            Resource(
                name=name,
                path=source["path"],
                table=table,
                fields=fields,
                foreign_keys=keys,
                description=source.get("description", ""),
                **kwargs,
            )
        )
    out.append(RULES)
    out.append(TRANSLATIONS)
    return out


def _strip_field(f: dict) -> dict:
    """Keep what Table Schema needs (name, type, format, constraints, title, description)."""
    keep = {k: v for k, v in f.items() if k in ("name", "type", "format", "title", "description")}
    constraints = {k: v for k, v in f.get("constraints", {}).items() if k == "required" and v}
    if constraints:
        keep["constraints"] = constraints
    return keep


def by_name() -> dict[str, Resource]:
    return {r.name: r for r in resources()}


NOT_HELD = {
    "contact": "contacts",
    "funding": "funding sources",
    "service_area": "service areas",
    "accessibility": "accessibility details",
    "metadata": "change metadata",
    "meta_table_description": "table descriptions",
    "cost_option": "cost options",
    "organization_identifier": "organization identifiers",
    "url": "additional URLs",
}


def datapackage(resources_: list[Resource]) -> dict[str, Any]:
    """The datapackage.json describing an export (HSDS metadata, our resources only)."""
    spec = load_datapackage()
    head = {k: v for k, v in spec.items() if k != "resources"}
    head["name"] = "partners_hsds_export"
    head["title"] = "Partners directory (Open Referral HSDS 3.1)"
    head["profile"] = "tabular-data-package"
    head["sources"] = [{"title": "Human Services Data Specification: an Open Referral resource",
                        "path": "https://openreferral.org/"}]  # fmt: skip
    head["resources"] = [
        {
            "name": r.name,
            "path": r.path,
            "description": r.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "profile": "tabular-data-resource",
            "schema": {"fields": r.fields, "primaryKey": "id", "foreignKeys": r.foreign_keys},
        }
        for r in resources_
    ]
    return head
