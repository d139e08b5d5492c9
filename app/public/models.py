"""Discharge cards, public problem reports and translated service text."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common import UTCDateTime, new_id, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.directory.models import Location, Service
    from app.referrals.models import Client, Referral


class DischargeCard(db.Model):
    """A printable list of resources, readable again by its short code. Safe to lose: the card
    and its public page carry no name, birth date, offense or facility. `client_id` links it to
    the person only inside the app."""

    __tablename__ = "discharge_card"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    client_id: Mapped[str | None] = mapped_column(ForeignKey("client.id"), index=True)
    created_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    language: Mapped[str] = mapped_column(String(5), default="en")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))

    client: Mapped[Client | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    entries: Mapped[list[DischargeCardEntry]] = relationship(
        back_populates="card",
        cascade="all, delete-orphan",
        order_by="DischargeCardEntry.position",
    )


class DischargeCardEntry(db.Model):
    __tablename__ = "discharge_card_entry"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    card_id: Mapped[str] = mapped_column(ForeignKey("discharge_card.id"), index=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"))
    location_id: Mapped[str | None] = mapped_column(ForeignKey("location.id"))
    # The referral that set an intake date/time, if any (only its date is shown).
    referral_id: Mapped[str | None] = mapped_column(ForeignKey("referral.id"))
    position: Mapped[int] = mapped_column(default=0)

    card: Mapped[DischargeCard] = relationship(back_populates="entries")
    service: Mapped[Service] = relationship()
    location: Mapped[Location | None] = relationship()
    referral: Mapped[Referral | None] = relationship()


class ProblemReport(db.Model):
    """ "Report a problem with this listing" from the public pages; admins work the queue."""

    __tablename__ = "problem_report"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # wrong_phone, closed, moved, wrong_hours, other
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    assigned_organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    resolution_note: Mapped[str | None] = mapped_column(Text)

    service: Mapped[Service] = relationship()
    events: Mapped[list[ProblemReportEvent]] = relationship(order_by="ProblemReportEvent.at")


class ServiceTranslation(db.Model):
    """A provider's own wording of a service in another language (shown where given; the
    English field is shown, marked as English, where a translated one is empty). `documents` is
    "what to bring", one item a line, replacing the English list as a whole."""

    __tablename__ = "service_translation"
    __table_args__ = (UniqueConstraint("service_id", "language", name="uq_service_translation"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    language: Mapped[str] = mapped_column(String(5))
    name: Mapped[str | None] = mapped_column(String(250))
    description: Mapped[str | None] = mapped_column(Text)
    application_process: Mapped[str | None] = mapped_column(Text)
    fees_description: Mapped[str | None] = mapped_column(Text)
    eligibility_description: Mapped[str | None] = mapped_column(Text)
    alert: Mapped[str | None] = mapped_column(String(500))
    documents: Mapped[str | None] = mapped_column(Text)


class ProblemReportEvent(db.Model):
    """What happened to a problem report: assigned, resolved, dismissed (kept, never edited)."""

    __tablename__ = "problem_report_event"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    report_id: Mapped[str] = mapped_column(ForeignKey("problem_report.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)

    actor: Mapped[User | None] = relationship()
