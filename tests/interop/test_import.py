"""CSV datapackage and HSDS JSON import: everything or nothing, each problem with file, row and
column, idempotent re-import, the spec's example dataset with its known gaps as warnings."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from pathlib import Path

from sqlalchemy import func, select

from app.directory.models import (
    Location,
    Organization,
    Service,
    ServiceCapacity,
    TaxonomyTerm,
)
from app.extensions import db
from app.interop.csv_export import export_to_dir
from app.interop.csv_import import import_path
from tests.interop.hsds_helpers import (  # noqa: F401
    EXAMPLE,
    catalog,
    empty_database,
    index_dir,
    row_counts,
    taxonomy,
)

EXAMPLE_SERVICE = "ac148810-d857-441c-9679-408f346de14b"


def edit_csv(path: Path, change) -> None:  # noqa: ANN001
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def where(report, severity: str) -> set[tuple]:  # noqa: ANN001
    return {(p.file, p.row, p.column) for p in report.problems if p.severity == severity}


def test_spec_example_imports_with_its_gaps_as_warnings(app) -> None:  # noqa: ANN001
    report = import_path(EXAMPLE)
    db.session.commit()
    assert report.ok and report.written
    service = db.session.get(Service, EXAMPLE_SERVICE)
    assert service.name == "Community Counselling"
    assert service.organization.name == "Example Organization Inc."
    assert service.locations[0].name == "MyCity Civic Center"
    assert service.phones[0].extension == "100"
    warnings = where(report, "warning")
    # Known foreign-key gaps of the example, each reported where it is.
    assert ("locations.csv", 2, "organization_id") in warnings
    assert ("service_capacity.csv", 2, "service_id") in warnings
    assert ("taxonomy_terms.csv", 2, "taxonomy_id") in warnings
    assert ("taxonomy_terms.csv", 2, "parent_id") in warnings
    assert ("attributes.csv", 2, "link_entity") in warnings
    # Tables and fields we do not hold are reported, not silently dropped.
    assert ("contacts.csv", None, None) in warnings
    assert ("services.csv", None, "assurer_email") in warnings
    assert db.session.get(Location, "3a19ff88-4620-4d17-9830-ac1d859eb5d5").organization_id is None
    assert db.session.scalar(select(func.count()).select_from(ServiceCapacity)) == 0


def test_reimport_updates_in_place_without_duplicates(app) -> None:  # noqa: ANN001
    import_path(EXAMPLE)
    db.session.commit()
    before = row_counts()
    second = import_path(EXAMPLE)
    db.session.commit()
    assert second.ok
    assert row_counts() == before
    assert second.updated["service"] == 1 and second.created["service"] == 0


def test_changed_value_is_updated_by_id(app, tmp_path) -> None:  # noqa: ANN001
    import_path(EXAMPLE)
    db.session.commit()
    folder = tmp_path / "pkg"
    shutil.copytree(EXAMPLE, folder)
    edit_csv(folder / "services.csv", lambda rows: rows[1].__setitem__(3, "Counselling Plus"))
    assert import_path(folder).ok
    db.session.commit()
    assert db.session.get(Service, EXAMPLE_SERVICE).name == "Counselling Plus"
    assert db.session.scalar(select(func.count()).select_from(Service)) == 1


def test_errors_name_file_row_and_column_and_nothing_is_written(app, tmp_path) -> None:  # noqa: ANN001
    folder = tmp_path / "pkg"
    shutil.copytree(EXAMPLE, folder)

    def bad_age(rows: list[list[str]]) -> None:
        rows[1][rows[0].index("minimum_age")] = "twelve"

    def no_address_city(rows: list[list[str]]) -> None:
        column = rows[0].index("city")
        for row in rows:
            del row[column]

    edit_csv(folder / "services.csv", bad_age)
    edit_csv(folder / "addresses.csv", no_address_city)
    report = import_path(folder)
    assert not report.ok and not report.written
    errors = where(report, "error")
    assert ("services.csv", 2, "minimum_age") in errors
    assert ("addresses.csv", 1, "city") in errors
    assert all(count == 0 for count in row_counts().values())


def test_broken_foreign_key_is_reported_and_strict_refuses_it(app, catalog, tmp_path):  # noqa: ANN001,ANN201,F811
    export_to_dir(tmp_path)
    missing = "00000000-0000-4000-8000-000000000000"

    def break_first_service(rows: list[list[str]]) -> None:
        rows[1][rows[0].index("organization_id")] = missing

    edit_csv(tmp_path / "services.csv", break_first_service)
    before = row_counts()
    strict = import_path(tmp_path, strict=True)
    assert not strict.ok
    assert ("services.csv", 2, "organization_id") in where(strict, "error")
    assert row_counts() == before
    lenient = import_path(tmp_path)
    assert lenient.ok
    assert ("services.csv", 2, "organization_id") in where(lenient, "warning")


def test_failing_import_leaves_an_existing_database_unchanged(app, catalog, tmp_path):  # noqa: ANN001,ANN201,F811
    export_to_dir(tmp_path)

    def rename_and_break(rows: list[list[str]]) -> None:
        rows[1][rows[0].index("name")] = "Renamed by a failed import"
        rows[-1][rows[0].index("status")] = "closed-ish"

    edit_csv(tmp_path / "services.csv", rename_and_break)
    before = row_counts()
    names = set(db.session.scalars(select(Service.name)))
    report = import_path(tmp_path)
    db.session.commit()
    assert not report.ok
    assert ("services.csv", 4, "status") in where(report, "error")
    assert row_counts() == before
    assert set(db.session.scalars(select(Service.name))) == names


def test_importing_our_own_export_back_creates_no_duplicates(app, catalog, tmp_path):  # noqa: ANN001,ANN201,F811
    export_to_dir(tmp_path)
    before = row_counts()
    report = import_path(tmp_path)
    db.session.commit()
    assert report.ok, [str(p) for p in report.problems]
    assert row_counts()["taxonomy_term"] == before["taxonomy_term"]
    assert row_counts() == before | {"capacity_history": row_counts()["capacity_history"]}
    assert db.session.get(TaxonomyTerm, "need-food") is not None


def test_zip_and_cli(app, tmp_path) -> None:  # noqa: ANN001
    archive = tmp_path / "example.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for path in EXAMPLE.iterdir():
            handle.write(path, arcname=f"example/{path.name}")
    result = app.test_cli_runner().invoke(args=["hsds", "import", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Imported." in result.output
    assert "locations.csv, row 2, column organization_id" in result.output
    assert db.session.get(Organization, "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610") is not None


def test_cli_reports_errors_and_exits_non_zero(app, tmp_path) -> None:  # noqa: ANN001
    folder = tmp_path / "pkg"
    shutil.copytree(EXAMPLE, folder)
    edit_csv(folder / "organizations.csv", lambda rows: rows[1].__setitem__(0, "not-a-uuid"))
    result = app.test_cli_runner().invoke(args=["hsds", "import", str(folder)])
    assert result.exit_code != 0
    assert "organizations.csv, row 2, column id" in result.output
    assert "Nothing imported" in result.output


def test_cli_groups_a_long_report_by_kind_instead_of_cutting_it_off(app, tmp_path) -> None:  # noqa: ANN001
    folder = tmp_path / "pkg"
    shutil.copytree(EXAMPLE, folder)

    def many_bad_ids(rows: list[list[str]]) -> None:
        template = rows[1]
        rows[1:] = [[f"bad-id-{n}", *template[1:]] for n in range(300)]

    edit_csv(folder / "organizations.csv", many_bad_ids)
    result = app.test_cli_runner().invoke(args=["hsds", "import", str(folder)])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if "organizations.csv, column id" in line]
    assert len(lines) == 1 and "300 × " in lines[0] and "(rows 2, 3, 4" in lines[0]
    assert "more problems" not in result.output


def test_hsds_json_from_the_api_imports_into_an_empty_database(app, client, catalog, tmp_path):  # noqa: ANN001,ANN201,F811
    page = client.get("/api/services?full=true").get_json()
    (tmp_path / "services.json").write_text(json.dumps(page))
    sober_id = catalog.sober_house.id
    empty_database()
    report = import_path(tmp_path / "services.json")
    db.session.commit()
    assert report.ok, [str(p) for p in report.problems if p.severity == "error"]
    sober = db.session.get(Service, sober_id)
    assert sober.name == "Harbor Sober House"
    assert sober.capacities[0].available == 2
    assert {r.criterion.value for r in sober.eligibility_rules} == {
        "mat_allowed", "sex_offense_registry"
    }  # fmt: skip
    assert {t.code for t in sober.taxonomy_terms} == {"housing", "housing.recovery"}
    assert sober.locations[0].addresses[0].postal_code == "06103"
    again = import_path(tmp_path / "services.json")
    assert again.ok and again.created["service"] == 0
