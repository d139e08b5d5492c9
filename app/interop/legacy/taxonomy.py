"""Taxonomy terms and the services they describe.

HSDS 1.1's taxonomy.csv holds *terms* (id, name, parent_id, vocabulary), not 3.x's taxonomies:
each term becomes a 3.x taxonomy_term, and each distinct vocabulary ("AIRS", "Open Eligibility")
a 3.x taxonomy. A term's 1.x id (often a code such as BD-1800.2000) is kept as its code.
HSDS 2.0's taxonomy_terms.csv (term, description, taxonomy) is read the same way.
services_taxonomy.csv (1.1) and service_attributes.csv / other_attributes.csv (2.0) become 3.x
attributes linking a service to a term.
"""

from __future__ import annotations

from app.interop.ids import is_uuid
from app.interop.legacy.common import Out, cell, legacy_id
from app.interop.legacy.files import LegacyFile
from app.interop.legacy.report import FileReport


def terms(src: LegacyFile, out: Out, report: FileReport, vocabularies: Out) -> set[str]:
    seen: set[str] = set()
    for row_no, row in src.rows:
        report.read += 1
        name = cell(row, "name") or cell(row, "term")
        if not name:
            report.drop(row_no, "no name")
            continue
        vocabulary = cell(row, "vocabulary") or cell(row, "taxonomy")
        taxonomy_id = legacy_id("taxonomy", vocabulary.casefold())
        if taxonomy_id and taxonomy_id not in seen:
            seen.add(taxonomy_id)
            vocabularies.add(src.name, row_no, {"id": taxonomy_id, "name": vocabulary,
                                                "description": vocabulary})  # fmt: skip
        legacy = cell(row, "id")
        out.add(src.name, row_no, {
            "id": legacy_id("taxonomy_term", legacy), "code": "" if is_uuid(legacy) else legacy,
            "name": name, "description": cell(row, "description") or name,
            "parent_id": legacy_id("taxonomy_term", row.get("parent_id")),
            "taxonomy": vocabulary, "taxonomy_id": taxonomy_id,
            "language": cell(row, "language"),
        })  # fmt: skip
        report.converted += 1
    return {"id", "name", "term", "description", "parent_id", "parent_name", "vocabulary",
            "taxonomy", "language"}  # fmt: skip


def links(
    src: LegacyFile, out: Out, report: FileReport, eligibility: dict[str, str] | None = None
) -> set[str]:
    """services_taxonomy.csv, service_attributes.csv or other_attributes.csv -> attributes.
    A 2.0 term linked to an eligibility row (`eligibility`: its id -> the service) describes
    who the service is for: it is attached to that service."""
    term_column = "taxonomy_id" if "taxonomy_id" in src.header else "taxonomy_term_id"
    for row_no, row in src.rows:
        report.read += 1
        entity = cell(row, "link_type").lower() or "service"
        service = cell(row, "service_id") or (cell(row, "link_id") if entity == "service" else "")
        if entity == "eligibility":
            service = (eligibility or {}).get(cell(row, "link_id"), "")
            if not service:
                report.drop(row_no, "the eligibility row it names is not in eligibility.csv")
                continue
            report.note(row_no, "eligibility term attached to its service")
        elif entity != "service":
            report.drop(row_no, f"terms of {entity} rows are not stored")
            continue
        if not service or not cell(row, term_column):
            report.drop(row_no, f"service_id or {term_column} is missing")
            continue
        if cell(row, "taxonomy_detail"):
            report.note(row_no, "taxonomy_detail is not stored")
        out.add(src.name, row_no, {
            "id": legacy_id(src.name, row.get("id")), "link_id": legacy_id("service", service),
            "taxonomy_term_id": legacy_id("taxonomy_term", row.get(term_column)),
            "link_type": "", "link_entity": "service",
        })  # fmt: skip
        report.converted += 1
    return {"id", "service_id", "link_id", "link_type", "taxonomy_id", "taxonomy_term_id",
            "taxonomy_detail"}  # fmt: skip
