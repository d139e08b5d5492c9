"""The dashboard's tables as files: one CSV per table, or all of them in one ZIP.

Each CSV is a plain table (a header row, then one row per line of the table on the page), so it
opens as one sheet; what the period, the filters and the "not shown" cells mean is in the ZIP's
README.txt and on the page. The cells are the protected ones the page shows (app.reports.
dashboard), written with app.safe_csv so no cell runs as a formula.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

from app import safe_csv
from app.reports.measures import Filters
from app.reports.sections import Section
from app.reports.suppression import SUPPRESSED_NOTE


def table_csv(section: Section) -> str:
    out = io.StringIO()
    writer = safe_csv.writer(out)
    writer.writerow(section.headers)
    writer.writerows(section.rows)
    return out.getvalue()


def find_table(sections: list[Section], slug: str) -> Section | None:
    return next((s for s in sections if s.slug == slug), None)


def file_stem(filters: Filters) -> str:
    return f"partners-measures-{filters.start}-{filters.end}"


def table_file_name(section: Section, filters: Filters) -> str:
    return f"{file_stem(filters)}-{section.slug}.csv"


def _readme(
    sections: list[Section], filters: Filters, names: list[str], chosen: list[tuple[str, str]]
) -> str:
    lines = [
        "Partners network measures",
        f"Referrals sent, and people released, from {filters.start} to {filters.end}.",
    ]
    lines += [f"{label}: {value}" for label, value in chosen]
    lines += ["", f"To protect people: {SUPPRESSED_NOTE}", "", "Files:"]
    for section, name in zip(sections, names, strict=True):
        lines.append(f"- {name}: {section.title}")
        if section.note:
            lines.append(f"  {section.note}")
    return "\n".join(lines) + "\n"


def _entry(name: str, day: date) -> zipfile.ZipInfo:
    """A fixed time stamp (the period's last day), so the same figures give the same file."""
    info = zipfile.ZipInfo(name, date_time=(max(day.year, 1980), day.month, day.day, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def tables_zip(
    sections: list[Section], filters: Filters, chosen: list[tuple[str, str]] | None = None
) -> bytes:
    """README.txt and one CSV per table, numbered in the page's order; `chosen` is the filters
    in words (label, what was chosen)."""
    names = [f"{n:02d}-{s.slug}.csv" for n, s in enumerate(sections, start=1)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        readme = _readme(sections, filters, names, chosen or [])
        archive.writestr(_entry("README.txt", filters.end), readme)
        for section, name in zip(sections, names, strict=True):
            archive.writestr(_entry(name, filters.end), table_csv(section))
    return buffer.getvalue()
