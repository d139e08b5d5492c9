"""The person's consent to text messages, and the SMS outbox (one row per text)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common import UTCDateTime, new_id, utcnow
from app.extensions import db
from app.notify.models import Deliverable

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.referrals.models import Client

# Delivery states as the provider reports them, plus our own: pending (not handed over yet)
# and cancelled (consent ended before it went).
PENDING, CANCELLED = "pending", "cancelled"
QUEUED, SENT, DELIVERED, FAILED, UNDELIVERED = (
    "queued",
    "sent",
    "delivered",
    "failed",
    "undelivered",
)
FINAL_STATES = {DELIVERED, FAILED, UNDELIVERED}  # no report after these changes anything
PROVIDER_STATES = {QUEUED, "accepted", "sending", SENT, DELIVERED, FAILED, UNDELIVERED}
STATUS_LABELS = {
    PENDING: "Waiting to send",
    CANCELLED: "Not sent (texts stopped)",
    QUEUED: "Queued",
    "accepted": "Queued",
    "sending": "Sending",
    SENT: "Sent",
    DELIVERED: "Delivered",
    FAILED: "Failed",
    UNDELIVERED: "Not delivered",
}

KIND_LABELS = {
    "card": "Discharge card link",
    "intake": "Intake reminder",
    "referral.accepted": "Referral accepted",
    "referral.waitlisted": "Referral waitlisted",
    "referral.declined": "Referral declined",
    "plan.arranged": "Plan step arranged",
}


class TextConsent(db.Model):
    """The person agreed to get texts at this mobile number, recorded by whom and when.

    Separate from the consent to share (app.referrals.consent): that one lets a provider see
    data; this one lets us write to the person. It ends by staff revocation (`revoked_at`) or
    by the person texting STOP (`stopped_at`, cleared again by START).
    """

    __tablename__ = "text_consent"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id"), index=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)  # E.164, e.g. +18605550123
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stopped_by: Mapped[str | None] = mapped_column(String(40))  # the keyword, or "provider"

    client: Mapped[Client] = relationship()
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.stopped_at is None


class SmsMessage(Deliverable, db.Model):
    """One text, written with its cause and sent later (app.sms.outbox), like OutboxMessage."""

    __tablename__ = "sms_message"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id"), index=True)
    consent_id: Mapped[str] = mapped_column(ForeignKey("text_consent.id"), index=True)
    to_number: Mapped[str] = mapped_column(String(20))
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(50), index=True)
    language: Mapped[str] = mapped_column(String(5), default="en")
    # Set for messages that must go once only (an intake reminder): a second is not queued.
    once_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    queued_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=PENDING)
    status_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error_code: Mapped[str | None] = mapped_column(String(20))
    # When to ask the provider for the delivery status if no final report came (app.sms.poll);
    # pushed forward while a poller holds the row (its lease). NULL: nothing to ask.
    next_poll_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    consent: Mapped[TextConsent] = relationship()

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind.replace("_", " ").capitalize())

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status.capitalize())
