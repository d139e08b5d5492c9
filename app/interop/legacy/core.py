"""Organizations, programs, services (with their eligibility), phones, languages and required
documents: 1.x rows to 3.x rows. Each function returns the 1.x columns it used; the others are
reported as not stored by convert.py."""

from __future__ import annotations

from collections import defaultdict

from app.interop.legacy.common import Out, cell, legacy_id
from app.interop.legacy.files import LegacyFile
from app.interop.legacy.report import FileReport

STATUSES = {"active", "inactive", "defunct", "temporarily closed"}
LANGUAGES = {  # the names 211 exports use most, to ISO 639-1
    "english": "en", "spanish": "es", "español": "es", "french": "fr", "chinese": "zh",
    "mandarin": "zh", "cantonese": "zh", "vietnamese": "vi", "korean": "ko", "arabic": "ar",
    "russian": "ru", "portuguese": "pt", "haitian creole": "ht", "creole": "ht", "tagalog": "tl",
    "polish": "pl", "italian": "it", "german": "de", "somali": "so", "hindi": "hi",
    "american sign language": "ase", "asl": "ase",
}  # fmt: skip
CODES = {code: name.title() for name, code in LANGUAGES.items()}
CODES.update(
    {"es": "Spanish", "zh": "Chinese", "ht": "Haitian Creole", "ase": "American Sign Language"}
)


def organizations(src: LegacyFile, out: Out, report: FileReport) -> set[str]:
    for row_no, row in src.rows:
        report.read += 1
        name, description = cell(row, "name"), cell(row, "description")
        if not description and name:
            description = name
            report.note(row_no, "no description; the name is used as description")
        out.add(src.name, row_no, {
            "id": legacy_id("organization", row.get("id")), "name": name,
            "alternate_name": row.get("alternate_name"), "description": description,
            "email": cell(row, "email"), "website": cell(row, "url"),
            "tax_status": row.get("tax_status"), "tax_id": row.get("tax_id"),
            "year_incorporated": cell(row, "year_incorporated"),
            "legal_status": row.get("legal_status"),
        })  # fmt: skip
        report.converted += 1
    return {"id", "name", "alternate_name", "description", "email", "url", "tax_status",
            "tax_id", "year_incorporated", "legal_status"}  # fmt: skip


def programs(src: LegacyFile, out: Out, report: FileReport) -> set[str]:
    for row_no, row in src.rows:
        report.read += 1
        out.add(src.name, row_no, {
            "id": legacy_id("program", row.get("id")),
            "organization_id": legacy_id("organization", row.get("organization_id")),
            "name": cell(row, "name"), "alternate_name": row.get("alternate_name"),
            "description": cell(row, "description") or cell(row, "name"),
        })  # fmt: skip
        report.converted += 1
    return {"id", "organization_id", "name", "alternate_name", "description"}


def eligibility_texts(src: LegacyFile | None, report: FileReport | None) -> dict[str, list[str]]:
    """service id (3.x) -> the eligibility texts of 1.1's eligibility.csv, in file order.
    2.0's eligibility.csv has no text column (eligibility moved to taxonomy terms, linked in
    other_attributes.csv with link_type "eligibility"): a row with its service is converted into
    that link (`eligibility_services`)."""
    texts: dict[str, list[str]] = defaultdict(list)
    if src is None or report is None:
        return texts
    has_text = "eligibility" in src.header
    for row_no, row in src.rows:
        report.read += 1
        service, text = legacy_id("service", row.get("service_id")), cell(row, "eligibility")
        if not service:
            report.drop(row_no, "no service_id")
        elif not has_text:
            report.converted += 1  # its terms reach the service through other_attributes.csv
        elif not text:
            report.drop(row_no, "no eligibility text")
        else:
            texts[service].append(text)
            report.converted += 1
    return texts


def eligibility_services(src: LegacyFile | None) -> dict[str, str]:
    """An eligibility row's own id -> its service's legacy id (2.0: other_attributes.csv links
    eligibility terms to the eligibility row, which names the service)."""
    if src is None:
        return {}
    return {
        cell(row, "id"): cell(row, "service_id")
        for _n, row in src.rows
        if cell(row, "id") and cell(row, "service_id")
    }


