"""HSDS JSON (a service, organization or service_at_location, a list of them, or a Page with
`contents`, as /api/services?full=true returns) flattened into the rows of the CSV tables, so one
validator and one writer serve both. Each row is named by its JSON pointer.

Our `x_partners_eligibility` rules and `x_partners_translations` come along (their ids are
derived from service + criterion / language); other profile extensions are read-only views and
are not imported from JSON.
"""

from __future__ import annotations

import json
from typing import Any

from app.interop.ids import link_id

Rows = dict[str, list[tuple[str, dict[str, str]]]]

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


class _Flattener:
    def __init__(self) -> None:
        self.rows: Rows = {}
        self.seen: set[tuple[str, str]] = set()

    def add(self, resource: str, pointer: str, values: dict[str, Any]) -> None:
        key = (resource, str(values.get("id", pointer)))
        if key in self.seen:  # the same organization under many services: keep the first
            return
        self.seen.add(key)
        row = {k: _text(v) for k, v in values.items() if not isinstance(v, dict)
               and not (isinstance(v, list) and k != "values")}  # fmt: skip
        self.rows.setdefault(resource, []).append((pointer or "/", row))

    def walk(self, resource: str, obj: dict[str, Any], pointer: str) -> None:
        obj = dict(obj)
        for key, (parent_resource, id_field) in PARENTS.get(resource, {}).items():
            nested = obj.get(key)
            if isinstance(nested, dict):
                obj.setdefault(id_field, nested.get("id"))
                self.walk(parent_resource, nested, f"{pointer}/{key}")
        self.add(resource, pointer, obj)
        for key, (child, fk) in CHILDREN.get(resource, {}).items():
            for i, item in enumerate(obj.get(key) or []):
                if isinstance(item, dict):
                    item = {fk: obj.get("id"), **item} if fk else item
                    self.walk(child, item, f"{pointer}/{key}/{i}")
        if resource == "service":
            self.service_extras(obj, pointer)

    def service_extras(self, service: dict[str, Any], pointer: str) -> None:
        for i, attribute in enumerate(service.get("attributes") or []):
            term = attribute.get("taxonomy_term")
            if isinstance(term, dict):
                self.walk("taxonomy_term", term, f"{pointer}/attributes/{i}/taxonomy_term")
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


def kind_of(obj: dict[str, Any]) -> str:
    if "status" in obj:
        return "service"
    if "location" in obj or ("service_id" in obj and "location_id" in obj):
        return "service_at_location"
    return "organization"


def flatten(data: Any) -> Rows:
    flattener = _Flattener()
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        items, base = data["contents"], "/contents"
    elif isinstance(data, list):
        items, base = data, ""
    else:
        items, base = [data], ""
    for i, obj in enumerate(items):
        if isinstance(obj, dict):
            flattener.walk(kind_of(obj), obj, f"{base}/{i}" if base or len(items) > 1 else "")
    return flattener.rows
