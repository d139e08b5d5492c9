"""A referral as an HL7 SDOH Clinical Care ServiceRequest (FHIR R4), the focus of its Task.

Same id as the referral (and its Task). References and codes only: `subject` is the Patient the
reader may see, or an identifier-only reference (app.referrals.fhir.patient_reference); the
requester is the counselor's PractitionerRole. `category` is the SDOH category of the need
(app.fhir.sdoh_category), from the referral's need area or else the service's.

`code` is SNOMED CT 3457005 "Patient referral" (a procedure, so in US Core Procedure Codes,
the profile's required binding) with the service's name as text; `performer` names the service
(HealthcareService) and its Organization; `supportingInfo` points to the recorded consent.

Status (request-status) follows the referral: open -> active, completed -> completed, declined /
not enrolled / cancelled -> revoked, entered in error -> entered-in-error.
"""

from __future__ import annotations

from typing import Any

from app.fhir.canonical import REFERRAL_IDENTIFIER, SERVICE_REQUEST_PROFILE
from app.fhir.sdoh_category import categories
from app.referrals.fhir import fhir_date, instant, patient_reference, reference, requester
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


def need_areas(referral: Referral) -> list[str]:
    """The need the referral answers, else the need areas of the service it was sent to."""
    if referral.need_area_code:
        return [referral.need_area_code]
    return [term.code for term in referral.service.need_areas if term.code]


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
        "subject": patient_reference(referral.client_id, patient_id),
        "authoredOn": instant(referral.sent_at),
        "requester": requester(referral),
        "performer": [
            reference("HealthcareService", referral.service_id, service_name),
            reference("Organization", referral.organization_id, referral.organization.name),
        ],
    }
    category = categories(need_areas(referral))
    if category:  # FHIR has no empty arrays: left out when the need is not known
        request["category"] = category
    if referral.needed_by:
        request["occurrencePeriod"] = {"end": fhir_date(referral.needed_by)}
    if referral.location_id:
        request["locationReference"] = [reference("Location", referral.location_id)]
    if referral.consent_id:
        request["supportingInfo"] = [reference("Consent", referral.consent_id)]
    return request
