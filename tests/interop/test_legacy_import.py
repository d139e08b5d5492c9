"""HSDS 1.1 / 2.0 in: version detection, conversion of each kind, the report grouped by file,
schedules kept exactly or dropped, odd encodings, all-or-nothing, idempotent re-import."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from sqlalchemy import func, select

from app.directory.models import (
    Address,
    Language,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    Taxonomy,
    TaxonomyTerm,
)
from app.extensions import db
from app.interop.csv_import import import_path
from app.interop.legacy.common import legacy_id
from app.interop.legacy.detect import detect
from app.interop.legacy.files import open_package, parse
from app.interop.legacy.schedules import parse_time
from tests.interop.hsds_helpers import EXAMPLE

FIXTURES = Path(__file__).resolve().parent / "fixtures"
V11, V20 = FIXTURES / "hsds11", FIXTURES / "hsds20"


def sid(kind: str, legacy: str) -> str:
    return legacy_id(kind, legacy)  # type: ignore[return-value]


def count(model) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count()).select_from(model))


# --- detection ----------------------------------------------------------------------------------


def test_detects_11_from_file_names_20_from_datapackage_and_3x() -> None:
    v11 = detect(open_package(V11))  # type: ignore[arg-type]
    assert (v11.version, v11.legacy) == ("1.1", True)
    assert "taxonomy.csv" in v11.how
    v20 = detect(open_package(V20))  # type: ignore[arg-type]
    assert (v20.version, v20.legacy, v20.how) == ("2.0", True, "datapackage.json version")
    v3 = detect(open_package(EXAMPLE))  # type: ignore[arg-type]
    assert v3.version.startswith("3") and not v3.legacy


def test_detects_20_from_columns_when_nothing_else_says(tmp_path: Path) -> None:
    (tmp_path / "organizations.csv").write_text("id,name,description,url\n1,A,B,\n")
    found = detect(open_package(tmp_path))  # type: ignore[arg-type]
    assert (found.version, found.legacy) == ("2.0", True)
    (tmp_path / "organizations.csv").write_text("id,name,description,website\n1,A,B,\n")
    assert not detect(open_package(tmp_path)).legacy  # type: ignore[arg-type]


def test_declared_version_against_the_files_is_noted(tmp_path: Path) -> None:
    shutil.copytree(V11, tmp_path / "p")
    (tmp_path / "p" / "datapackage.json").write_text('{"version": "2.0.1", "resources": []}')
    found = detect(open_package(tmp_path / "p"))  # type: ignore[arg-type]
    assert found.version == "2.0"
    assert any("1.1" in note for note in found.notes)


# --- conversion, each kind ----------------------------------------------------------------------


def test_11_package_converts_every_kind(app) -> None:  # noqa: ANN001
    report = import_path(V11)
    db.session.commit()
    assert report.ok and report.written and report.version == "1.1"
    housing = db.session.get(Service, sid("service", "S1"))
    assert housing.name == "Transitional Housing Referral"
    assert housing.organization.name == "Hartford Reentry Welcome Center"
    assert housing.organization.website == "https://hrwc.example.org"
    assert housing.program.name == "Second Chance Housing"
    assert housing.eligibility_description == (
        "Adults 18 and over released in the last 90 days\nHartford County residents"
    )
    assert housing.fees_description == "None"
    # 1.1 taxonomy.csv holds terms: two vocabularies become taxonomies, terms keep their codes
    assert sorted(db.session.scalars(select(Taxonomy.name))) == ["AIRS", "Open Eligibility"]
    assert count(TaxonomyTerm) == 6
    term = db.session.get(TaxonomyTerm, sid("taxonomy_term", "BH-8300.8500"))
    assert (term.code, term.taxonomy, term.parent_id) == (
        "BH-8300.8500", "AIRS", sid("taxonomy_term", "BH-8300"))  # fmt: skip
    assert [t.code for t in housing.taxonomy_terms] == ["BH-8300.8500"]
    pantry = db.session.get(Service, sid("service", "S3"))
    assert sorted(t.code for t in pantry.taxonomy_terms) == ["BD-1875.2000", "OE-102"]
    # places: physical and postal addresses, address_3 joined, coordinates, location type
    main = db.session.get(Location, sid("location", "L1"))
    assert (main.latitude, main.location_type) == (41.7658, "physical")
    address = db.session.get(Address, sid("physical_address", "A1"))
    assert (address.address_2, address.postal_code) == ("Suite 2, Rear entrance", "06103")
    postal = db.session.get(Address, sid("postal_address", "M1"))
    assert (postal.address_type, postal.location.location_type) == ("postal", "postal")
    assert db.session.get(Location, sid("location", "L2")).name == "Café Pantry"  # cp1252 byte
    phone = db.session.get(Phone, sid("phone", "PH1"))
    assert (phone.number, phone.extension, phone.service_id) == ("860-555-0100", "12",
                                                                 housing.id)  # fmt: skip
    languages = {(x.name, x.code) for x in db.session.scalars(select(Language))}
    assert languages == {("Spanish", "es"), ("Portuguese", "pt"), ("Klingon", None)}
    assert [d.document for d in db.session.scalars(select(RequiredDocument))] == ["Release papers"]


def test_regular_schedules_kept_exactly_or_dropped(app) -> None:  # noqa: ANN001
    report = import_path(V11)
    db.session.commit()
    rows = {(s.service_id, s.location_id, s.byday, str(s.opens_at), str(s.closes_at))
            for s in db.session.scalars(select(Schedule))}  # fmt: skip
    housing = sid("service", "S1")
    assert rows == {
        (housing, None, "MO", "09:00:00", "17:00:00"),
        (housing, None, "TU", "09:00:00", "17:00:00"),
        (housing, None, "WE", "09:00:00", "12:00:00"),
        (None, sid("location", "L2"), "FR", "13:00:00", "16:30:00"),
    }
    schedules = report.conversion.files["regular_schedules.csv"]
    assert (schedules.read, schedules.converted) == (6, 4)
    assert schedules.dropped == {"opens_at or closes_at is missing": 1,
                                 "weekday is not a day of the week": 1}  # fmt: skip
    holidays = report.conversion.files["holiday_schedules.csv"]
    assert sum(holidays.dropped.values()) == 2 and holidays.examples[
        next(iter(holidays.dropped))
    ] == [2, 3]


def test_20_schedules_only_plain_weekly_rules(app) -> None:  # noqa: ANN001
    report = import_path(V20)
    db.session.commit()
    assert report.ok and report.version == "2.0"
    (only,) = db.session.scalars(select(Schedule))
    assert (only.byday, str(only.opens_at)) == ("MO,WE", "08:00:00")
    dropped = report.conversion.files["schedules.csv"].dropped
    assert any("interval" in reason for reason in dropped)  # fortnightly is not weekly
    assert any("MONTHLY" in reason for reason in dropped)
    service = db.session.get(Service, "9b7c5a1e-2222-4a4a-9a9a-000000000001")  # UUIDs kept
    # its Open Eligibility term reaches it through its eligibility row (2.0's other_attributes)
    assert sorted(t.code for t in service.taxonomy_terms) == ["ND-6500", "OE-VET"]
    links = report.conversion.files["other_attributes.csv"]
    assert links.dropped == {
        "terms of organization rows are not stored": 1,
        "the eligibility row it names is not in eligibility.csv": 1,
    }
    assert links.notes["eligibility term attached to its service"] == 1
    assert report.conversion.files["eligibility.csv"].converted == 1
    # the kinds 2.0 shares with 1.1: phones, languages, documents, postal addresses
    [phone] = service.phones
    assert phone.number == "203-555-0161"
    assert [(x.name, x.code) for x in service.languages] == [("Spanish", "es")]
    assert [d.document for d in db.session.scalars(select(RequiredDocument))] == ["Photo ID"]
    postal = db.session.get(Address, sid("postal_address", "pa-1"))
    assert (postal.address_1, postal.city, postal.address_type) == (
        "PO Box 77",
        "New Haven",
        "postal",
    )
    areas = report.conversion.files["service_areas.csv"]
    assert areas.dropped == {"Partners does not store service areas": 1}
    assert report.conversion.files["contacts.csv"].dropped == {
        "Partners does not store contacts": 1
    }


def test_numbered_weekdays_only_when_the_numbering_is_clear() -> None:
    header = "id,service_id,weekday,opens_at,closes_at\n"
    from app.interop.legacy.common import Out
    from app.interop.legacy.report import FileReport
    from app.interop.legacy.schedules import regular_schedules

    def run(lines: str) -> tuple[list[str], FileReport]:
        out, report = (
            Out(["id", "service_id", "byday", "freq", "opens_at", "closes_at"]),
            FileReport("r", "s"),
        )
        regular_schedules(parse("r.csv", (header + lines).encode()), out, report)
        return [r["byday"] for r in out.rows], report

    assert run("1,S,0,09:00,10:00\n2,S,1,09:00,10:00\n")[0] == ["SU", "MO"]
    assert run("1,S,7,09:00,10:00\n2,S,1,09:00,10:00\n")[0] == ["SU", "MO"]
    days, report = run("1,S,1,09:00,10:00\n2,S,2,09:00,10:00\n")
    assert days == [] and sum(report.dropped.values()) == 2


def test_20_hours_start_on_dtstart_when_it_is_later_than_valid_from(app) -> None:  # noqa: ANN001
    """A weekly rule that starts next month is not today's hours: dtstart becomes its first day."""
    from app.interop.legacy.common import Out
    from app.interop.legacy.report import FileReport
    from app.interop.legacy.schedules import schedules

    header = "id,service_id,freq,byday,opens_at,closes_at,valid_from,dtstart\n"
    rows = (
        "1,S,WEEKLY,MO,09:00,10:00,,2027-01-04\n"  # starts in January
        "2,S,WEEKLY,TU,09:00,10:00,2027-02-01,2027-01-04T09:00:00\n"  # valid_from is later
        "3,S,WEEKLY,WE,09:00,10:00,,soon\n"  # unreadable: dropped, never published
        "4,S,WEEKLY,TH,09:00,10:00,,\n"
    )
    out = Out(["id", "service_id", "freq", "byday", "opens_at", "closes_at", "valid_from"])
    report = FileReport("s", "schedules")
    schedules(parse("schedules.csv", (header + rows).encode()), out, report)
    assert [(r["byday"], r["valid_from"]) for r in out.rows] == [
        ("MO", "2027-01-04"),
        ("TU", "2027-02-01"),
        ("TH", ""),
    ]
    assert report.notes["valid from dtstart (the rule starts then)"] == 1
    assert any("dtstart" in reason for reason in report.dropped)