def services(src: LegacyFile, out: Out, report: FileReport,
             eligibility: dict[str, list[str]]) -> set[str]:  # fmt: skip
    for row_no, row in src.rows:
        report.read += 1
        status = cell(row, "status").lower() or "active"
        if status not in STATUSES:
            report.note(row_no, f"status {status!r} is not an HSDS status; read as active")
            status = "active"
        service_id = legacy_id("service", row.get("id"))
        texts = eligibility.get(service_id or "", [])
        out.add(src.name, row_no, {
            "id": service_id,
            "organization_id": legacy_id("organization", row.get("organization_id")),
            "program_id": legacy_id("program", row.get("program_id")),
            "name": cell(row, "name"), "alternate_name": row.get("alternate_name"),
            "description": row.get("description"), "url": cell(row, "url"),
            "email": cell(row, "email"), "status": status,
            "interpretation_services": row.get("interpretation_services"),
            "application_process": row.get("application_process"),
            "wait_time": row.get("wait_time"), "fees_description": row.get("fees"),
            "accreditations": row.get("accreditations"), "licenses": row.get("licenses"),
            "eligibility_description": "\n".join(dict.fromkeys(texts)),
        })  # fmt: skip
        report.converted += 1
    return {"id", "organization_id", "program_id", "name", "alternate_name", "description", "url",
            "email", "status", "interpretation_services", "application_process", "wait_time",
            "fees", "accreditations", "licenses"}  # fmt: skip


def phones(src: LegacyFile, out: Out, report: FileReport) -> set[str]:
    for row_no, row in src.rows:
        report.read += 1
        description = cell(row, "description")
        if cell(row, "contact_id"):
            report.note(row_no, "phone of a contact: contacts are not stored, the link is dropped")
        out.add(src.name, row_no, {
            "id": legacy_id("phone", row.get("id")),
            "location_id": legacy_id("location", row.get("location_id")),
            "service_id": legacy_id("service", row.get("service_id")),
            "organization_id": legacy_id("organization", row.get("organization_id")),
            "service_at_location_id": legacy_id("service_at_location",
                                                row.get("service_at_location_id")),
            "number": cell(row, "number"), "extension": cell(row, "extension"),
            "type": cell(row, "type").lower(), "description": description,
        })  # fmt: skip
        report.converted += 1
    return {"id", "location_id", "service_id", "organization_id", "service_at_location_id",
            "number", "extension", "type", "description", "contact_id"}  # fmt: skip


def language_name_code(text: str) -> tuple[str, str]:
    key = text.strip().lower()
    if key in CODES:
        return CODES[key], key
    return text.strip(), LANGUAGES.get(key, "")


def languages(src: LegacyFile, out: Out, report: FileReport) -> set[str]:
    for row_no, row in src.rows:
        report.read += 1
        text = cell(row, "language")
        if not text:
            report.drop(row_no, "no language")
            continue
        name, code = language_name_code(text)
        if not code:
            report.note(row_no, "language name without a known ISO 639-1 code; name kept")
        out.add(src.name, row_no, {
            "id": legacy_id("language", row.get("id")),
            "service_id": legacy_id("service", row.get("service_id")),
            "location_id": legacy_id("location", row.get("location_id")),
            "name": name, "code": code,
        })  # fmt: skip
        report.converted += 1
    return {"id", "service_id", "location_id", "language"}


def required_documents(src: LegacyFile, out: Out, report: FileReport) -> set[str]:
    for row_no, row in src.rows:
        report.read += 1
        if not cell(row, "document"):
            report.drop(row_no, "no document")
            continue
        out.add(src.name, row_no, {
            "id": legacy_id("required_document", row.get("id")),
            "service_id": legacy_id("service", row.get("service_id")),
            "document": row.get("document"),
        })  # fmt: skip
        report.converted += 1
    return {"id", "service_id", "document"}
