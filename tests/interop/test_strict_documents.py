"""The provider's "strictly required" mark on a documents rule travels with HSDS: the `strict`
field of x_partners_eligibility_rules.csv (described in the datapackage) and of
x_partners_eligibility in HSDS JSON; export -> import gives the same mark."""

from __future__ import annotations

import csv
import json

from frictionless import validate
from sqlalchemy import select

from app.directory.models import EligibilityRule
from app.directory.vocabulary import Answer, Criterion
from app.extensions import db
from app.interop.csv_export import export_to_dir
from app.interop.csv_import import import_path
from tests import factories
from tests.interop.hsds_helpers import (  # noqa: F401
    catalog,
    empty_database,
    index_dir,
    taxonomy,
)

FILE = "x_partners_eligibility_rules.csv"


def _documents_rules(catalog) -> dict[str, bool]:  # noqa: ANN001,F811
    """The sober house strictly requires ID papers; the pantry only asks for proof of income."""
    factories.make_rule(catalog.sober_house, Criterion.DOCUMENTS, Answer.YES,
                        values=["state_id", "birth_certificate"], strict=True)  # fmt: skip
    factories.make_rule(catalog.pantry, Criterion.DOCUMENTS, Answer.YES, values=["proof_of_income"])
    return {catalog.sober_house.id: True, catalog.pantry.id: False}


def _strict_flags() -> dict[str, bool]:
    db.session.expire_all()
    rules = db.session.scalars(
        select(EligibilityRule).where(EligibilityRule.criterion == Criterion.DOCUMENTS)
    )
    return {rule.service_id: rule.strict for rule in rules}


def test_csv_export_then_import_keeps_strictly_required(app, catalog, tmp_path):  # noqa: ANN001,ANN201,F811
    expected = _documents_rules(catalog)
    export_to_dir(tmp_path / "out")

    package = json.loads((tmp_path / "out" / "datapackage.json").read_text())
    (resource,) = [r for r in package["resources"] if r["path"] == FILE]
    (field,) = [f for f in resource["schema"]["fields"] if f["name"] == "strict"]
    assert field["type"] == "boolean" and "strictly required" in field["description"]
    with (tmp_path / "out" / FILE).open(encoding="utf-8") as f:
        rows = {
            r["service_id"]: r["strict"] for r in csv.DictReader(f) if r["criterion"] == "documents"
        }
    assert rows == {catalog.sober_house.id: "true", catalog.pantry.id: "false"}
    assert validate(tmp_path / "out" / "datapackage.json").valid

    empty_database()
    report = import_path(tmp_path / "out")
    db.session.commit()
    assert report.ok and not report.warnings, [str(p) for p in report.problems]
    assert _strict_flags() == expected


def test_reimporting_a_changed_mark_updates_the_rule(app, catalog, tmp_path):  # noqa: ANN001,ANN201,F811
    _documents_rules(catalog)
    export_to_dir(tmp_path / "out")
    path = tmp_path / "out" / FILE
    path.write_text(path.read_text(encoding="utf-8").replace(",true", ",false"), encoding="utf-8")
    assert import_path(path.parent).ok
    db.session.commit()
    assert set(_strict_flags().values()) == {False}


def test_a_file_without_the_strict_column_reads_as_not_strict(app, catalog, tmp_path):  # noqa: ANN001,ANN201,F811
    """Exports made before the column existed still import."""
    expected = _documents_rules(catalog)
    export_to_dir(tmp_path / "out")
    path = tmp_path / "out" / FILE
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, [k for k in rows[0] if k != "strict"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    empty_database()
    report = import_path(tmp_path / "out")
    db.session.commit()
    assert report.ok, [str(p) for p in report.problems]
    assert _strict_flags() == {service_id: False for service_id in expected}


def test_strict_on_a_rule_that_is_not_about_documents_is_a_warning(app, catalog, tmp_path):  # noqa: ANN001,ANN201,F811
    export_to_dir(tmp_path / "out")
    path = tmp_path / "out" / FILE
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines) if ",mat_allowed," in line)
    lines[row] = lines[row].rsplit(",", 1)[0] + ",true"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_path(tmp_path / "out")
    db.session.commit()
    assert report.ok
    assert [(p.column, p.severity) for p in report.problems] == [("strict", "warning")]
    rule = db.session.scalar(
        select(EligibilityRule).where(EligibilityRule.criterion == Criterion.MAT_ALLOWED)
    )
    assert rule.strict is False


def test_hsds_json_carries_strictly_required(app, client, catalog, tmp_path):  # noqa: ANN001,ANN201,F811
    expected = _documents_rules(catalog)
    page = client.get("/api/services?full=true").get_json()
    rules = {
        s["id"]: r.get("strict")
        for s in page["contents"]
        for r in s["x_partners_eligibility"]
        if r["criterion"] == "documents"
    }
    assert rules == {catalog.sober_house.id: True, catalog.pantry.id: None}  # left out: false
    (tmp_path / "services.json").write_text(json.dumps(page))

    empty_database()
    report = import_path(tmp_path / "services.json")
    db.session.commit()
    assert report.ok, [str(p) for p in report.problems if p.severity == "error"]
    assert _strict_flags() == expected


def test_the_profile_explains_strict(client) -> None:  # noqa: ANN001
    profile = client.get("/api/profile").get_json()
    assert "strict" in profile["extensions"]["service.x_partners_eligibility"]
    assert "strict" in profile["extensions"]["csv"]
