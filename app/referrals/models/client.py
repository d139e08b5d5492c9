"""A person being helped, their care team, and their recorded consent to share."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common import UTCDateTime, enum_type, new_id, utcnow
from app.extensions import db
from app.referrals.vocabulary import ContactMethod

if TYPE_CHECKING:
    from app.accounts.models import Facility, User
    from app.directory.models import Organization
    from app.referrals.models.referral import Referral


class Client(db.Model):
    """The least personal data that works. Never indexed, logged, e-mailed or shown publicly."""

    __table_args__ = (Index("ix_client_identity", "last_name", "first_name", "date_of_birth"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date]
    inmate_number: Mapped[str | None] = mapped_column(String(50))
    facility_id: Mapped[str | None] = mapped_column(ForeignKey("facility.id"), index=True)
    created_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    projected_release_date: Mapped[date | None] = mapped_column(index=True)
    released_on: Mapped[date | None]
    preferred_language: Mapped[str] = mapped_column(String(10), default="en")
    contact_method: Mapped[ContactMethod] = mapped_column(
        enum_type(ContactMethod, "contact_method"), default=ContactMethod.NONE
    )
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_person: Mapped[str | None] = mapped_column(String(200))  # name and relationship
    # Where the person is going: used for distance and residence rules.
    destination_town: Mapped[str | None] = mapped_column(String(100))
    destination_county: Mapped[str | None] = mapped_column(String(100))
    # Document codes held (app.directory.vocabulary.Document); None = not asked yet.
    documents_held: Mapped[list[str] | None] = mapped_column(JSON)
    # Eligibility answers in the catalog's vocabulary: the names of PROFILE_FLAGS
    # (app.directory.vocabulary), gender and supervision; a missing key means "not known".
    eligibility: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    facility: Mapped[Facility | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    team: Mapped[list[CareTeamMember]] = relationship(
        back_populates="client", cascade="all, delete-orphan"
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="Consent.signed_on.desc()"
    )
    referrals: Mapped[list[Referral]] = relationship(
        back_populates="client", order_by="Referral.created_at.desc()"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class CareTeamMember(db.Model):
    """Who may see this person and their referrals; exactly one is the primary coordinator."""

    __table_args__ = (UniqueConstraint("client_id", "user_id", name="uq_care_team_member"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"), index=True)
    is_coordinator: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str | None] = mapped_column(String(100))  # parole officer, mentor...
    added_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    client: Mapped[Client] = relationship(back_populates="team")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Consent(db.Model):
    """The person's consent to share named data with an organization or a need area's providers."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id"), index=True)
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"))
    need_area_code: Mapped[str | None] = mapped_column(String(100))
    shares: Mapped[list[str]] = mapped_column(JSON, default=list)  # ConsentShare codes
    signed_on: Mapped[date]
    expires_on: Mapped[date]
    recorded_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    revocation_note: Mapped[str | None] = mapped_column(Text)
    # When the team was told this consent is about to expire (told once).
    expiry_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    client: Mapped[Client] = relationship(back_populates="consents")
    organization: Mapped[Organization | None] = relationship()
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])

    def is_active(self, today: date) -> bool:
        return self.revoked_at is None and self.signed_on <= today <= self.expires_on