def test_times() -> None:
    assert parse_time("9:00 AM") == "09:00:00"
    assert parse_time("12:30 pm") == "12:30:00"
    assert parse_time("12:00 a.m.") == "00:00:00"
    assert parse_time("17:00") == "17:00:00"
    assert parse_time("24:00") == "00:00:00"
    assert parse_time("9") is None and parse_time("25:00") is None and parse_time("noon") is None


# --- encodings and the report -------------------------------------------------------------------


def test_bom_and_windows_1252_rows() -> None:
    parsed = parse("x.csv", b'\xef\xbb\xbfid,name\n1,Caf\xc3\xa9\n2,Caf\xe9\n3,"two\nlines \xe9"\n')
    assert parsed.header == ["id", "name"]
    assert [r["name"] for _n, r in parsed.rows] == ["Café", "Café", "two\nlines é"]
    assert parsed.cp1252_rows == [3, 4]


def test_report_groups_by_file_with_counts_examples_and_summary(app) -> None:  # noqa: ANN001
    report = import_path(V11)
    lines = report.conversion.lines()
    assert lines[0].startswith("Read an HSDS 1.1 datapackage")
    assert "locations.csv → locations: 3 rows read, 3 converted" in lines
    assert any("Windows-1252" in line and "(rows 3)" in line for line in lines)
    assert any("column department is not stored" in line for line in lines)
    assert "  dropped: 2 × Partners does not store service areas (rows 2, 3)" in lines
    assert any("payments accepted" in line for line in lines)
    assert any("accessibility details" in line for line in lines)
    summary = report.conversion.summary()
    assert summary.startswith("Conversion from HSDS 1.1: 18 files, 50 rows read, 37 converted")


