"""HSDS service with its languages and required documents."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common import UTCDateTime, enum_type, new_id, utcnow
from app.directory.models.taxonomy import NEED_AREA_TAXONOMY, service_taxonomy_term
from app.directory.vocabulary import ServiceStatus
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.directory.models.capacity import ServiceCapacity
    from app.directory.models.eligibility import EligibilityRule
    from app.directory.models.location import Phone, Schedule, ServiceAtLocation
    from app.directory.models.organization import Organization, Program
    from app.directory.models.site_visit import SiteVisit
    from app.directory.models.taxonomy import TaxonomyTerm
    from app.public.models import ServiceTranslation


class Service(db.Model):
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    program_id: Mapped[str | None] = mapped_column(ForeignKey("program.id"))
    name: Mapped[str] = mapped_column(String(250), index=True)
    alternate_name: Mapped[str | None] = mapped_column(String(250))
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[ServiceStatus] = mapped_column(
        enum_type(ServiceStatus, "service_status"), default=ServiceStatus.ACTIVE, index=True
    )
    interpretation_services: Mapped[str | None] = mapped_column(Text)
    application_process: Mapped[str | None] = mapped_column(Text)
    fees_description: Mapped[str | None] = mapped_column(Text)
    wait_time: Mapped[str | None] = mapped_column(String(250))
    fees: Mapped[str | None] = mapped_column(String(250))
    accreditations: Mapped[str | None] = mapped_column(Text)
    licenses: Mapped[str | None] = mapped_column(Text)
    # Free text for what the structured eligibility rules cannot say.
    eligibility_description: Mapped[str | None] = mapped_column(Text)
    minimum_age: Mapped[int | None]
    maximum_age: Mapped[int | None]
    alert: Mapped[str | None] = mapped_column(String(500))
    # Accepting a referral takes one bed/slot off this service's capacity when set.
    capacity_decrements_on_accept: Mapped[bool] = mapped_column(
        default=False, server_default=false()
    )
    # Verification ("checked, still accurate"), separate from updated_at. HSDS assured_date and
    # assurer_email are derived from these on export.
    last_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    verified_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship(back_populates="services")
    program: Mapped[Program | None] = relationship()
    verified_by: Mapped[User | None] = relationship()
    taxonomy_terms: Mapped[list[TaxonomyTerm]] = relationship(
        secondary=service_taxonomy_term, order_by="TaxonomyTerm.name"
    )
    service_at_locations: Mapped[list[ServiceAtLocation]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )
    phones: Mapped[list[Phone]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )
    schedules: Mapped[list[Schedule]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )
    languages: Mapped[list[Language]] = relationship(
        back_populates="service", cascade="all, delete-orphan", order_by="Language.name"
    )
    required_documents: Mapped[list[RequiredDocument]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )
    capacities: Mapped[list[ServiceCapacity]] = relationship(
        back_populates="service", cascade="all, delete-orphan", order_by="ServiceCapacity.id"
    )
    eligibility_rules: Mapped[list[EligibilityRule]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )
    site_visits: Mapped[list[SiteVisit]] = relationship(
        back_populates="service", order_by="SiteVisit.visited_on.desc()"
    )
    # The provider's own wording in other languages (entered on the service form).
    translations: Mapped[list[ServiceTranslation]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceTranslation.language"
    )

    @property
    def need_areas(self) -> list[TaxonomyTerm]:
        return [t for t in self.taxonomy_terms if t.taxonomy == NEED_AREA_TAXONOMY]

    @property
    def locations(self):  # noqa: ANN201
        return [sal.location for sal in self.service_at_locations]

    def __str__(self) -> str:
        return self.name


class Language(db.Model):
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str | None] = mapped_column(ForeignKey("service.id"), index=True)
    location_id: Mapped[str | None] = mapped_column(ForeignKey("location.id"), index=True)
    phone_id: Mapped[str | None] = mapped_column(ForeignKey("phone.id"))
    name: Mapped[str] = mapped_column(String(100))
    code: Mapped[str | None] = mapped_column(String(10), index=True)  # ISO 639-1
    note: Mapped[str | None] = mapped_column(String(250))

    service: Mapped[Service | None] = relationship(back_populates="languages")


class RequiredDocument(db.Model):
    """What to bring, in the provider's words (the coded list lives in eligibility)."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    document: Mapped[str] = mapped_column(Text)
    uri: Mapped[str | None] = mapped_column(String(500))

    service: Mapped[Service] = relationship(back_populates="required_documents")
