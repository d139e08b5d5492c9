"""Reading need areas and taxonomy terms."""

from __future__ import annotations

from sqlalchemy import select

from app.directory.models import NEED_AREA_TAXONOMY, TaxonomyTerm
from app.extensions import db


def need_areas() -> list[TaxonomyTerm]:
    """All need areas in display order (top level first, each followed by its children)."""
    return list(
        db.session.scalars(
            select(TaxonomyTerm)
            .where(TaxonomyTerm.taxonomy == NEED_AREA_TAXONOMY)
            .order_by(TaxonomyTerm.sort_order)
        )
    )


def need_area_by_code(code: str) -> TaxonomyTerm | None:
    return db.session.scalar(
        select(TaxonomyTerm).where(
            TaxonomyTerm.taxonomy == NEED_AREA_TAXONOMY, TaxonomyTerm.code == code
        )
    )
