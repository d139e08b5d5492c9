"""A referral as an HL7 FHIR R4 Task, the shape social-care referral exchanges use.

The Task carries references and codes, never the person: `for` is `Patient/<id>` with no name or
birth date, where the id is the client's for the care team and for providers told who the person
is, and an opaque per-referral reference otherwise (app.referrals.client_reference); the
counselor is `Practitioner/<user id>` with no name. Our own codes (the detailed status, reason
codes) use code systems under the deployment's PUBLIC_BASE_URL, since this deployment is the
authority that defines them.

Mapping: status = ReferralStatus.fhir; businessStatus = our status (it is finer than FHIR's: e.g.
waitlisted and on-hold); statusReason only on rejected/cancelled/on-hold/failed; owner = the
Organization the referral was sent to; focus = the HealthcareService asked for; restriction.period
.end = needed-by date; output = the outcome once completed; priority routine | urgent.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from app.referrals.models import Referral
from app.referrals.vocabulary import DeclineReason, NotEnrolledReason, ReferralStatus

TASK_CODE_SYSTEM = "http://hl7.org/fhir/CodeSystem/task-code"
# FHIR statuses whose Task carries a statusReason (declined, cancelled, waitlisted, not enrolled).
STATUS_REASON_STATUSES = frozenset({"rejected", "cancelled", "on-hold", "failed"})


def code_system(base_url: str, name: str) -> str:
    return f"{base_url.rstrip('/')}/fhir/CodeSystem/{name}"


def _instant(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat(timespec="seconds").replace("+00:00", "Z")


def _date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _reason_label(code: str) -> str:
    for codes in (DeclineReason, NotEnrolledReason):
        if code in {c.value for c in codes}:
            return codes(code).label
    return code.replace("_", " ").capitalize()


def _status_reason(referral: Referral, base_url: str) -> dict[str, Any] | None:
    if referral.status.fhir not in STATUS_REASON_STATUSES:
        return None
    reason: dict[str, Any] = {}
    if referral.reason_code:
        label = _reason_label(referral.reason_code)
        reason["coding"] = [
            {
                "system": code_system(base_url, "referral-reason"),
                "code": referral.reason_code,
                "display": label,
            }
        ]
    text = (referral.reason_text or "").strip()
    if not text and referral.reason_code:
        text = _reason_label(referral.reason_code)
    reason["text"] = text or referral.status.label
    return reason


def _reference(kind: str, id_: str, display: str | None = None) -> dict[str, str]:
    ref = {"reference": f"{kind}/{id_}", "type": kind}
    if display:
        ref["display"] = display
    return ref


def to_fhir_task(
    referral: Referral, base_url: str, *, patient_id: str | None = None
) -> dict[str, Any]:
    """The FHIR R4 Task for a referral; `base_url` names this deployment (PUBLIC_BASE_URL).
    `patient_id` is what the reader may see for the person (see client_reference); the client
    id when left out."""
    status: ReferralStatus = referral.status
    task: dict[str, Any] = {
        "resourceType": "Task",
        "id": referral.id,
        "meta": {"versionId": str(referral.version), "lastUpdated": _instant(referral.updated_at)},
        "identifier": [{"system": f"{base_url.rstrip('/')}/api/referrals", "value": referral.id}],
        "status": status.fhir,
        "businessStatus": {
            "coding": [
                {
                    "system": code_system(base_url, "referral-status"),
                    "code": status.value,
                    "display": status.label,
                }
            ],
            "text": status.label,
        },
        "intent": "order",
        "priority": referral.priority.value,
        "code": {
            "coding": [
                {
                    "system": TASK_CODE_SYSTEM,
                    "code": "fulfill",
                    "display": "Fulfill the focal request",
                }
            ],
            "text": "Referral",
        },
        "focus": _reference("HealthcareService", referral.service_id, referral.service.name),
        "for": _reference("Patient", patient_id or referral.client_id),
        "authoredOn": _instant(referral.sent_at),
        "lastModified": _instant(referral.updated_at),
        "owner": _reference("Organization", referral.organization_id, referral.organization.name),
    }
    if referral.referrer_id:
        task["requester"] = _reference("Practitioner", referral.referrer_id)
    if referral.location_id:
        task["location"] = _reference("Location", referral.location_id)
    if referral.needed_by:
        task["restriction"] = {"period": {"end": _date(referral.needed_by)}}
    reason = _status_reason(referral, base_url)
    if reason is not None:
        task["statusReason"] = reason
    if status == ReferralStatus.COMPLETED and referral.outcome:
        task["output"] = [
            {
                "type": {
                    "coding": [
                        {"system": code_system(base_url, "referral-output"), "code": "outcome"}
                    ],
                    "text": "Outcome",
                },
                "valueString": referral.outcome,
            }
        ]
    return task
