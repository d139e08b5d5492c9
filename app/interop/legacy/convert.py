"""A 1.1 / 2.0 datapackage -> the 3.x tables the importer reads, and the import itself.

Every 1.x file is read once; every row is converted, or dropped with its reason, or (for the
tables we do not store) counted. Columns we do not store are counted per file. The importer then
validates and writes everything or nothing; its problems name the 1.x file and row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from app.interop.legacy import core, places, schedules, taxonomy
from app.interop.legacy.common import Out
from app.interop.legacy.detect import Detected
from app.interop.legacy.files import LegacyFile, Package
from app.interop.legacy.report import ConversionReport
from app.interop.report import ERROR, ImportReport, Problem
from app.interop.sources import Source, SourceTable
from app.interop.tables import by_name

NOT_STORED = {
    "contacts.csv": "contacts", "funding.csv": "funding sources",
    "service_areas.csv": "service areas",
    "accessibility_for_disabilities.csv": "accessibility details",
    "payments_accepted.csv": "payments accepted", "metadata.csv": "change metadata",
    "meta_table_descriptions.csv": "table descriptions",
}  # fmt: skip
KNOWN = {
    "organizations.csv", "programs.csv", "services.csv", "locations.csv",
    "physical_addresses.csv", "postal_addresses.csv", "services_at_location.csv", "phones.csv",
    "regular_schedules.csv", "holiday_schedules.csv", "schedules.csv", "languages.csv",
    "required_documents.csv", "eligibility.csv", "taxonomy.csv", "taxonomy_terms.csv",
    "services_taxonomy.csv", "service_attributes.csv", "other_attributes.csv", *NOT_STORED,
}  # fmt: skip
PREFIX = "<legacy:"
LABELS = {
    "organization": "organizations", "program": "programs", "service": "services",
    "location": "locations", "address": "addresses", "phone": "phones",
    "service_at_location": "services at locations", "schedule": "weekly schedules",
    "language": "languages", "required_document": "required documents",
    "taxonomy_term": "taxonomy terms and taxonomies", "attribute": "service taxonomy terms",
}  # fmt: skip
CP1252 = "is not UTF-8; read as Windows-1252 (check accented letters)"


@dataclass
class _Converted:
    source: Source
    origins: dict[str, list[tuple[str, int]]]  # importer file name -> (1.x file, row) by index


class _Run:
    def __init__(self, package: Package, report: ConversionReport) -> None:
        self.package, self.report = package, report
        specs = by_name()
        self.outs = {name: Out(specs[name].field_names) for name in specs}
        self.errors: list[tuple[str, int | None, str]] = []

    def read(self, name: str) -> LegacyFile | None:
        src = self.package.read(name)
        if src is not None:
            for row in src.cp1252_rows:
                self.report.file(name, "").note(row, CP1252)
            for row in src.ragged_rows:
                self.errors.append((name, row, "row has more cells than the header"))
        return src

    def convert(self, name: str, target: str, step: Callable[..., set[str]], *args: object,
                src: LegacyFile | None = None) -> None:  # fmt: skip
        src = src or self.read(name)
        if src is None:
            return
        report = self.report.file(name, LABELS[target])
        report.target = LABELS[target]
        used = step(src, self.outs[target], report, *args)
        for column in src.header:
            if column and column not in used:
                filled = sum(1 for _n, row in src.rows if (row.get(column) or "").strip())
                if filled:
                    report.notes[f"column {column} is not stored (rows with a value)"] = filled


def convert_package(package: Package, detected: Detected) -> tuple[_Converted, ConversionReport,
                                                                   list[tuple]]:  # fmt: skip
    """(3.x rows for the importer, the conversion report, errors as (file, row, message))."""
    report = ConversionReport(detected.version, detected.how, package_notes=list(detected.notes))
    run = _Run(package, report)
    names = package.names()
    eligibility = run.read("eligibility.csv")
    label = (
        "service eligibility text"
        if eligibility is None or "eligibility" in eligibility.header
        else "eligibility rows (their terms: other_attributes.csv)"
    )
    texts = core.eligibility_texts(
        eligibility, report.file("eligibility.csv", label) if eligibility else None
    )
    physical, postal = run.read("physical_addresses.csv"), run.read("postal_addresses.csv")
    run.convert("organizations.csv", "organization", core.organizations)
    run.convert("programs.csv", "program", core.programs)
    run.convert("services.csv", "service", core.services, texts)
    run.convert("locations.csv", "location", places.locations, physical, postal)
    run.convert("physical_addresses.csv", "address", places.addresses, "physical", src=physical)
    run.convert("postal_addresses.csv", "address", places.addresses, "postal", src=postal)
    run.convert("services_at_location.csv", "service_at_location", places.services_at_location)
    run.convert("phones.csv", "phone", core.phones)
    run.convert("regular_schedules.csv", "schedule", schedules.regular_schedules)
    run.convert("schedules.csv", "schedule", schedules.schedules)
    run.convert("languages.csv", "language", core.languages)
    run.convert("required_documents.csv", "required_document", core.required_documents)
    for name in ("taxonomy.csv", "taxonomy_terms.csv"):
        run.convert(name, "taxonomy_term", taxonomy.terms, run.outs["taxonomy"])
    eligible = core.eligibility_services(eligibility)
    for name in ("services_taxonomy.csv", "service_attributes.csv", "other_attributes.csv"):
        run.convert(name, "attribute", taxonomy.links, eligible)
    holidays = run.read("holiday_schedules.csv")
    if holidays is not None:
        schedules.holiday_schedules(holidays, report.file(holidays.name, "not stored"))
    for name, what in NOT_STORED.items():
        src = run.read(name) if name in names else None
        if src is not None:
            file = report.file(name, "not stored")
            file.read = len(src.rows)
            if src.rows:
                file.dropped[f"Partners does not store {what}"] = len(src.rows)
                file.examples[f"Partners does not store {what}"] = [n for n, _r in src.rows[:5]]
    for name in sorted(names - KNOWN):
        report.package_notes.append(f"{name} is not an HSDS 1.1 or 2.0 file; not read")
    origins = {f"{PREFIX}{n}>": o.origins for n, o in run.outs.items()}
    return _Converted(_source(run.outs), origins), report, run.errors


def _source(outs: dict[str, Out]) -> Source:
    source = Source()
    for name, out in outs.items():
        if out.rows:
            source.tables[name] = SourceTable(f"{PREFIX}{name}>", list(out.fields), _reader(out))
    return source


def _reader(out: Out) -> Callable[[], Iterator[tuple[int | str, dict[str, str]]]]:
    return lambda: iter(enumerate(out.rows))


def import_package(
    package: Package, detected: Detected, *, strict: bool = False, **options: Any
) -> ImportReport:
    """Convert, then import everything or nothing (flushes only; the caller commits)."""
    from app.interop.csv_import import import_source  # noqa: PLC0415

    converted, conversion, errors = convert_package(package, detected)
    if errors or (strict and conversion.dropped):
        report = ImportReport()
        for file, row, message in errors:
            report.add(ERROR, file, row, None, message)
        if strict and conversion.dropped:
            report.add(ERROR, "(input)", None, None, f"{conversion.dropped} rows would be "
                       "dropped in conversion (--strict)")  # fmt: skip
    else:
        report = import_source(converted.source, strict=strict, **options)
    report.problems = [_where(p, converted.origins) for p in report.problems]
    report.version, report.conversion = detected.version, conversion
    return report


def _where(problem: Problem, origins: dict[str, list[tuple[str, int]]]) -> Problem:
    """The 1.x file and row of a problem the importer found in a converted row."""
    table = origins.get(problem.file)
    if table is None:
        return problem
    if isinstance(problem.row, int) and 0 <= problem.row < len(table):
        file, row = table[problem.row]
        return replace(problem, file=file, row=row)
    return replace(problem, file=table[0][0] if table else problem.file, row=None)
