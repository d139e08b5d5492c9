"""HSDS organization and program."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import organization_membership
from app.common import UTCDateTime, new_id, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.directory.models.location import Location, Phone
    from app.directory.models.service import Service


class Organization(db.Model):
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(250), index=True)
    alternate_name: Mapped[str | None] = mapped_column(String(250))
    description: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(500))
    tax_status: Mapped[str | None] = mapped_column(String(100))
    tax_id: Mapped[str | None] = mapped_column(String(50))
    year_incorporated: Mapped[int | None]
    legal_status: Mapped[str | None] = mapped_column(String(100))
    uri: Mapped[str | None] = mapped_column(String(500))
    # Demo and synthetic organizations are flagged so every page can label them as sample data.
    is_sample: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    services: Mapped[list[Service]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", order_by="Service.name"
    )
    locations: Mapped[list[Location]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", order_by="Location.name"
    )
    programs: Mapped[list[Program]] = relationship(
        back_populates="organization", cascade="all, delete-orphan"
    )
    # Organization-level phones (main line); service and location phones hang off those.
    phones: Mapped[list[Phone]] = relationship(
        back_populates="organization", cascade="all, delete-orphan"
    )
    members: Mapped[list[User]] = relationship(
        secondary=organization_membership, back_populates="organizations"
    )

    def __str__(self) -> str:
        return self.name


class Program(db.Model):
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(250))
    alternate_name: Mapped[str | None] = mapped_column(String(250))
    description: Mapped[str] = mapped_column(Text, default="")

    organization: Mapped[Organization] = relationship(back_populates="programs")
