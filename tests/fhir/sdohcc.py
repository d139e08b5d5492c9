"""Read the rules we rely on from the SDOHCC FHIR Shorthand sources (tests/fixtures/fhir-sdohcc)
and check a resource against them: cardinalities (`x 1..`, `x ..0`), reference targets
(`x only Reference(...)`), fixed codes (`x = $alias#code`) and the Task status value set."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

FSH = Path(__file__).parent.parent / "fixtures" / "fhir-sdohcc"

# FHIR R4 (4.0.1) TaskStatus value set, in the specification's order.
R4_TASK_STATUS = [
    "draft", "requested", "received", "accepted", "rejected", "ready", "cancelled",
    "in-progress", "on-hold", "failed", "completed", "entered-in-error",
]  # fmt: skip

# Profile names used in `only Reference(...)` -> the resource type a reference must name.
PROFILE_TYPE = {
    "SDOHCCServiceRequest": "ServiceRequest",
    "SDOHCCPractitionerRole": "PractitionerRole",
    "SDOHCCConsent": "Consent",
    "SDOHCCTaskForReferralManagement": "Task",
    "USCoreOrganizationProfile": "Organization",
    "USCorePatientProfile": "Patient",
    "USCorePractitionerProfile": "Practitioner",
    "USCoreRelatedPersonProfile": "RelatedPerson",
    "USCoreLocationProfile": "Location",
    "USCoreCareTeam": "CareTeam",
}

CARD = re.compile(r"^\* (?P<path>[\w.\[\]]+) (?P<min>\d*)\.\.(?P<max>\d+|\*)?(?: MS)?\s*$")
ONLY = re.compile(r"^\* (?P<path>[\w.\[\]]+) only Reference\((?P<targets>[^)]*)\)")
FIXED = re.compile(r"^\* (?P<path>[\w.\[\]]+) = (?P<system>\$?[\w:/.-]+)#(?P<code>[\w-]+)")
FROM = re.compile(r"^\* (?P<path>[\w.\[\]]+) from (?P<valueset>\w+)")


def aliases() -> dict[str, str]:
    text = (FSH / "aliases.fsh").read_text()
    return dict(re.findall(r"^Alias: (\S+) = (\S+)$", text, re.M))


SLICE = re.compile(r"\[(\w+)\]")


def required_slices(profile: str) -> set[str]:
    """Slices declared with a minimum of one or more (`category contains IDSCL 1..1`)."""
    text = (FSH / f"{profile}.fsh").read_text()
    return {name for name, low in re.findall(r"(\w+) (\d+)\.\.", text) if int(low) >= 1}


def rules(profile: str) -> dict[str, list[dict[str, str]]]:
    """Every rule line of a profile we know how to read, grouped by kind. A rule on a named slice
    binds only that slice's members, so we keep it only for slices that must be present (open
    slicing: other members may be anything)."""
    found: dict[str, list[dict[str, str]]] = {"card": [], "only": [], "fixed": [], "from": []}
    alias = aliases()
    needed = required_slices(profile)
    for line in (FSH / f"{profile}.fsh").read_text().splitlines():
        slices = SLICE.findall(line.split(" ", 2)[1]) if line.startswith("* ") else []
        if any(name != "x" and name not in needed for name in slices):
            continue
        for kind, pattern in (("card", CARD), ("only", ONLY), ("fixed", FIXED), ("from", FROM)):
            match = pattern.match(line)
            if match:
                rule = match.groupdict()
                if kind == "fixed":
                    rule["system"] = alias.get(rule["system"], rule["system"])
                found[kind].append(rule)
    return found


def referral_task_status() -> list[str]:
    """SDOHCCValueSetReferralTaskStatus: TaskStatus less its `exclude` lines."""
    text = (FSH / "SDOHCCValueSetReferralTaskStatus.fsh").read_text()
    assert "include codes from valueset TaskStatus" in text
    excluded = set(re.findall(r"^\* exclude TaskStatus#([\w-]+)", text, re.M))
    return [code for code in R4_TASK_STATUS if code not in excluded]


def _values(resource: dict[str, Any], path: str) -> list[Any]:
    """The values at a dotted path, slices dropped (`category[IDSCL]` -> category), `x[x]` any
    choice type; lists flattened."""
    current: list[Any] = [resource]
    for part in path.split("."):
        name = re.sub(r"\[\w+\]$", "", part) if not part.endswith("[x]") else part
        nxt: list[Any] = []
        for value in current:
            if not isinstance(value, dict):
                continue
            if name.endswith("[x]"):
                stem = name[:-3]
                hits = [
                    v
                    for k, v in value.items()
                    if k.startswith(stem) and k[len(stem) :][:1].isupper()
                ]
            else:
                hits = [value[name]] if name in value else []
            for hit in hits:
                nxt.extend(hit if isinstance(hit, list) else [hit])
        current = nxt
    return current


def _parent_present(resource: dict[str, Any], path: str) -> bool:
    parent = path.rsplit(".", 1)[0] if "." in path else None
    return parent is None or bool(_values(resource, parent))


def problems(resource: dict[str, Any], profile: str) -> list[str]:
    """What in `resource` breaks the profile's rules we read; [] when it conforms to them."""
    out: list[str] = []
    found = rules(profile)
    for rule in found["card"]:
        path, values = rule["path"], _values(resource, rule["path"])
        low = int(rule["min"] or 0)
        if len(values) < low and _parent_present(resource, path):
            out.append(f"{path}: at least {low} required, found {len(values)}")
        if rule["max"] not in (None, "*") and len(values) > int(rule["max"]):
            out.append(f"{path}: at most {rule['max']} allowed, found {len(values)}")
    for rule in found["only"]:
        allowed = set()
        for target in rule["targets"].split(" or "):
            name = target.split("|")[0].strip()
            allowed.add(PROFILE_TYPE.get(name, name))
        for value in _values(resource, rule["path"]):
            kind = value.get("type") or value.get("reference", "").split("/")[0]
            if kind not in allowed:
                out.append(f"{rule['path']}: {kind} is not one of {sorted(allowed)}")
    for rule in found["fixed"]:
        values = _values(resource, rule["path"])
        codings = [c for v in values if isinstance(v, dict) for c in v.get("coding", [])]
        wanted = (rule["system"], rule["code"])
        if not any((c.get("system"), c.get("code")) == wanted for c in codings):
            out.append(f"{rule['path']}: needs {rule['system']}#{rule['code']}")
    for line in (FSH / f"{profile}.fsh").read_text().splitlines():
        match = re.match(r"^\* (\w+) = #([\w-]+)", line)  # a fixed code: intent = #order
        if match and resource.get(match.group(1)) != match.group(2):
            out.append(f"{match.group(1)}: must be {match.group(2)}")
    for rule in found["from"]:
        known = rule["valueset"] == "SDOHCCValueSetReferralTaskStatus"
        if known and resource.get(rule["path"]) not in referral_task_status():
            out.append(f"{rule['path']}: {resource.get(rule['path'])} not in the value set")
    return out
