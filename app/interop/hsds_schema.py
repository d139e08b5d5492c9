"""Our copies of the HSDS 3.1 JSON schemas (app/interop/hsds/schema, CC BY-SA 4.0, see LICENSE
there), and the same schemas made compact for the OpenAPI document.

The published "compiled" schemas repeat every nested object in full (the service schema is
2.5 MB). `openapi_components` drops annotations (descriptions, examples, CSV hints) and gives
each distinct nested object one named component referenced with $ref: about 40 kB, same rules.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).resolve().parent / "hsds" / "schema"
ANNOTATIONS = {
    "description", "example", "title", "constraints", "core", "datapackage_metadata", "name",
    "datapackage_type", "tabular_required",
}  # fmt: skip
TOP_LEVEL = {
    "service.json": "HsdsService",
    "service_list.json": "HsdsServiceListItem",
    "organization.json": "HsdsOrganization",
    "organization_list.json": "HsdsOrganizationListItem",
    "service_at_location.json": "HsdsServiceAtLocation",
    "service_at_location_list.json": "HsdsServiceAtLocationListItem",
}
# Objects the API returns on their own that HSDS only defines nested in the schemas above.
NESTED_NAMES = {"taxonomies.csv": "HsdsTaxonomy", "taxonomy_terms.csv": "HsdsTaxonomyTerm"}


@cache
def load_schema(filename: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / filename).read_text(encoding="utf-8"))


def load_datapackage() -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / "datapackage.json").read_text(encoding="utf-8"))


def _prune(node: Any) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in ANNOTATIONS and not isinstance(value, dict):
                continue
            if key == "properties":
                out[key] = {name: _prune(sub) for name, sub in value.items()}
            else:
                out[key] = _prune(value)
        return out
    if isinstance(node, list):
        return [_prune(item) for item in node]
    return node


class _Factoring:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.components: dict[str, Any] = {}
        self.by_path: dict[str, set[str]] = {}

    def ref(self, name: str) -> dict[str, str]:
        return {"$ref": f"{self.prefix}{name}"}

    def walk(self, node: Any, top: bool = False) -> Any:
        if isinstance(node, list):
            return [self.walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        node = {
            k: ({p: self.walk(s) for p, s in v.items()} if k == "properties" else self.walk(v))
            for k, v in node.items()
        }
        path = node.pop("path", None)
        if top or node.get("type") != "object" or not isinstance(path, str):
            return node
        stem = path.removesuffix(".csv")
        digest = hashlib.sha1(
            json.dumps(node, sort_keys=True).encode(), usedforsecurity=False
        ).hexdigest()[:8]
        name = f"hsds_{stem}_{digest}"
        self.components[name] = node
        self.by_path.setdefault(path, set()).add(name)
        return self.ref(name)


@cache
def openapi_components(prefix: str = "#/components/schemas/") -> dict[str, Any]:
    """Compact HSDS schemas, keyed by component name (top-level objects get readable names)."""
    factoring = _Factoring(prefix)
    top = {}
    for filename, name in TOP_LEVEL.items():
        top[name] = factoring.walk(_prune(load_schema(filename)), top=True)
    components = dict(factoring.components)
    components.update(top)
    for path, name in NESTED_NAMES.items():
        variants = sorted(factoring.by_path.get(path, ()))
        if len(variants) != 1:
            raise RuntimeError(f"expected one HSDS schema for {path}, found {len(variants)}")
        components[name] = factoring.ref(variants[0])
    return components
