"""Load the Open Eligibility taxonomy, our need areas and capacity units. Idempotent."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select

from app import ROOT
from app.directory.models import (
    NEED_AREA_TAXONOMY,
    OPEN_ELIGIBILITY_TAXONOMY,
    Taxonomy,
    TaxonomyTerm,
    Unit,
)
from app.extensions import db

SEED_DIR = ROOT / "seed"
OE_CSV = SEED_DIR / "openeligibility" / "taxonomy.csv"
NEED_AREAS_CSV = SEED_DIR / "need_areas.csv"

OE_TAXONOMY_ID = "open-eligibility"
NEED_AREA_TAXONOMY_ID = "partners-need-areas"

UNITS = (
    ("bed", "Beds"),
    ("program_slot", "Program slots"),
    ("job_opening", "Job openings"),
    ("appointment", "Appointments"),
)


def oe_term_id(oe_id: str | int) -> str:
    return f"oe-{oe_id}"


def need_area_term_id(code: str) -> str:
    return f"need-{code}"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _upsert(model: type, id_: str, **fields: object) -> object:
    obj = db.session.get(model, id_)
    if obj is None:
        obj = model(id=id_, **fields)
        db.session.add(obj)
    else:
        for key, value in fields.items():
            setattr(obj, key, value)
    return obj


def load_taxonomies() -> dict[str, int]:
    """Create or update the taxonomies, need areas with their mapping, and units (flush only)."""
    _upsert(
        Taxonomy,
        OE_TAXONOMY_ID,
        name="Open Eligibility",
        description="An open taxonomy of human services (CC BY-SA 3.0).",
        uri="https://openeligibility.org",
    )
    _upsert(
        Taxonomy,
        NEED_AREA_TAXONOMY_ID,
        name="Partners need areas",
        description="The top level a re-entry counselor sees, mapped onto Open Eligibility.",
    )
    oe_rows = _read(OE_CSV)
    for order, row in enumerate(oe_rows):
        parent = row["parent_id"]
        _upsert(
            TaxonomyTerm,
            oe_term_id(row["id"]),
            code=row["id"],
            name=row["name"],
            parent_id=oe_term_id(parent) if parent not in ("", "0") else None,
            taxonomy=OPEN_ELIGIBILITY_TAXONOMY,
            taxonomy_id=OE_TAXONOMY_ID,
            language="en",
            sort_order=order,
        )
    db.session.flush()

    need_rows = _read(NEED_AREAS_CSV)
    for order, row in enumerate(need_rows):
        term = _upsert(
            TaxonomyTerm,
            need_area_term_id(row["code"]),
            code=row["code"],
            name=row["name"],
            name_es=row["name_es"],
            description=row["description"],
            parent_id=need_area_term_id(row["parent_code"]) if row["parent_code"] else None,
            taxonomy=NEED_AREA_TAXONOMY,
            taxonomy_id=NEED_AREA_TAXONOMY_ID,
            language="en",
            sort_order=order,
        )
        db.session.flush()
        wanted = [oe_term_id(i) for i in row["open_eligibility_ids"].split(";") if i]
        term.mapped_terms = [db.session.get(TaxonomyTerm, i) for i in wanted]

    for identifier, name in UNITS:
        existing = db.session.scalar(select(Unit).where(Unit.identifier == identifier))
        if existing is None:
            db.session.add(Unit(identifier=identifier, name=name, scheme="partners"))
    db.session.flush()
    return {"open_eligibility_terms": len(oe_rows), "need_areas": len(need_rows)}
