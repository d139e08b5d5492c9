"""The resources a referral's Task, ServiceRequest and Consent point to, so every reference the
facade hands out resolves: Organization (a provider organization or a correctional facility),
HealthcareService, Location, Practitioner and PractitionerRole (the counselor at their facility),
and Patient (only for readers who may see the person; see app/fhir/visibility.py).

Directory resources carry what the public directory shows. People carry the least that
identifies them: staff by name, a client by what the reader is allowed to see.
"""

from __future__ import annotations

from typing import Any

from app.directory.vocabulary import ServiceStatus
from app.fhir.canonical import (
    CLIENT_IDENTIFIER,
    ORGANIZATION_IDENTIFIER,
    PRACTITIONER_ROLE_PROFILE,
    STAFF_IDENTIFIER,
    code_system,
    network_reference,
)
from app.fhir.sdoh_category import DISPLAY, SDOHCC_CATEGORY_SYSTEM, category_code
from app.referrals.fhir import reference

ORGANIZATION_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"


def _clean(resource: dict[str, Any]) -> dict[str, Any]:
    """No empty values: FHIR has no empty strings or arrays."""
    return {k: v for k, v in resource.items() if v not in (None, "", [], {})}


def organization(org: Any) -> dict[str, Any]:
    """A provider organization of the directory (community based: organization-type cg)."""
    telecom = [{"system": "url", "value": org.website}] if org.website else []
    telecom += [{"system": "email", "value": org.email}] if org.email else []
    return _clean({
        "resourceType": "Organization", "id": org.id,
        "identifier": [{"system": ORGANIZATION_IDENTIFIER, "value": org.id}],
        "active": True,
        "type": [{"coding": [{"system": ORGANIZATION_TYPE, "code": "cg",
                              "display": "Community Group"}]}],
        "name": org.name, "alias": [org.alternate_name] if org.alternate_name else [],
        "telecom": telecom,
    })  # fmt: skip


def facility_organization(facility: Any) -> dict[str, Any]:
    """A correctional facility, the organization counselors refer from (organization-type govt)."""
    return _clean({
        "resourceType": "Organization", "id": facility.id,
        "identifier": [{"system": ORGANIZATION_IDENTIFIER, "value": facility.id}],
        "active": True,
        "type": [{"coding": [{"system": ORGANIZATION_TYPE, "code": "govt",
                              "display": "Government"}], "text": facility.kind or "Facility"}],
        "name": facility.name,
        "address": [{"city": facility.town}] if facility.town else [],
    })  # fmt: skip


def _category(term: Any) -> dict[str, Any]:
    """A need area: our code (…/CodeSystem/need-area) and its SDOHCC category, so a search by
    either finds it (service-category)."""
    coding = []
    if term.code:
        sdoh = category_code(term.code)
        coding = [
            {"system": code_system("need-area"), "code": term.code, "display": term.name},
            {"system": SDOHCC_CATEGORY_SYSTEM, "code": sdoh, "display": DISPLAY[sdoh]},
        ]
    return _clean({"coding": coding, "text": term.name})


def healthcare_service(service: Any) -> dict[str, Any]:
    locations = [reference("Location", loc.id) for loc in service.locations if loc is not None]
    return _clean({
        "resourceType": "HealthcareService", "id": service.id,
        "active": service.status == ServiceStatus.ACTIVE,
        "providedBy": reference("Organization", service.organization_id,
                                service.organization.name),
        "category": [_category(term) for term in service.need_areas],
        "name": service.name, "comment": (service.description or "")[:1000] or None,
        "location": locations,
        "telecom": [{"system": "url", "value": service.url}] if service.url else [],
    })  # fmt: skip


def location(loc: Any) -> dict[str, Any]:
    address = next(iter(loc.addresses), None) if hasattr(loc, "addresses") else None
    fhir_address = None
    if address is not None:
        fhir_address = _clean({
            "line": [line for line in (address.address_1, address.address_2) if line],
            "city": address.city, "state": address.state_province,
            "postalCode": address.postal_code, "country": address.country,
        })  # fmt: skip
    position = None
    if loc.latitude is not None and loc.longitude is not None:
        position = {"latitude": loc.latitude, "longitude": loc.longitude}
    return _clean({
        "resourceType": "Location", "id": loc.id, "status": "active",
        "name": loc.name, "description": loc.description,
        "address": fhir_address, "position": position,
        "managingOrganization": (reference("Organization", loc.organization_id)
                                 if loc.organization_id else None),
    })  # fmt: skip


def practitioner(user: Any) -> dict[str, Any]:
    return {
        "resourceType": "Practitioner", "id": user.id,
        "identifier": [{"system": STAFF_IDENTIFIER, "value": user.id}],
        "active": bool(user.active),
        "name": [{"text": user.name}],
    }  # fmt: skip


def practitioner_role(user: Any) -> dict[str, Any]:
    """The SDOHCC PractitionerRole: the counselor (practitioner) at their facility
    (organization; the network's logical reference when they have none)."""
    facility = user.facility
    org = (reference("Organization", facility.id, facility.name) if facility is not None
           else network_reference())  # fmt: skip
    return {
        "resourceType": "PractitionerRole", "id": user.id,
        "meta": {"profile": [PRACTITIONER_ROLE_PROFILE]},
        "identifier": [{"system": STAFF_IDENTIFIER, "value": user.id}],
        "active": bool(user.active),
        "practitioner": reference("Practitioner", user.id, user.name),
        "organization": org,
        "code": [{"text": "Re-entry counselor" if str(user.role) == "counselor"
                  else str(user.role).capitalize()}],
    }  # fmt: skip


def patient(client_id: str, shown: dict[str, Any]) -> dict[str, Any]:
    """A client with only the fields in `shown` (first_name, last_name, date_of_birth,
    preferred_language): all of them for the care team, what the consent shares for providers."""
    name = _clean({"family": shown.get("last_name"),
                   "given": [shown["first_name"]] if shown.get("first_name") else []})  # fmt: skip
    birth = shown.get("date_of_birth")
    language = shown.get("preferred_language")
    return _clean({
        "resourceType": "Patient", "id": client_id,
        "identifier": [{"system": CLIENT_IDENTIFIER, "value": client_id}],
        "name": [name] if name else [],
        "birthDate": birth.isoformat() if birth is not None else None,
        "communication": ([{"language": {"coding": [{"system": "urn:ietf:bcp:47",
                                                     "code": language}]}}]
                          if language else []),
    })  # fmt: skip
