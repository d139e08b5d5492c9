"""A person's release plan and its checklist items.

Release dates and the destination stay on the client record (projected_release_date,
released_on, destination_town): the plan reads them, never copies them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common import UTCDateTime, enum_type, new_id, utcnow
from app.extensions import db
from app.plans.vocabulary import ItemKind, ItemStatus, PlanPhase

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.referrals.models import Client, Referral


class ReleasePlan(db.Model):
    """One per client: the phase, who coordinates it now, and the checklist."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id"), unique=True)
    phase: Mapped[PlanPhase] = mapped_column(
        enum_type(PlanPhase, "plan_phase"), default=PlanPhase.IN_FACILITY
    )
    coordinator_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    # Optimistic lock: SQLAlchemy adds "WHERE version = ?" to every UPDATE of this row.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    client: Mapped[Client] = relationship()
    coordinator: Mapped[User | None] = relationship(foreign_keys=[coordinator_id])
    started_by: Mapped[User | None] = relationship(foreign_keys=[started_by_id])
    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanItem.position"
    )

    __mapper_args__ = {"version_id_col": version}


class PlanItem(db.Model):
    """One thing to arrange before (or after) release."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    plan_id: Mapped[str] = mapped_column(ForeignKey("release_plan.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    kind: Mapped[ItemKind] = mapped_column(enum_type(ItemKind, "plan_item_kind"))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[ItemStatus] = mapped_column(
        enum_type(ItemStatus, "plan_item_status"), default=ItemStatus.TO_DO
    )
    reason: Mapped[str | None] = mapped_column(Text)
    # A team member's user id, or "person" / "provider" (app.plans.vocabulary); None = nobody yet.
    owner: Mapped[str | None] = mapped_column(String(36))
    due_on: Mapped[date | None]
    notes: Mapped[str | None] = mapped_column(Text)
    referral_id: Mapped[str | None] = mapped_column(ForeignKey("referral.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    plan: Mapped[ReleasePlan] = relationship(back_populates="items")
    referral: Mapped[Referral | None] = relationship()
    updated_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
