"""A referral as an HL7 SDOH Clinical Care ServiceRequest (FHIR R4), the focus of its Task.

Same id as the referral (and its Task). References and codes only: `subject` is the Patient id the
reader may see (app.referrals.client_reference), the counselor is `Practitioner/<user id>` with no
name. `code` is SNOMED CT 3457005 "Patient referral" (a procedure, so in US Core Procedure Codes,
the profile's required binding) with the service's name as text; `performer` names the service
(HealthcareService) and its Organization; `supportingInfo` points to the recorded consent.

Status (request-status) follows the referral: open -> active, completed -> completed, declined /
not enrolled / cancelled -> revoked, entered in error -> entered-in-error.
"""

from __future__ import annotations

from typing import Any

from app.fhir.canonical import REFERRAL_IDENTIFIER, SERVICE_REQUEST_PROFILE
from app.referrals.fhir import fhir_date, instant, reference, requester_organization
from app.referrals.models import Referral
from app.referrals.vocabulary import ReferralStatus

SNOMED = "http://snomed.info/sct"
REFERRAL_CODE = {"system": SNOMED, "code": "3457005", "display": "Patient referral"}

REQUEST_STATUS = {
    ReferralStatus.COMPLETED: "completed",
    ReferralStatus.DECLINED: "revoked",
    ReferralStatus.NOT_ENROLLED: "revoked",
    ReferralStatus.CANCELLED: "revoked",
    ReferralStatus.ENTERED_IN_ERROR: "entered-in-error",
}


def request_status(status: ReferralStatus) -> str:
    return REQUEST_STATUS.get(status, "active")


def to_fhir_service_request(referral: Referral, *, patient_id: str | None = None) -> dict[str, Any]:
    """The SDOHCC ServiceRequest for a referral; `patient_id` as for to_fhir_task."""
    service_name = referral.service.name
    request: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": referral.id,
        "meta": {
            "versionId": str(referral.version),
            "lastUpdated": instant(referral.updated_at),
            "profile": [SERVICE_REQUEST_PROFILE],
        },
        "identifier": [{"system": REFERRAL_IDENTIFIER, "value": referral.id}],
        "status": request_status(referral.status),
        "intent": "order",
        "priority": referral.priority.value,
        "code": {"coding": [dict(REFERRAL_CODE)], "text": f"Referral to {service_name}"},
        "subject": reference("Patient", patient_id or referral.client_id),
        "authoredOn": instant(referral.sent_at),
        "requester": (
            reference("Practitioner", referral.referrer_id)
            if referral.referrer_id
            else requester_organization(referral)
        ),
        "performer": [
            reference("HealthcareService", referral.service_id, service_name),
            reference("Organization", referral.organization_id, referral.organization.name),
        ],
    }
    if referral.needed_by:
        request["occurrencePeriod"] = {"end": fhir_date(referral.needed_by)}
    if referral.location_id:
        request["locationReference"] = [reference("Location", referral.location_id)]
    if referral.consent_id:
        request["supportingInfo"] = [reference("Consent", referral.consent_id)]
    return request
