"""A referral of a person to a service, and its append-only event history."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common import UTCDateTime, enum_type, new_id, utcnow
from app.extensions import db
from app.referrals.vocabulary import Priority, ReferralStatus

if TYPE_CHECKING:
    from app.accounts.models import Facility, User
    from app.directory.models import Location, Organization, Service
    from app.referrals.models.client import Client, Consent


class Referral(db.Model):
    __table_args__ = (Index("ix_referral_org_status", "organization_id", "status"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id"), index=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    location_id: Mapped[str | None] = mapped_column(ForeignKey("location.id"))
    # Copied from the service when sent, so inboxes and measures filter without joins.
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"))
    facility_id: Mapped[str | None] = mapped_column(ForeignKey("facility.id"), index=True)
    referrer_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"), index=True)
    consent_id: Mapped[str | None] = mapped_column(ForeignKey("consent.id"))
    status: Mapped[ReferralStatus] = mapped_column(
        enum_type(ReferralStatus, "referral_status"), default=ReferralStatus.SENT, index=True
    )
    priority: Mapped[Priority] = mapped_column(
        enum_type(Priority, "referral_priority"), default=Priority.ROUTINE
    )
    need_area_code: Mapped[str | None] = mapped_column(String(100), index=True)
    needed_by: Mapped[date | None]
    note_to_provider: Mapped[str | None] = mapped_column(Text)
    eligibility_override_reason: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # answer deadline
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    intake_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    what_to_bring: Mapped[str | None] = mapped_column(Text)
    expected_date: Mapped[date | None]  # waitlist: when a place is expected
    reason_code: Mapped[str | None] = mapped_column(String(40))  # last decline/failure/cancel
    reason_text: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Every status ever reached, as REACHED_BIT bits; set with the status by sending and steps.
    reached: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    # Optimistic lock: two people answering at once cannot both win.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    client: Mapped[Client] = relationship(back_populates="referrals")
    service: Mapped[Service] = relationship()
    location: Mapped[Location | None] = relationship()
    organization: Mapped[Organization] = relationship()
    facility: Mapped[Facility | None] = relationship()
    referrer: Mapped[User | None] = relationship()
    consent: Mapped[Consent | None] = relationship()
    events: Mapped[list[ReferralEvent]] = relationship(
        back_populates="referral", order_by="ReferralEvent.at", cascade="save-update, merge"
    )

    __mapper_args__ = {"version_id_col": version}


class ReferralEvent(db.Model):
    """One step in a referral's life. Written once, never changed or deleted."""

    # "Did this referral ever reach status X?" is the measures' most frequent question.
    __table_args__ = (Index("ix_referral_event_referral_status", "referral_id", "to_status"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    referral_id: Mapped[str] = mapped_column(ForeignKey("referral.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30), index=True)
    reason_code: Mapped[str | None] = mapped_column(String(40))
    reason_text: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    referral: Mapped[Referral] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


@event.listens_for(ReferralEvent, "before_update")
@event.listens_for(ReferralEvent, "before_delete")
def _events_are_immutable(mapper, connection, target) -> None:  # noqa: ANN001
    raise PermissionError("referral events are append-only")
