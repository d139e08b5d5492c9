"""Which HSDS object a JSON object is, read from its members and the HSDS 3.1 schemas.

Every object the schemas define (at the top or nested) is known by its members and its required
members. An object is of a kind when it has that kind's required members and no member the kind
does not define (our `x_partners_*` extensions aside). When several kinds fit (`{"id", "name",
"description"}` fits an organization, a program, a taxonomy and a term), the first in PREFERRED
wins; when none fits exactly, the kind sharing the most members (and with all its required ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from app.interop.hsds_schema import load_datapackage, load_schema

SCHEMAS = (
    "service.json",
    "organization.json",
    "service_at_location.json",
    "service_list.json",
    "organization_list.json",
    "service_at_location_list.json",
)
PREFERRED = ("service", "organization", "service_at_location", "location", "taxonomy_term",
             "taxonomy", "program")  # fmt: skip


@dataclass(frozen=True)
class Kind:
    name: str  # the datapackage resource name: "taxonomy_term"
    members: frozenset[str]
    required: frozenset[str]


@cache
def kinds() -> dict[str, Kind]:
    names = {r["path"]: r["name"] for r in load_datapackage()["resources"]}
    members: dict[str, set[str]] = {}
    required: dict[str, set[str]] = {}
    stack: list[Any] = [load_schema(f) for f in SCHEMAS]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        path = node.get("path")
        if node.get("type") == "object" and isinstance(path, str) and path in names:
            name = names[path]
            members.setdefault(name, set()).update(node.get("properties", {}))
            needed = set(node.get("required", []))
            required[name] = required[name] & needed if name in required else needed
        stack.extend(v for k, v in node.items() if isinstance(v, dict | list))
    return {n: Kind(n, frozenset(members[n]), frozenset(required[n])) for n in members}


def _rank(name: str) -> int:
    return PREFERRED.index(name) if name in PREFERRED else len(PREFERRED)


def kind_of(obj: dict[str, Any]) -> str | None:
    """The resource name of the HSDS object `obj` is, or None when nothing fits."""
    keys = {k for k in obj if not k.startswith("x_")}
    if not keys:
        return None
    known = kinds().values()
    exact = [k for k in known if k.required <= keys and keys <= k.members]
    if exact:
        return min(exact, key=lambda k: (_rank(k.name), k.name)).name
    scored = [(len(keys & k.members) - len(keys - k.members), k) for k in known
              if k.required <= keys]  # fmt: skip
    scored = [(score, k) for score, k in scored if score > 0]
    if not scored:
        return None
    return min(scored, key=lambda s: (-s[0], _rank(s[1].name), s[1].name))[1].name
