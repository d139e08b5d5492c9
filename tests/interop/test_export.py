"""CSV datapackage export: frictionless-valid (foreign keys included), deterministic, complete,
and the CLI and admin download give the same package."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from frictionless import validate

from app.accounts.models import Role
from app.clock import local_date
from app.interop.csv_export import export_to_dir
from app.interop.ids import hsds_id
from tests import factories
from tests.interop.hsds_helpers import catalog, index_dir, taxonomy  # noqa: F401


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_export_passes_frictionless_validation_with_foreign_keys(app, catalog, tmp_path):  # noqa: ANN001,ANN201,F811
    export_to_dir(tmp_path)
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    package = (tmp_path / "datapackage.json").read_text()
    assert '"foreignKeys"' in package and "CC-BY-SA-4.0" in package
    assert (tmp_path / "LICENSE-HSDS.txt").exists()


def test_frictionless_catches_a_broken_foreign_key_in_an_export(app, catalog, tmp_path):  # noqa: ANN001,ANN201,F811
    export_to_dir(tmp_path)
    services = (tmp_path / "services.csv").read_text()
    broken = services.replace(catalog.harbor.id, "00000000-0000-4000-8000-000000000000")
    (tmp_path / "services.csv").write_text(broken)
    report = validate(tmp_path / "datapackage.json")
    assert not report.valid
    assert "foreign-key" in {e[0] for e in report.flatten(["type"])}


def test_export_holds_every_hsds_table_we_hold(app, catalog, tmp_path) -> None:  # noqa: ANN001,F811
    counts = export_to_dir(tmp_path)
    assert counts["services.csv"] == 3
    assert counts["service_at_location.csv"] == 3
    assert counts["service_capacity.csv"] == 2
    assert counts["x_partners_eligibility_rules.csv"] == 2
    services = {s["name"]: s for s in read(tmp_path / "services.csv")}
    sober = services["Harbor Sober House"]
    assert sober["assured_date"] == local_date(catalog.sober_house.last_verified_at).isoformat()
    assert sober["assurer_email"] == ""
    capacity = {c["service_id"]: c for c in read(tmp_path / "service_capacity.csv")}
    assert capacity[catalog.jobs.id]["available"] == ""
    assert capacity[catalog.jobs.id]["x_partners_status"] == "waitlist"
    links = read(tmp_path / "attributes.csv")
    assert {(a["link_id"], a["taxonomy_term_id"]) for a in links} >= {
        (catalog.pantry.id, hsds_id("need-food"))
    }
    terms = {t["id"] for t in read(tmp_path / "taxonomy_terms.csv")}
    assert hsds_id("need-food") in terms


def test_two_exports_are_identical(app, catalog, tmp_path) -> None:  # noqa: ANN001,F811
    export_to_dir(tmp_path / "a")
    export_to_dir(tmp_path / "b")
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_cli_export(app, catalog, tmp_path) -> None:  # noqa: ANN001,F811
    result = app.test_cli_runner().invoke(args=["hsds", "export", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "written to" in result.output
    assert len(read(tmp_path / "out" / "services.csv")) == 3


def test_admin_download_is_the_datapackage_as_a_zip(app, client, login, catalog):  # noqa: ANN001,ANN201,F811
    login(factories.make_user(Role.ADMIN))
    response = client.get("/api/admin/hsds-export.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert "datapackage.json" in names and "services.csv" in names


def test_download_is_for_admins_only(app, client, login, catalog) -> None:  # noqa: ANN001,F811
    assert client.get("/api/admin/hsds-export.zip").status_code in (302, 401)
    login(factories.make_user(Role.COUNSELOR))
    assert client.get("/api/admin/hsds-export.zip").status_code == 403
