"""The CapabilityStatement at /fhir/metadata: what this read-only facade serves."""

from __future__ import annotations

from typing import Any

from app.fhir.canonical import (
    CONSENT_PROFILE,
    PRACTITIONER_ROLE_PROFILE,
    SERVICE_REQUEST_PROFILE,
    TASK_PROFILE,
)

SDOHCC_IG = (
    "http://hl7.org/fhir/us/sdoh-clinicalcare/ImplementationGuide/hl7.fhir.us.sdoh-clinicalcare"
)


def _resource(
    kind: str, profile: str | None = None, search: list[dict[str, str]] | None = None
) -> dict:
    entry: dict[str, Any] = {"type": kind}
    if profile:
        entry["supportedProfile"] = [profile]
    entry |= {
        "interaction": [{"code": "read"}] + ([{"code": "search-type"}] if search else []),
    }
    if search:
        entry["searchParam"] = search
    return entry


def _params(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    """searchParam entries, each with _count and paging."""
    found = [{"name": name, "type": kind} for name, kind in pairs]
    return [*found, {"name": "_count", "type": "number"}]


def capability_statement(url: str) -> dict[str, Any]:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-01-01",
        "kind": "instance",
        "software": {"name": "Partners"},
        "implementation": {"description": "Partners referral network FHIR facade", "url": url},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "implementationGuide": [SDOHCC_IG],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/"
                                    "restful-security-service",
                                    "code": "OAuth",
                                }
                            ],
                            "text": "Bearer personal API token (Authorization: Bearer <token>)",
                        }
                    ]
                },
                "resource": [
                    _resource(
                        "Task",
                        TASK_PROFILE,
                        [
                            {"name": "status", "type": "token"},
                            {"name": "owner", "type": "reference"},
                            {"name": "_lastUpdated", "type": "date"},
                            {"name": "_count", "type": "number"},
                        ],
                    ),
                    _resource("ServiceRequest", SERVICE_REQUEST_PROFILE),
                    _resource("Consent", CONSENT_PROFILE),
                    # What those three refer to, so every reference resolves (Patient only
                    # for readers who may see the person).
                    _resource("PractitionerRole", PRACTITIONER_ROLE_PROFILE),
                    _resource("Practitioner"),
                    # The directory: read and search (app.fhir.directory_search).
                    _resource(
                        "Organization", None, _params(("name", "string"), ("active", "token"))
                    ),
                    _resource(
                        "HealthcareService",
                        None,
                        _params(
                            ("name", "string"),
                            ("service-category", "token"),
                            ("organization", "reference"),
                            ("location", "reference"),
                            ("active", "token"),
                        ),
                    ),
                    _resource("Location", None, _params(("address-city", "string"))),
                    _resource("Patient"),
                ],
            }
        ],
    }
