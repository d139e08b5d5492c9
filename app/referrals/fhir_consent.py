"""A recorded consent as an HL7 SDOH Clinical Care Consent (FHIR R4).

Codes and dates only, never the person: `patient` is the Patient id the reader may see. The
profile's fixed parts: category v3-ActCode IDSCL, patient, dateTime (when recorded), organization
(the custodian: the client's facility, else the network) and source (the signed form, as an
Attachment with its date). scope is patient-privacy; the rule is an opt-in (v3-ActCode OPTIN).
provision: permit from signed_on to expires_on, to the organization as information recipient
(v3-ParticipationType IRCP) or, for a need-area consent, the need area as a purpose code of ours;
what may be shared as our consent-share codes.

status: active while in force; inactive once revoked or expired; proposed before it starts.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.fhir.canonical import CONSENT_IDENTIFIER, CONSENT_PROFILE, code_system, network_reference
from app.referrals.fhir import fhir_date, instant, patient_reference, reference
from app.referrals.models import Consent
from app.referrals.vocabulary import ConsentShare

ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"


def consent_status(consent: Consent, today: date) -> str:
    if consent.revoked_at is not None or today > consent.expires_on:
        return "inactive"
    if today < consent.signed_on:
        return "proposed"
    return "active"


def _custodian(consent: Consent) -> dict[str, Any]:
    facility = consent.client.facility
    if facility is not None:
        return reference("Organization", facility.id, facility.name)
    return network_reference()


def _share_label(code: str) -> str:
    try:
        return ConsentShare(code).label
    except ValueError:
        return code


def to_fhir_consent(
    consent: Consent, today: date, *, patient_id: str | None = None
) -> dict[str, Any]:
    """The SDOHCC Consent; `today` is the network's calendar day (app.clock.local_today)."""
    provision: dict[str, Any] = {
        "type": "permit",
        "period": {"start": fhir_date(consent.signed_on), "end": fhir_date(consent.expires_on)},
    }
    if consent.organization_id:
        name = consent.organization.name if consent.organization is not None else None
        provision["actor"] = [
            {
                "role": {"coding": [{"system": PARTICIPATION_TYPE, "code": "IRCP"}]},
                "reference": reference("Organization", consent.organization_id, name),
            }
        ]
    if consent.need_area_code:
        provision["purpose"] = [
            {"system": code_system("need-area"), "code": consent.need_area_code}
        ]
    shares = [str(s) for s in consent.shares or []]
    if shares:
        provision["code"] = [
            {
                "coding": [
                    {
                        "system": code_system("consent-share"),
                        "code": share,
                        "display": _share_label(share),
                    }
                ]
            }
            for share in shares
        ]
    return {
        "resourceType": "Consent",
        "id": consent.id,
        "meta": {
            "lastUpdated": instant(consent.revoked_at or consent.recorded_at),
            "profile": [CONSENT_PROFILE],
        },  # fmt: skip
        "identifier": [{"system": CONSENT_IDENTIFIER, "value": consent.id}],
        "status": consent_status(consent, today),
        "scope": {
            "coding": [
                {"system": CONSENT_SCOPE, "code": "patient-privacy", "display": "Privacy Consent"}
            ]
        },
        "category": [
            {
                "coding": [
                    {
                        "system": ACT_CODE,
                        "code": "IDSCL",
                        "display": "information disclosure",
                    }
                ]
            }
        ],
        "patient": patient_reference(consent.client_id, patient_id),
        "dateTime": instant(consent.recorded_at),
        "organization": [_custodian(consent)],
        "sourceAttachment": {
            "title": "Signed consent to share",
            "creation": fhir_date(consent.signed_on),
        },
        "policyRule": {"coding": [{"system": ACT_CODE, "code": "OPTIN", "display": "opt-in"}]},
        "provision": provision,
    }
