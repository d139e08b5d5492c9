"""The fixed canonical base of every code system and identifier system we define for FHIR.

It is a constant, not the deployment's address, so a code or identifier means the same thing in
every install and does not change when a deployment moves. Change it only together with every
partner that stores our codes (they would see new systems); never per install.
"""

from __future__ import annotations

CANONICAL_BASE = "https://partners.example.org/fhir"

SDOHCC = "http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition"
TASK_PROFILE = f"{SDOHCC}/SDOHCC-TaskForReferralManagement"
SERVICE_REQUEST_PROFILE = f"{SDOHCC}/SDOHCC-ServiceRequest"
CONSENT_PROFILE = f"{SDOHCC}/SDOHCC-Consent"
PRACTITIONER_ROLE_PROFILE = f"{SDOHCC}/SDOHCC-PractitionerRole"

# Identifier systems: the referral (Task and ServiceRequest share it) and the network itself.
REFERRAL_IDENTIFIER = f"{CANONICAL_BASE}/sid/referral"
CONSENT_IDENTIFIER = f"{CANONICAL_BASE}/sid/consent"
ORGANIZATION_IDENTIFIER = f"{CANONICAL_BASE}/sid/organization"
# The person behind a referral when the reader may not see who they are: an opaque value, per
# referral (app.referrals.client_reference), that resolves to nothing.
REFERRAL_CLIENT_IDENTIFIER = f"{CANONICAL_BASE}/sid/referral-client"
CLIENT_IDENTIFIER = f"{CANONICAL_BASE}/sid/client"
STAFF_IDENTIFIER = f"{CANONICAL_BASE}/sid/staff"


def code_system(name: str) -> str:
    """One of our own code systems (referral-status, referral-reason, consent-share...)."""
    return f"{CANONICAL_BASE}/CodeSystem/{name}"


def network_reference() -> dict[str, object]:
    """The referral network itself, where no facility is known: a logical reference."""
    return {
        "type": "Organization",
        "identifier": {"system": ORGANIZATION_IDENTIFIER, "value": "network"},
        "display": "Referral network",
    }
