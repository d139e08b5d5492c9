"""Structured eligibility: one answer per (service, criterion) on a fixed vocabulary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common import enum_type, new_id
from app.directory.vocabulary import Answer, Criterion
from app.extensions import db

if TYPE_CHECKING:
    from app.directory.models.service import Service


class EligibilityRule(db.Model):
    """A provider's answer to one question of the vocabulary.

    `values` holds the listed genders, towns/counties, supervision statuses or document codes
    for restricting criteria answered "yes"; `min_age`/`max_age` hold the age limit; `strict`
    marks required documents as strictly required.
    """

    __table_args__ = (
        UniqueConstraint("service_id", "criterion", name="uq_rule_service_criterion"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    criterion: Mapped[Criterion] = mapped_column(enum_type(Criterion, "eligibility_criterion"))
    answer: Mapped[Answer] = mapped_column(enum_type(Answer, "eligibility_answer"))
    values: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_age: Mapped[int | None]
    max_age: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)
    # Documents only: the provider cannot take anyone without every listed document. Without it
    # a missing document means "needs documents" (help the person get it), not "not eligible".
    strict: Mapped[bool] = mapped_column(default=False, server_default=false())

    service: Mapped[Service] = relationship(back_populates="eligibility_rules")
