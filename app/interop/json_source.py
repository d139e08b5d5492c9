"""HSDS JSON (any object we hold: a service, organization, service_at_location, location,
taxonomy, taxonomy term, program ...; a list of them; or a Page with `contents`, as
/api/services?full=true returns) flattened into the rows of the CSV tables, so one validator and
one writer serve both. Each row is named by its JSON pointer.

Each object is read as what it is (app.interop.json_kinds); a kind we do not hold (a contact, a
funding source ...) is an error naming it. Nested objects we do not store are counted and reported
as the CSV path reports their files ("Partners does not store contacts; 2 rows not imported").
An object nested as a reference (the organization of a service, the location of a
service_at_location, a taxonomy term) may repeat; any other id that repeats is left in, so the
validator reports it as a duplicate rather than silently keeping one.

Our `x_partners_eligibility` rules and `x_partners_translations` come along (their ids are
derived from service + criterion / language), and so does `x_partners_capacities`: its status,
waitlist and expected wait join the HSDS `capacities` figure of the same id, and a figure with a
status but no count (which HSDS `capacities` cannot carry) is imported from it alone, so
"waitlist" or "full" survives export -> import -> export. Other profile extensions
(`x_partners_capacity_status`, `stale`) are read-only views and are not imported from JSON.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from app.interop.ids import link_id
from app.interop.json_kinds import kind_of
from app.interop.tables import HELD, NOT_HELD

Rows = dict[str, list[tuple[str, dict[str, str]]]]
HELD_NAMES = {name for name, _table, _kw in HELD}
# nested key -> the HSDS resource it holds, for nested objects we do not store
NESTED_NOT_HELD = {
    "contacts": "contact",
    "funding": "funding",
    "service_areas": "service_area",
    "accessibility": "accessibility",
    "metadata": "metadata",
    "cost_options": "cost_option",
    "organization_identifiers": "organization_identifier",
    "additional_urls": "url",
    "additional_websites": "url",
}
SERVICE_EXTRAS = {"attributes", "x_partners_eligibility", "x_partners_translations"}

# nested key -> (resource, foreign-key field set from the parent's id)
CHILDREN: dict[str, dict[str, tuple[str, str | None]]] = {
    "service": {
        "phones": ("phone", "service_id"),
        "schedules": ("schedule", "service_id"),
        "service_at_locations": ("service_at_location", "service_id"),
        "languages": ("language", "service_id"),
        "required_documents": ("required_document", "service_id"),
        "capacities": ("service_capacity", "service_id"),
    },
    "organization": {
        "phones": ("phone", "organization_id"),
        "locations": ("location", "organization_id"),
        "programs": ("program", "organization_id"),
        "services": ("service", "organization_id"),
    },
    "location": {
        "addresses": ("address", "location_id"),
        "phones": ("phone", "location_id"),
        "languages": ("language", "location_id"),
        "schedules": ("schedule", "location_id"),
    },
    "service_at_location": {
        "phones": ("phone", "service_at_location_id"),
        "schedules": ("schedule", "service_at_location_id"),
    },
    "phone": {"languages": ("language", "phone_id")},
}
# nested single object -> (resource, field of the parent that holds its id)
PARENTS: dict[str, dict[str, tuple[str, str]]] = {
    "service": {"organization": ("organization", "organization_id"),
                "program": ("program", "program_id")},
    "service_at_location": {"location": ("location", "location_id"),
                            "service": ("service", "service_id")},
    "service_capacity": {"unit": ("unit", "unit_id")},
    "taxonomy_term": {"taxonomy_detail": ("taxonomy", "taxonomy_id")},
}  # fmt: skip


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _filled(row: dict[str, str]) -> int:
    return sum(1 for value in row.values() if value != "")


# x_partners_capacities member -> service_capacity.csv column of our profile
CAPACITY_EXTRAS = {
    "status": "x_partners_status",
    "waitlist_length": "x_partners_waitlist_length",
    "expected_wait": "x_partners_expected_wait",
}


def with_profile_capacities(service: dict[str, Any]) -> list[Any]:
    """The service's `capacities` with our profile's status, waitlist and expected wait added,
    plus the figures only `x_partners_capacities` holds (a status with no count)."""
    extras = {
        str(figure["id"]): figure
        for figure in service.get("x_partners_capacities") or []
        if isinstance(figure, dict) and figure.get("id")
    }
    out: list[Any] = []
    for item in service.get("capacities") or []:
        figure = extras.pop(str(item.get("id")), None) if isinstance(item, dict) else None
        if figure is not None:
            item = {**item, **{column: figure.get(member)
                               for member, column in CAPACITY_EXTRAS.items()}}  # fmt: skip
        out.append(item)
    for figure in extras.values():
        unit_name = figure.get("unit_name") or figure.get("unit")
        identifier = figure.get("unit") if figure.get("unit") != unit_name else None
        item = {key: figure.get(key) for key in ("id", "unit_id", "available", "maximum",
                                                 "updated")}  # fmt: skip
        item |= {column: figure.get(member) for member, column in CAPACITY_EXTRAS.items()}
        if figure.get("unit_id"):
            item["unit"] = {"id": figure["unit_id"], "name": unit_name, "identifier": identifier}
        out.append(item)
    return out


def what(resource: str) -> str:
    """How a report names objects of a kind: "contacts", "taxonomy terms"."""
    return NOT_HELD.get(resource) or resource.replace("_", " ") + "s"


@dataclass
class Flat:
    rows: Rows = field(default_factory=dict)
    not_held: Counter = field(default_factory=Counter)  # what -> objects not imported
    problems: list[tuple[str, str, str | None, str]] = field(default_factory=list)


class _Flattener:
    """Rows by resource. Objects come in three roles: "top" (an item of the page or list),
    "child" (nested in a list under its parent) and "ref" (a nested reference: the organization
    of a service, a taxonomy term)."""

    def __init__(self) -> None:
        self.flat = Flat()
        self.rows = self.flat.rows
        self.first: dict[tuple[str, str], tuple[int, str, str]] = {}  # index, role, pointer

    def add(self, resource: str, pointer: str, values: dict[str, Any], role: str = "child") -> None:
        """A reference may repeat (the first is kept; an object given in full later replaces
        it). Top-level items that repeat stay, so the validator reports each duplicate id as an
        error; a nested object whose id was seen elsewhere in the file is a warning."""
        pointer = pointer or "/"
        id_ = str(values.get("id", pointer))
        key = (resource, id_)
        row = {k: _text(v) for k, v in values.items() if not isinstance(v, dict)
               and not (isinstance(v, list) and k != "values")}  # fmt: skip
        rows = self.rows.setdefault(resource, [])
        if key in self.first:
            index, before, where = self.first[key]
            if role == "ref":
                if before == "ref" and _filled(row) > _filled(rows[index][1]):
                    rows[index] = (pointer, row)  # the fuller copy of the same reference
                return
            if before == "ref":
                rows[index] = (pointer, row)
                self.first[key] = (index, role, pointer)
                return
            if role == "child" or before == "child":
                self.flat.problems.append(("warning", pointer, "id", f"{resource} {id_} is also "
                                           f"at {where}; only that one is imported"))  # fmt: skip
                return
        else:
            self.first[key] = (len(rows), role, pointer)
        rows.append((pointer, row))

    def walk(self, resource: str, obj: dict[str, Any], pointer: str, role: str = "child") -> None:
        obj = dict(obj)
        for key, (parent_resource, id_field) in PARENTS.get(resource, {}).items():
            nested = obj.get(key)
            if isinstance(nested, dict):
                obj.setdefault(id_field, nested.get("id"))
                if key == "program" and not nested.get("organization_id"):
                    # HSDS's own service_list.json: the program belongs to the service's org
                    nested = {**nested, "organization_id": obj.get("organization_id")}
                self.walk(parent_resource, nested, f"{pointer}/{key}", "ref")
        if resource == "service" and obj.get("x_partners_capacities"):
            obj["capacities"] = with_profile_capacities(obj)
        if resource == "service" and obj.get("x_partners_last_verified"):
            obj["assured_date"] = obj["x_partners_last_verified"]  # the moment, not only its day
        self.add(resource, pointer, obj, role)
        for key, (child, fk) in CHILDREN.get(resource, {}).items():
            for i, item in enumerate(obj.get(key) or []):
                if isinstance(item, dict):
                    item = {fk: obj.get("id"), **item} if fk else item
                    self.walk(child, item, f"{pointer}/{key}/{i}")
        if resource == "service":
            self.service_extras(obj, pointer)
        self.count_not_held(resource, obj)

    def count_not_held(self, resource: str, obj: dict[str, Any]) -> None:
        handled = set(CHILDREN.get(resource, {})) | set(PARENTS.get(resource, {})) | {"values"}
        if resource == "service":
            handled |= SERVICE_EXTRAS
        for key, value in obj.items():
            if key in handled or key.startswith("x_"):
                continue
            items = [value] if isinstance(value, dict) else value if isinstance(value, list) else []
            count = sum(1 for item in items if isinstance(item, dict))
            if count:
                nested = NESTED_NOT_HELD.get(key)
                label = what(nested) if nested else f"{key.replace('_', ' ')} of {what(resource)}"
                self.flat.not_held[label] += count

    def service_extras(self, service: dict[str, Any], pointer: str) -> None:
        for i, attribute in enumerate(service.get("attributes") or []):
            term = attribute.get("taxonomy_term")
            if isinstance(term, dict):
                self.walk("taxonomy_term", term, f"{pointer}/attributes/{i}/taxonomy_term", "ref")
            self.add("attribute", f"{pointer}/attributes/{i}", {
                "link_id": service.get("id"), "link_entity": "service",
                "taxonomy_term_id": (term or {}).get("id"),
                **{k: v for k, v in attribute.items() if k != "taxonomy_term"},
            })  # fmt: skip
        for i, rule in enumerate(service.get("x_partners_eligibility") or []):
            values = {k: v for k, v in rule.items() if k != "question"}
            values["id"] = link_id(str(service.get("id")), str(rule.get("criterion")))
            values["service_id"] = service.get("id")
            self.add("x_partners_eligibility_rule", f"{pointer}/x_partners_eligibility/{i}",
                     values)  # fmt: skip
        for i, words in enumerate(service.get("x_partners_translations") or []):
            if not isinstance(words, dict):
                continue
            values = dict(words)
            language = str(words.get("language"))
            values["id"] = link_id(str(service.get("id")), "translation", language)
            values["service_id"] = service.get("id")
            self.add("x_partners_service_translation",
                     f"{pointer}/x_partners_translations/{i}", values)  # fmt: skip


def flatten(data: Any) -> Flat:
    flattener = _Flattener()
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        items, base = data["contents"], "/contents"
    elif isinstance(data, list):
        items, base = data, ""
    else:
        items, base = [data], ""
    problems = flattener.flat.problems
    for i, obj in enumerate(items):
        pointer = f"{base}/{i}" if base or len(items) > 1 else ""
        kind = kind_of(obj) if isinstance(obj, dict) else None
        if kind is None:
            problems.append(("error", pointer or "/", None, "is not an HSDS object Partners "
                             "recognizes"))  # fmt: skip
        elif kind not in HELD_NAMES:
            problems.append(("error", pointer or "/", None, f"is an HSDS {kind} object; "
                             f"Partners does not import {what(kind)}"))  # fmt: skip
        else:
            flattener.walk(kind, obj, pointer, "top")
    return flattener.flat
