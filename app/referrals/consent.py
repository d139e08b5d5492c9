"""Consent to share: recorded before a referral carries personal data, checked on every view.

After revocation or expiry the provider sees nothing about the person (the referral itself
stays, de-identified) and no new referral can be sent under that consent.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from app.audit.services import record as audit
from app.common import utcnow
from app.directory.models import Organization
from app.directory.taxonomy import need_area_by_code
from app.extensions import db
from app.permissions import can
from app.plausible import DateKind, first_problem
from app.referrals.data import ConsentData
from app.referrals.errors import NotAllowed, ReferralValidationError
from app.referrals.models import Client, Consent
from app.referrals.vocabulary import ConsentShare

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.directory.models import Service
    from app.referrals.models import Referral

# What each share shows the provider (keys of provider_view_of_client).
SHARED_FIELDS: dict[ConsentShare, tuple[str, ...]] = {
    ConsentShare.IDENTITY: ("first_name", "last_name", "date_of_birth"),
    ConsentShare.CONTACT: (
        "preferred_language",
        "contact_method",
        "contact_phone",
        "contact_email",
        "contact_person",
    ),
    ConsentShare.ELIGIBILITY: ("age", "destination_town", "destination_county", "eligibility"),
    ConsentShare.DOCUMENTS: ("documents_held",),
    ConsentShare.NOTE: ("note_to_provider",),
}


def _require(actor: User, client: Client) -> None:
    if not can(actor, "consent.manage", client):
        raise NotAllowed("Only the person's care team can record or revoke consent.")


def record_consent(client: Client, data: ConsentData, actor: User) -> Consent:
    """Record what the person agreed to share, with whom, from when until when."""
    _require(actor, client)
    organization_id = (data.organization_id or "").strip() or None
    need_area_code = (data.need_area_code or "").strip() or None
    if bool(organization_id) == bool(need_area_code):
        raise ReferralValidationError(
            "organization_id", "Choose one organization or one need area the consent covers."
        )
    if organization_id and db.session.get(Organization, organization_id) is None:
        raise ReferralValidationError("organization_id", "Choose an organization from the list.")
    if need_area_code and need_area_by_code(need_area_code) is None:
        raise ReferralValidationError("need_area_code", "Choose a need area from the list.")
    known = {s.value for s in ConsentShare}
    shares = [s for s in known if s in set(data.shares or ())]
    if not shares or len(shares) != len(set(data.shares)):
        raise ReferralValidationError("shares", "Choose what the person agreed to share.")
    if not isinstance(data.signed_on, date):
        raise ReferralValidationError("signed_on", "Enter the date the consent was signed.")
    if not isinstance(data.expires_on, date):
        raise ReferralValidationError("expires_on", "Enter the date the consent ends.")
    if data.expires_on < data.signed_on:
        raise ReferralValidationError("expires_on", "The consent cannot end before it is signed.")
    problem = first_problem(
        ("signed_on", DateKind.CONSENT_SIGNED, data.signed_on),
        ("expires_on", DateKind.CONSENT_EXPIRES, data.expires_on),
    )
    if problem:
        raise ReferralValidationError(*problem)
    consent = Consent(
        client=client,
        organization_id=organization_id,
        need_area_code=need_area_code,
        shares=sorted(shares, key=[s.value for s in ConsentShare].index),
        signed_on=data.signed_on,
        expires_on=data.expires_on,
        recorded_by_id=actor.id,
        recorded_at=utcnow(),
    )
    db.session.add(consent)
    db.session.flush()
    audit(
        "consent.record",
        consent,
        actor,
        client_id=client.id,
        details={
            "organization_id": organization_id,
            "need_area_code": need_area_code,
            "shares": consent.shares,
        },
    )
    db.session.flush()
    return consent


def revoke_consent(consent: Consent, actor: User, note: str | None = None) -> Consent:
    """From now on nothing is shared under this consent (existing referrals are de-identified)."""
    _require(actor, consent.client)
    if consent.revoked_at is not None:
        raise ReferralValidationError("consent", "This consent was already revoked.")
    consent.revoked_at = utcnow()
    consent.revoked_by_id = actor.id
    consent.revocation_note = (note or "").strip() or None
    audit("consent.revoke", consent, actor, client_id=consent.client_id)
    db.session.flush()
    return consent


def _need_area_codes(service: Service) -> set[str]:
    return {term.code for term in service.need_areas if term.code}


def consent_covers(consent: Consent, service: Service) -> bool:
    """Organization match, or a need area the service is in (a parent area covers its children)."""
    if consent.organization_id:
        return consent.organization_id == service.organization_id
    code = consent.need_area_code or ""
    return any(c == code or c.startswith(code + ".") for c in _need_area_codes(service))


def active_consent_for(client: Client, service: Service, today: date) -> Consent | None:
    """The consent that lets this person's details go to this service today, if any.

    An organization consent is preferred over a need-area one; then the most recently signed.
    """
    usable = [c for c in client.consents if c.is_active(today) and consent_covers(c, service)]
    usable.sort(key=lambda c: (c.organization_id is None, -c.signed_on.toordinal()))
    return usable[0] if usable else None


def consent_state(referral: Referral, today: date) -> str:
    """'active', 'revoked', 'expired', 'not_started' or 'none' — for the 'details withheld' line."""
    consent = referral.consent
    if consent is None:
        return "none"
    if consent.revoked_at is not None:
        return "revoked"
    if today > consent.expires_on:
        return "expired"
    if today < consent.signed_on:
        return "not_started"
    return "active"


def provider_view_of_client(referral: Referral, today: date) -> dict[str, Any]:
    """Only what the referral's consent lets the provider see today; {} once it has lapsed."""
    from app.referrals.clients import client_profile

    if consent_state(referral, today) != "active":
        return {}
    client = referral.client
    values: dict[str, Any] = {
        "first_name": client.first_name,
        "last_name": client.last_name,
        "date_of_birth": client.date_of_birth,
        "preferred_language": client.preferred_language,
        "contact_method": client.contact_method,
        "contact_phone": client.contact_phone,
        "contact_email": client.contact_email,
        "contact_person": client.contact_person,
        "age": client_profile(client, today).age,
        "destination_town": client.destination_town,
        "destination_county": client.destination_county,
        "eligibility": dict(client.eligibility or {}),
        "documents_held": (
            list(client.documents_held) if client.documents_held is not None else None
        ),
        "note_to_provider": referral.note_to_provider,
    }
    view: dict[str, Any] = {}
    for share in referral.consent.shares:
        for name in SHARED_FIELDS.get(ConsentShare(share), ()):
            view[name] = values[name]
    return view
