"""HSDS service_capacity + unit, with our status, optimistic-lock version and history."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common import UTCDateTime, enum_type, new_id, utcnow
from app.directory.vocabulary import CapacityStatus
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.directory.models.service import Service


class Unit(db.Model):
    """HSDS unit: beds, program slots, job openings, appointments."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(100))
    scheme: Mapped[str | None] = mapped_column(String(100))
    identifier: Mapped[str | None] = mapped_column(String(100), unique=True)
    uri: Mapped[str | None] = mapped_column(String(500))

    def __str__(self) -> str:
        return self.name


class ServiceCapacity(db.Model):
    """One capacity figure of a service; `updated` is when someone last said it was true."""

    __tablename__ = "service_capacity"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("unit.id"))
    available: Mapped[int | None]
    maximum: Mapped[int | None]
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[CapacityStatus] = mapped_column(
        enum_type(CapacityStatus, "capacity_status"), default=CapacityStatus.HAS_CAPACITY
    )
    waitlist_length: Mapped[int | None]
    expected_wait: Mapped[str | None] = mapped_column(String(100))
    updated: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    # Optimistic lock: SQLAlchemy adds "WHERE version = ?" to every UPDATE of this row.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    service: Mapped[Service] = relationship(back_populates="capacities")
    unit: Mapped[Unit] = relationship()
    updated_by: Mapped[User | None] = relationship()
    history: Mapped[list[CapacityHistory]] = relationship(
        back_populates="capacity",
        cascade="all, delete-orphan",
        order_by="CapacityHistory.changed_at.desc()",
    )

    __mapper_args__ = {"version_id_col": version}


class CapacityHistory(db.Model):
    """Append-only: one row per change or confirmation of a capacity figure."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    capacity_id: Mapped[str] = mapped_column(
        ForeignKey("service_capacity.id", ondelete="CASCADE"), index=True
    )
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    changed_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(20))  # update, mark_full, confirm, create
    old_available: Mapped[int | None]
    new_available: Mapped[int | None]
    old_maximum: Mapped[int | None]
    new_maximum: Mapped[int | None]
    old_status: Mapped[str | None] = mapped_column(String(30))
    new_status: Mapped[str | None] = mapped_column(String(30))

    capacity: Mapped[ServiceCapacity] = relationship(back_populates="history")
    changed_by: Mapped[User | None] = relationship()