# --- everything or nothing ----------------------------------------------------------------------


def test_an_error_anywhere_imports_nothing_and_names_the_11_file_and_row(
    app, tmp_path: Path
) -> None:  # noqa: ANN001,E501
    package = tmp_path / "p"
    shutil.copytree(V11, package)
    with (package / "phones.csv").open("a") as handle:
        handle.write("PH3,,S2,,,,,,voice,,,\n")  # no number
    report = import_path(package)
    db.session.commit()
    assert not report.ok and not report.written
    assert ("phones.csv", 4, "number") in {(p.file, p.row, p.column) for p in report.errors}
    assert count(Organization) == count(Service) == count(TaxonomyTerm) == 0


def test_reimport_is_idempotent_and_zip_works(app, tmp_path: Path) -> None:  # noqa: ANN001
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in V11.iterdir():
            zipped.write(file, f"export/{file.name}")
    first = import_path(archive)
    db.session.commit()
    assert first.ok and first.version == "1.1"
    counts = (count(Service), count(Schedule), count(TaxonomyTerm), count(Address))
    second = import_path(V11)
    db.session.commit()
    assert second.ok and second.updated["service"] == 4 and second.created["service"] == 0
    assert (count(Service), count(Schedule), count(TaxonomyTerm), count(Address)) == counts


def test_cli_says_which_version_and_reports_by_kind(app) -> None:  # noqa: ANN001
    result = app.test_cli_runner().invoke(args=["hsds", "import", str(V11)])
    assert result.exit_code == 0, result.output
    assert "Read as HSDS 1.1." in result.output
    assert "regular_schedules.csv → weekly schedules: 6 rows read, 4 converted" in result.output
    assert "Conversion from HSDS 1.1:" in result.output
    assert any(line.startswith("Imported.") for line in result.stdout.splitlines())
