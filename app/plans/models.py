"""A person's release plan and its checklist items.

Release dates and the destination stay on the client record (projected_release_date,
released_on, destination_town): the plan reads them, never copies them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.append_only import append_only
from app.common import UTCDateTime, enum_type, new_id, utcnow
from app.extensions import db
from app.plans.vocabulary import ItemKind, ItemStatus, Juncture, PersonAnswer, PlanPhase

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
    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", order_by="PlanVersion.number"
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
    # When the item last became "arranged" (None while it is not): days from plan start to
    # arranged, by kind, is a network measure.
    arranged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    plan: Mapped[ReleasePlan] = relationship(back_populates="items")
    referral: Mapped[Referral | None] = relationship()
    updated_by: Mapped[User | None] = relationship()
    answers: Mapped[list[PlanAnswer]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="PlanAnswer.answered_at"
    )

    __mapper_args__ = {"version_id_col": version}


class PlanVersion(db.Model):
    """A dated copy of the plan kept at a juncture: who reviewed it, the phase and coordinator,
    every item as it stood, and what changed since the previous version. Never rewritten."""

    __table_args__ = (UniqueConstraint("plan_id", "number", name="uq_plan_version_number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    plan_id: Mapped[str] = mapped_column(ForeignKey("release_plan.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, 3 ... within the plan
    juncture: Mapped[Juncture] = mapped_column(enum_type(Juncture, "plan_juncture"))
    phase: Mapped[PlanPhase] = mapped_column(enum_type(PlanPhase, "plan_phase"))
    coordinator_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str | None] = mapped_column(Text)
    # [{"id", "kind", "title", "status", "owner", "due_on", "referral_id"}, ...] as they stood.
    items: Mapped[list[dict]] = mapped_column(JSON, default=list)
    # Plain sentences: "Housing: to do → arranged", "Coordinator: A → B".
    changes: Mapped[list[str]] = mapped_column(JSON, default=list)

    plan: Mapped[ReleasePlan] = relationship(back_populates="versions")
    coordinator: Mapped[User | None] = relationship(foreign_keys=[coordinator_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])


# A version is never rewritten: the ORM and the database refuse UPDATE and DELETE
# (app.append_only; migration b7c1d2e3f4a5 carries the frozen statements).
VERSION_APPEND_ONLY_MESSAGE = "plan versions are append-only"
VERSION_SQLITE_TRIGGERS = append_only(PlanVersion, VERSION_APPEND_ONLY_MESSAGE)


class PlanAnswer(db.Model):
    """The person's own word on an item, from their card page: one per item per local day."""

    __table_args__ = (UniqueConstraint("item_id", "answered_on", name="uq_plan_answer_day"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    item_id: Mapped[str] = mapped_column(ForeignKey("plan_item.id"), index=True)
    answer: Mapped[PersonAnswer] = mapped_column(enum_type(PersonAnswer, "plan_person_answer"))
    answered_on: Mapped[date]  # the network's calendar day
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The card the answer came through (the person has no account).
    card_id: Mapped[str | None] = mapped_column(ForeignKey("discharge_card.id"))

    item: Mapped[PlanItem] = relationship(back_populates="answers")
