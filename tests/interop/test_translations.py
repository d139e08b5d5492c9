"""A service's Spanish text travels with HSDS: x_partners_service_translations.csv in the CSV
datapackage, x_partners_translations in HSDS JSON; export -> import gives the same text."""

from __future__ import annotations

import csv
import json

from frictionless import validate
from sqlalchemy import select

from app.extensions import db
from app.interop.csv_export import export_to_dir
from app.interop.csv_import import import_path
from app.public.models import ServiceTranslation
from tests.interop.hsds_helpers import (  # noqa: F401
    catalog,
    empty_database,
    index_dir,
    taxonomy,
)

SPANISH = {
    "name": "Casa sobria Harbor",
    "description": "Vivienda de recuperación con apoyo de compañeros.",
    "documents": "Identificación con foto\nSus papeles de salida, si los tiene",
    "application_process": "Llame, y le damos una cita.",
    "fees_description": "Gratis",
    "eligibility_description": 'Hombres de 18 años o más; "sin alcohol", por favor.',
    "alert": "Cerrado el lunes por reparaciones",
}
FILE = "x_partners_service_translations.csv"


def _translate(service_id: str) -> None:
    db.session.add(ServiceTranslation(service_id=service_id, language="es", **SPANISH))
    db.session.commit()


def _spanish_of(service_id: str) -> dict[str, str | None]:
    db.session.expire_all()
    rows = db.session.scalars(
        select(ServiceTranslation).where(ServiceTranslation.service_id == service_id)
    ).all()
    assert [r.language for r in rows] == ["es"]
    return {name: getattr(rows[0], name) for name in SPANISH}


def test_csv_export_then_import_gives_the_same_spanish_text(app, catalog, tmp_path):  # noqa: ANN001,ANN201,F811
    service_id = catalog.sober_house.id
    _translate(service_id)
    export_to_dir(tmp_path / "out")

    package = json.loads((tmp_path / "out" / "datapackage.json").read_text())
    (resource,) = [r for r in package["resources"] if r["path"] == FILE]
    assert resource["schema"]["foreignKeys"][0]["reference"]["resource"] == "service"
    with (tmp_path / "out" / FILE).open(encoding="utf-8") as f:
        (row,) = list(csv.DictReader(f))
    assert row["service_id"] == service_id and row["language"] == "es"
    assert row["documents"] == SPANISH["documents"]
    assert validate(tmp_path / "out" / "datapackage.json").valid

    empty_database()
    report = import_path(tmp_path / "out")
    db.session.commit()
    assert report.ok and not report.warnings, [str(p) for p in report.problems]
    assert _spanish_of(service_id) == SPANISH

    # Importing again updates in place (one row per service and language, whatever its id).
    with (tmp_path / "out" / FILE).open(encoding="utf-8") as f:
        text = f.read().replace("Gratis", "Sin costo")
    other_id = "0d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f70"
    (tmp_path / "out" / FILE).write_text(text.replace(row["id"], other_id), encoding="utf-8")
    again = import_path(tmp_path / "out")
    db.session.commit()
    assert again.ok
    assert _spanish_of(service_id)["fees_description"] == "Sin costo"


def test_hsds_json_carries_the_spanish_text(app, client, catalog, tmp_path):  # noqa: ANN001,ANN201,F811
    service_id = catalog.sober_house.id
    _translate(service_id)
    page = client.get("/api/services?full=true").get_json()
    (sober,) = [s for s in page["contents"] if s["id"] == service_id]
    assert sober["x_partners_translations"] == [{"language": "es", **SPANISH}]
    (tmp_path / "services.json").write_text(json.dumps(page))

    empty_database()
    report = import_path(tmp_path / "services.json")
    db.session.commit()
    assert report.ok, [str(p) for p in report.problems if p.severity == "error"]
    assert _spanish_of(service_id) == SPANISH


def test_bad_translation_rows_are_reported(app, catalog, tmp_path):  # noqa: ANN001,ANN201,F811
    export_to_dir(tmp_path / "out")
    service_id = catalog.sober_house.id
    header = "id,service_id,language,name,description,documents,application_process," \
             "fees_description,eligibility_description,alert\n"  # fmt: skip
    rows = [
        f"11111111-1111-4111-8111-111111111111,{service_id},fr,Maison,,,,,,\n",
        f"22222222-2222-4222-8222-222222222222,{service_id},es,{'x' * 251},,,,,,\n",
        f"33333333-3333-4333-8333-333333333333,{service_id},es,,,,,{'x' * 2001},,\n",
    ]
    (tmp_path / "out" / FILE).write_text(header + "".join(rows), encoding="utf-8")
    report = import_path(tmp_path / "out")
    problems = {(p.row, p.column, p.severity) for p in report.problems}
    assert (2, "language", "warning") in problems
    assert (3, "name", "warning") in problems  # shortened to the column, as for any table
    assert (4, "fees_description", "error") in problems  # the form's limit
    assert not report.ok
