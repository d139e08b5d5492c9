"""HSDS taxonomy and taxonomy_term, plus our need areas mapped onto Open Eligibility."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common import new_id
from app.extensions import db

NEED_AREA_TAXONOMY = "partners-need-areas"
OPEN_ELIGIBILITY_TAXONOMY = "open-eligibility"

service_taxonomy_term = Table(
    "service_taxonomy_term",
    db.metadata,
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "taxonomy_term_id", ForeignKey("taxonomy_term.id", ondelete="CASCADE"), primary_key=True
    ),
)

# Which Open Eligibility terms each of our need areas stands for.
need_area_mapping = Table(
    "need_area_mapping",
    db.metadata,
    Column("need_area_id", ForeignKey("taxonomy_term.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "taxonomy_term_id", ForeignKey("taxonomy_term.id", ondelete="CASCADE"), primary_key=True
    ),
)


class Taxonomy(db.Model):
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    uri: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[str | None] = mapped_column(String(50))


class TaxonomyTerm(db.Model):
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str | None] = mapped_column(String(100), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_es: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("taxonomy_term.id"))
    taxonomy: Mapped[str | None] = mapped_column(String(100), index=True)
    taxonomy_id: Mapped[str | None] = mapped_column(ForeignKey("taxonomy.id"))
    language: Mapped[str | None] = mapped_column(String(10))
    term_uri: Mapped[str | None] = mapped_column(String(500))
    sort_order: Mapped[int] = mapped_column(default=0)

    parent: Mapped[TaxonomyTerm | None] = relationship(
        remote_side="TaxonomyTerm.id", back_populates="children"
    )
    children: Mapped[list[TaxonomyTerm]] = relationship(
        back_populates="parent", order_by="TaxonomyTerm.sort_order"
    )
    taxonomy_ref: Mapped[Taxonomy | None] = relationship()
    mapped_terms: Mapped[list[TaxonomyTerm]] = relationship(
        secondary=need_area_mapping,
        primaryjoin="TaxonomyTerm.id == need_area_mapping.c.need_area_id",
        secondaryjoin="TaxonomyTerm.id == need_area_mapping.c.taxonomy_term_id",
    )

    @property
    def is_need_area(self) -> bool:
        return self.taxonomy == NEED_AREA_TAXONOMY

    def __str__(self) -> str:
        return self.name
