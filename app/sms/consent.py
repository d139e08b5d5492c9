"""Recording and ending the person's consent to text messages.

Staff record it (with the mobile number the person gave) and revoke it; the person ends it by
texting STOP and starts it again with START. Whichever way it ends, every text still waiting
is cancelled at once and nothing more is queued (app.sms.outbox checks again before sending).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from app.audit.services import record as audit
from app.common import utcnow
from app.extensions import db
from app.permissions import can
from app.referrals.errors import NotAllowed, ReferralValidationError
from app.sms.models import CANCELLED, SmsMessage, TextConsent

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.referrals.models import Client

PHONE_MESSAGE = "Enter a US mobile number with its area code, e.g. 860-555-0123."


def normalize_phone(raw: str | None) -> str | None:
    """A US mobile number as E.164 (+1 and ten digits), or None when it is not one."""
    digits = re.sub(r"\D", "", raw or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01":
        return None
    return "+1" + digits


def current_consent(client: Client) -> TextConsent | None:
    """The person's latest text consent that staff have not revoked (it may be stopped)."""
    return db.session.scalar(
        select(TextConsent)
        .where(TextConsent.client_id == client.id, TextConsent.revoked_at.is_(None))
        .order_by(TextConsent.given_at.desc(), TextConsent.id)
        .limit(1)
    )


def active_consent(client: Client) -> TextConsent | None:
    consent = current_consent(client)
    return consent if consent is not None and consent.is_active else None


def _require(actor: User, client: Client) -> None:
    if not can(actor, "consent.manage", client):
        raise NotAllowed("Only the person's care team can record or end consent to texts.")


def record_text_consent(client: Client, phone: str | None, actor: User) -> TextConsent:
    """The person agreed to texts at this number; an earlier consent is replaced."""
    _require(actor, client)
    number = normalize_phone(phone)
    if number is None:
        raise ReferralValidationError("phone", PHONE_MESSAGE)
    previous = current_consent(client)
    now = utcnow()
    if previous is not None:
        previous.revoked_at, previous.revoked_by_id = now, actor.id
        cancel_pending(previous)
    consent = TextConsent(client_id=client.id, phone=number, given_at=now, recorded_by_id=actor.id)
    db.session.add(consent)
    db.session.flush()
    audit("text_consent.record", consent, actor, client_id=client.id)
    db.session.flush()
    return consent


def revoke_text_consent(client: Client, actor: User) -> TextConsent:
    """No more texts: the waiting ones are cancelled, no new ones are queued."""
    _require(actor, client)
    consent = current_consent(client)
    if consent is None:
        raise ReferralValidationError("consent", "This person has no consent to texts to end.")
    consent.revoked_at, consent.revoked_by_id = utcnow(), actor.id
    cancelled = cancel_pending(consent)
    audit(
        "text_consent.revoke", consent, actor, client_id=client.id, details={"cancelled": cancelled}
    )
    db.session.flush()
    return consent


def cancel_pending(consent: TextConsent) -> int:
    """Cancel every text under this consent that has not gone to the provider yet."""
    result = db.session.execute(
        update(SmsMessage)
        .where(
            SmsMessage.consent_id == consent.id,
            SmsMessage.sent_at.is_(None),
            SmsMessage.failed.is_(False),
        )
        .values(status=CANCELLED, failed=True, status_at=utcnow(), claimed_until=None)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount or 0


def stop_by_number(phone: str, keyword: str) -> list[TextConsent]:
    """The person texted STOP (or Twilio said the number is unsubscribed): every live consent
    for this number stops."""
    consents = list(
        db.session.scalars(
            select(TextConsent).where(
                TextConsent.phone == phone,
                TextConsent.revoked_at.is_(None),
                TextConsent.stopped_at.is_(None),
            )
        )
    )
    for consent in consents:
        consent.stopped_at, consent.stopped_by = utcnow(), keyword[:40]
        cancel_pending(consent)
    db.session.flush()
    return consents


def start_by_number(phone: str) -> list[TextConsent]:
    """START: texts resume under consents the person stopped (never under one staff revoked)."""
    consents = list(
        db.session.scalars(
            select(TextConsent).where(
                TextConsent.phone == phone,
                TextConsent.revoked_at.is_(None),
                TextConsent.stopped_at.is_not(None),
            )
        )
    )
    for consent in consents:
        consent.stopped_at, consent.stopped_by = None, None
    db.session.flush()
    return consents


def consents_for_number(phone: str) -> list[TextConsent]:
    return list(
        db.session.scalars(
            select(TextConsent).where(TextConsent.phone == phone, TextConsent.revoked_at.is_(None))
        )
    )
