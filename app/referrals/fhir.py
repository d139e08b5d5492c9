"""A referral as an HL7 SDOH Clinical Care TaskForReferralManagement (FHIR R4 Task).

The Task carries references and codes, never the person: `for` is `Patient/<id>` (served by
/fhir/Patient/<id>) for the care team and for providers told who the person is, and an
identifier-only reference with an opaque per-referral value otherwise
(app.referrals.client_reference), so every reference resolves or says it cannot. Our own codes
(the detailed status, reason codes) use code systems under the fixed CANONICAL_BASE
(app.fhir.canonical), the same in every install.

Mapping: focus = the referral's SDOHCC ServiceRequest (same id, app.referrals.fhir_request);
status from the profile's value set (FHIR Task codes less `ready` and `received`: a referral the
provider has opened but not answered stays `requested`); businessStatus = our finer status (e.g.
received, waitlisted); statusReason (with text, as the profile requires) on rejected, cancelled,
on-hold, failed and entered-in-error; requester = the sending counselor's PractitionerRole (the
referring facility's Organization, or the network's logical reference, when no sender is
recorded); owner = the Organization the referral was sent
to; restriction.period.end = needed-by date; output = the outcome once completed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from app.fhir.canonical import (
    REFERRAL_CLIENT_IDENTIFIER,
    REFERRAL_IDENTIFIER,
    TASK_PROFILE,
    code_system,
    network_reference,
)
from app.referrals.models import Referral
from app.referrals.vocabulary import (
    FHIR_STATUS,
    DeclineReason,
    NotEnrolledReason,
    ReferralStatus,
)

TASK_CODE_SYSTEM = "http://hl7.org/fhir/CodeSystem/task-code"
# Task.status codes SDOHCCValueSetReferralTaskStatus leaves out, and what we send instead.
EXCLUDED_TASK_STATUS = {"ready": "requested", "received": "requested"}
# FHIR statuses whose Task carries a statusReason (declined, cancelled, waitlisted, not enrolled,
# entered in error): the profile wants statusReason.text on the first four.
STATUS_REASON_STATUSES = frozenset(
    {"rejected", "cancelled", "on-hold", "failed", "entered-in-error"}
)


def task_status(status: ReferralStatus) -> str:
    """Task.status from SDOHCCValueSetReferralTaskStatus."""
    code = FHIR_STATUS[status]
    return EXCLUDED_TASK_STATUS.get(code, code)


def instant(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat(timespec="seconds").replace("+00:00", "Z")


def fhir_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def reference(kind: str, id_: str, display: str | None = None) -> dict[str, str]:
    ref = {"reference": f"{kind}/{id_}", "type": kind}
    if display:
        ref["display"] = display
    return ref


def patient_reference(client_id: str, patient_id: str | None) -> dict[str, Any]:
    """`Patient/<id>` (which /fhir/Patient/<id> serves) when the reader may see the person;
    else an identifier-only reference holding the opaque per-referral value, which points
    nowhere, so a reader never gets a reference that fails to resolve."""
    if patient_id is None or patient_id == client_id:
        return reference("Patient", client_id)
    return {"type": "Patient",
            "identifier": {"system": REFERRAL_CLIENT_IDENTIFIER, "value": patient_id}}  # fmt: skip


def requester(referral: Referral) -> dict[str, Any]:
    """The counselor who sent it, as a PractitionerRole (the counselor at their facility,
    /fhir/PractitionerRole/<user id>); the referring facility's Organization when no sender is
    recorded."""
    if referral.referrer_id:
        return reference("PractitionerRole", referral.referrer_id)
    return requester_organization(referral)


def requester_organization(referral: Referral) -> dict[str, Any]:
    """The referring facility as an Organization; the network when the facility is unknown."""
    if referral.facility_id and referral.facility is not None:
        return reference("Organization", referral.facility_id, referral.facility.name)
    return network_reference()


def _reason_label(code: str) -> str:
    for codes in (DeclineReason, NotEnrolledReason):
        if code in {c.value for c in codes}:
            return codes(code).label
    return code.replace("_", " ").capitalize()


def _status_reason(referral: Referral) -> dict[str, Any] | None:
    if task_status(referral.status) not in STATUS_REASON_STATUSES:
        return None
    reason: dict[str, Any] = {}
    if referral.reason_code:
        label = _reason_label(referral.reason_code)
        reason["coding"] = [
            {
                "system": code_system("referral-reason"),
                "code": referral.reason_code,
                "display": label,
            }
        ]
    text = (referral.reason_text or "").strip()
    if not text and referral.reason_code:
        text = _reason_label(referral.reason_code)
    reason["text"] = text or referral.status.label
    return reason


def to_fhir_task(referral: Referral, *, patient_id: str | None = None) -> dict[str, Any]:
    """The SDOHCC TaskForReferralManagement for a referral. `patient_id` is what the reader may
    see for the person (see client_reference); the client id when left out."""
    status: ReferralStatus = referral.status
    task: dict[str, Any] = {
        "resourceType": "Task",
        "id": referral.id,
        "meta": {
            "versionId": str(referral.version),
            "lastUpdated": instant(referral.updated_at),
            "profile": [TASK_PROFILE],
        },
        "identifier": [{"system": REFERRAL_IDENTIFIER, "value": referral.id}],
        "status": task_status(status),
        "businessStatus": {
            "coding": [
                {
                    "system": code_system("referral-status"),
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
        "focus": reference("ServiceRequest", referral.id, referral.service.name),
        "for": patient_reference(referral.client_id, patient_id),
        "authoredOn": instant(referral.sent_at),
        "lastModified": instant(referral.updated_at),
        "requester": requester(referral),
        "owner": reference("Organization", referral.organization_id, referral.organization.name),
    }
    if referral.location_id:
        task["location"] = reference("Location", referral.location_id)
    if referral.needed_by:
        task["restriction"] = {"period": {"end": fhir_date(referral.needed_by)}}
    reason = _status_reason(referral)
    if reason is not None:
        task["statusReason"] = reason
    if status == ReferralStatus.COMPLETED and referral.outcome:
        task["output"] = [
            {
                "type": {
                    "coding": [{"system": code_system("referral-output"), "code": "outcome"}],
                    "text": "Outcome",
                },
                "valueString": referral.outcome,
            }
        ]
    return task
