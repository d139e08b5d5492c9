"""Sending a referral: the warnings a counselor sees first, and the send itself."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from app.audit.services import record as audit
from app.clock import local_today
from app.common import utcnow
from app.conditions.checks import service_warnings
from app.directory.capacity import service_has_room
from app.directory.eligibility import Status, match
from app.directory.models import Service
from app.directory.taxonomy import need_area_by_code
from app.directory.vocabulary import ServiceStatus
from app.extensions import db
from app.permissions import can
from app.plausible import DateKind, first_problem
from app.referrals import notifications
from app.referrals.clients import client_profile
from app.referrals.consent import active_consent_for
from app.referrals.data import ReferralData, Warning
from app.referrals.deadlines import response_due
from app.referrals.errors import ConsentRequired, NotAllowed, ReferralValidationError
from app.referrals.models import Client, Referral, ReferralEvent
from app.referrals.vocabulary import REACHED_BIT, Priority, ReferralStatus

if TYPE_CHECKING:
    from app.accounts.models import User

NOTE_MAX = 2000


def referral_warnings(
    client: Client, service: Service, today: date | None = None, location_id: str | None = None
) -> list[Warning]:
    """What the counselor should see before sending this person to this service (at this
    location, when one is chosen: the supervision area is checked where the person would go)."""
    today = today or local_today()
    warnings = []
    verdict = match(client_profile(client, today), service)
    if verdict.status == Status.NOT_ELIGIBLE:
        reasons = tuple(message for _, message in verdict.reasons)
        warnings.append(
            Warning(
                "not_eligible",
                "This service's rules say the person is not eligible: " + "; ".join(reasons),
                reasons,
            )
        )
    elif verdict.status == Status.UNKNOWN:
        questions = tuple(message for _, message in verdict.questions)
        warnings.append(
            Warning(
                "unknown_eligibility", "Check eligibility first: " + "; ".join(questions), questions
            )
        )
    if verdict.needs_line:
        warnings.append(
            Warning(
                "needs_documents",
                f"{verdict.needs_line}. The person can still be referred; help them get "
                "it before intake.",
            )
        )
    warnings.extend(
        Warning(w.code, w.message) for w in service_warnings(client, service, location_id)
    )
    if not service_has_room(service):
        message = (
            "No recent figure says this service has room; call before you send."
            if service.capacities
            else "This service lists no capacity figure; call to check there is room."
        )
        warnings.append(Warning("no_fresh_capacity", message))
    if active_consent_for(client, service, today) is None:
        warnings.append(
            Warning(
                "no_consent",
                "No active consent covers sharing this person's details with this provider.",
            )
        )
    return warnings


def _load_service(data: ReferralData) -> Service:
    service = db.session.get(Service, data.service_id) if data.service_id else None
    if service is None:
        raise ReferralValidationError("service_id", "Choose a service.")
    if service.status != ServiceStatus.ACTIVE:
        raise ReferralValidationError("service_id", "This service is not taking referrals now.")
    return service


def _location_id(service: Service, location_id: str | None) -> str | None:
    if not location_id:
        return None
    if location_id not in {loc.id for loc in service.locations}:
        raise ReferralValidationError("location_id", "Choose one of this service's locations.")
    return location_id


def _need_area_code(service: Service, code: str | None) -> str | None:
    code = (code or "").strip() or None
    if code is None:
        codes = sorted((t.code for t in service.need_areas if t.code), key=len, reverse=True)
        return codes[0] if codes else None
    if need_area_by_code(code) is None:
        raise ReferralValidationError("need_area_code", "Choose a need area from the list.")
    return code


def send_referral(
    client: Client,
    data: ReferralData,
    actor: User,
    *,
    today: date | None = None,
    now: datetime | None = None,
) -> Referral:
    """Send a referral under an active consent; tells the provider without personal data."""
    now = now or utcnow()
    today = today or local_today(now)
    if not can(actor, "referral.create", client):
        raise NotAllowed("Only the person's care team can send a referral.")
    service = _load_service(data)
    try:
        priority = Priority(data.priority or Priority.ROUTINE)
    except ValueError:
        raise ReferralValidationError("priority", "Choose routine or urgent.") from None
    note = (data.note_to_provider or "").strip() or None
    if note and len(note) > NOTE_MAX:
        raise ReferralValidationError("note_to_provider", f"Use at most {NOTE_MAX} characters.")
    location_id = _location_id(service, data.location_id)
    need_area_code = _need_area_code(service, data.need_area_code)
    consent = active_consent_for(client, service, today)
    if consent is None:
        raise ConsentRequired(
            "Record the person's consent to share with this provider (or its need area) "
            "before sending a referral."
        )
    override = (data.eligibility_override_reason or "").strip() or None
    verdict = match(client_profile(client, today), service)
    if verdict.status == Status.NOT_ELIGIBLE and not override:
        reasons = "; ".join(message for _, message in verdict.reasons)
        raise ReferralValidationError(
            "eligibility_override_reason",
            f"The service's rules say the person is not eligible ({reasons}). "
            "Say why you are sending the referral anyway.",
        )
    if not data.acknowledge_no_capacity and not service_has_room(service, now=now):
        raise ReferralValidationError(
            "acknowledge_no_capacity",
            "No recent figure says this service has room. Confirm you want to send anyway.",
        )
    problem = first_problem(("needed_by", DateKind.NEEDED_BY, data.needed_by))
    if problem:
        raise ReferralValidationError(*problem)
    referral = Referral(
        client=client,
        service=service,
        location_id=location_id,
        organization_id=service.organization_id,
        facility_id=client.facility_id,
        referrer_id=actor.id,
        consent=consent,
        status=ReferralStatus.SENT,
        reached=REACHED_BIT[ReferralStatus.SENT],
        priority=priority,
        need_area_code=need_area_code,
        needed_by=data.needed_by or client.projected_release_date,
        note_to_provider=note,
        eligibility_override_reason=override if verdict.status == Status.NOT_ELIGIBLE else None,
        sent_at=now,
        due_at=response_due(now),
        created_at=now,
        updated_at=now,
    )
    db.session.add(referral)
    referral.events.append(
        ReferralEvent(
            at=now,
            actor_id=actor.id,
            action="send",
            from_status=None,
            to_status=ReferralStatus.SENT.value,
            details={"priority": priority.value},
        )
    )
    db.session.flush()
    notifications.new_referral(referral)
    audit(
        "referral.create",
        referral,
        actor,
        client_id=client.id,
        at=now,
        details={
            "service_id": service.id,
            "priority": priority.value,
            "consent_id": consent.id,
            "eligibility_override": bool(referral.eligibility_override_reason),
        },
    )
    db.session.flush()
    return referral
