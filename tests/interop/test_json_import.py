"""HSDS JSON import knows what it reads: the specification's own example files (fixtures/hsds_json,
CC BY-SA 4.0) and pieces cut from them import as what they are, with warnings for what we do not
store (worded as the CSV path words them), duplicate ids named, schedules never published wrong;
the API's own `?full=true` output imports back to the same JSON."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.directory.models import (
    Location,
    Organization,
    Program,
    Schedule,
    Service,
    Taxonomy,
    TaxonomyTerm,
)
from app.extensions import db
from app.interop.csv_import import import_path
from app.interop.json_kinds import kind_of
from tests.interop.hsds_helpers import (  # noqa: F401
    EXAMPLE,
    catalog,
    empty_database,
    index_dir,
    row_counts,
    schema_errors,
    taxonomy,
    validator,
)

SPEC = Path(__file__).resolve().parent / "fixtures" / "hsds_json"
SERVICE = "ac148810-d857-441c-9679-408f346de14b"
ORGANIZATION = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c174"


def spec(name: str) -> Any:
    return json.loads((SPEC / name).read_text(encoding="utf-8"))


def write(tmp_path: Path, data: Any, name: str = "input.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def messages(report, severity: str) -> list[str]:  # noqa: ANN001
    return [p.message for p in report.problems if p.severity == severity]


def weekly_schedule() -> dict[str, Any]:
    """The spec's schedule without the fields that limit it: every Thursday and Friday."""
    schedule = copy.deepcopy(spec("service_full.json")["schedules"][0])
    for key in ("count", "until", "byweekno", "bymonthday", "byyearday"):
        del schedule[key]
    return schedule


# --- 1. each object imports as what it is -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("service_full.json", "service"),
        ("service_list.json", "service"),
        ("organization_full.json", "organization"),
        ("service_at_location_full.json", "service_at_location"),
    ],
)
def test_each_spec_example_imports_as_what_it_is(app, name, kind) -> None:  # noqa: ANN001
    report = import_path(SPEC / name)
    db.session.commit()
    assert report.ok, [str(p) for p in report.errors]
    assert report.created[kind] == 1
    assert db.session.get(Service, SERVICE).name == "Community Counselling"


def test_service_list_takes_the_programs_organization_from_the_service(app) -> None:  # noqa: ANN001
    page = spec("service_list.json")
    assert "organization_id" not in page["contents"][0]["program"]
    report = import_path(SPEC / "service_list.json")
    db.session.commit()
    assert report.ok, [str(p) for p in report.errors]
    program = db.session.get(Program, page["contents"][0]["program"]["id"])
    assert program.organization_id == page["contents"][0]["organization"]["id"]
    assert db.session.get(Service, SERVICE).program_id == program.id


def nested(which: str) -> dict[str, Any]:
    service = spec("service_full.json")
    term = service["attributes"][0]["taxonomy_term"]
    return {
        "taxonomy_term": term,
        "taxonomy": term["taxonomy_detail"],
        "location": spec("service_at_location_full.json")["location"],
        "contact": service["contacts"][0],
        "funding": service["funding"][0],
    }[which]


@pytest.mark.parametrize(
    ("which", "model"),
    [("taxonomy_term", TaxonomyTerm), ("taxonomy", Taxonomy), ("location", Location)],
)
def test_a_single_nested_object_imports_as_what_it_is(app, tmp_path, which, model) -> None:  # noqa: ANN001
    obj = nested(which)
    assert kind_of(obj) == which
    report = import_path(write(tmp_path, obj))
    db.session.commit()
    assert report.ok, [str(p) for p in report.errors]
    assert report.created[which] == 1
    assert db.session.get(model, obj["id"]) is not None
    assert db.session.scalar(select(db.func.count()).select_from(Organization)) == 0


def test_a_list_of_terms_is_read_as_terms(app, tmp_path) -> None:  # noqa: ANN001
    term = nested("taxonomy_term")
    second = {**term, "id": "0bc248fa-dc27-4650-9ba4-8f1a24ef16a2", "code": "x1"}
    del second["parent_id"]
    report = import_path(write(tmp_path, {"contents": [second, term]}))
    assert report.ok and report.created["taxonomy_term"] == 2
    assert report.created["organization"] == 0


@pytest.mark.parametrize("which", ["contact", "funding"])
def test_a_kind_we_cannot_import_is_an_error_naming_it(app, tmp_path, which) -> None:  # noqa: ANN001
    report = import_path(write(tmp_path, nested(which)))
    assert not report.ok and not report.written
    assert f"is an HSDS {which} object" in messages(report, "error")[0]
    assert all(count == 0 for count in row_counts().values())


def test_an_object_nothing_fits_is_an_error(app, tmp_path) -> None:  # noqa: ANN001
    report = import_path(write(tmp_path, [{"colour": "blue"}, 3]))
    assert [(p.row, p.message) for p in report.errors] == [
        ("/0", "is not an HSDS object Partners recognizes"),
        ("/1", "is not an HSDS object Partners recognizes"),
    ]


# --- 2. nested objects we do not store: warnings, as in CSV -------------------------------------


def test_nested_objects_we_do_not_store_are_reported_as_the_csv_path_does(app) -> None:  # noqa: ANN001
    csv_report = import_path(EXAMPLE)
    db.session.rollback()
    json_report = import_path(SPEC / "service_full.json")
    csv_words = {m for m in messages(csv_report, "warning") if m.startswith("Partners does not")}
    json_words = messages(json_report, "warning")
    for what in ("contacts", "funding sources", "service areas", "accessibility details",
                 "cost options", "change metadata", "organization identifiers"):  # fmt: skip
        assert any(m.startswith(f"Partners does not store {what};") for m in csv_words), what
        assert any(m.startswith(f"Partners does not store {what};") for m in json_words), what
    service = spec("service_full.json")
    counted = [m for m in json_words if m.startswith("Partners does not store contacts; ")]
    assert int(counted[0].split("; ")[1].split()[0]) >= len(service["contacts"]) > 0


# --- 4. duplicate ids ---------------------------------------------------------------------------


def test_a_page_of_services_sharing_one_id_is_refused_naming_the_id(app, tmp_path) -> None:  # noqa: ANN001
    one = spec("service_list.json")["contents"][0]
    page = {"contents": [{**one, "name": f"Copy {i}"} for i in range(5)]}
    report = import_path(write(tmp_path, page))
    assert not report.ok and not report.written
    errors = [p for p in report.errors if p.column == "id"]
    assert [p.row for p in errors] == [f"/contents/{i}" for i in range(1, 5)]
    assert all(SERVICE in p.message for p in errors)
    assert db.session.get(Service, SERVICE) is None


def test_a_nested_object_repeated_elsewhere_is_a_warning(app, tmp_path) -> None:  # noqa: ANN001
    service = spec("service_list.json")["contents"][0]
    phone = {"id": "1554f2e2-a373-45db-a3fa-9fc48a61c15e", "number": "01234 567890"}
    service = {**service, "phones": [phone, {**phone, "number": "09876 543210"}]}
    report = import_path(write(tmp_path, service))
    assert report.ok
    repeated = [p for p in report.warnings if "is also at /phones/0" in p.message]
    assert [(p.row, p.column) for p in repeated] == [("/phones/1", "id")]


# --- 5. schedules: kept exactly or dropped with a warning ---------------------------------------


def service_with(tmp_path: Path, schedule: dict[str, Any]) -> Path:
    service = spec("service_list.json")["contents"][0]
    return write(tmp_path, {**service, "schedules": [schedule]})


@pytest.mark.parametrize(
    ("change", "column"),
    [
        ({"interval": 2}, "interval"),
        ({"freq": "MONTHLY"}, "freq"),
        ({"count": 3}, "count"),
        ({"bymonthday": "1,15"}, "bymonthday"),
    ],
)
def test_a_schedule_that_is_not_plain_weekly_is_dropped_with_a_warning(
    app,
    tmp_path,
    change,
    column,  # noqa: ANN001
) -> None:
    report = import_path(service_with(tmp_path, {**weekly_schedule(), **change}))
    db.session.commit()
    assert report.ok
    dropped = [p for p in report.warnings if p.row == "/schedules/0"]
    assert [p.column for p in dropped] == [column]
    assert "schedule dropped" in dropped[0].message
    assert db.session.scalars(select(Schedule)).all() == []


def test_a_weekly_schedule_is_kept_without_an_interval_warning(app, tmp_path) -> None:  # noqa: ANN001
    report = import_path(service_with(tmp_path, weekly_schedule()))
    db.session.commit()
    assert report.ok
    assert not [p for p in report.warnings if p.column in ("interval", "freq")]
    schedule = db.session.scalars(select(Schedule)).one()
    assert (schedule.freq, schedule.byday) == ("WEEKLY", "TH,FR")


def test_a_fortnightly_schedule_in_csv_is_dropped_too(app, tmp_path) -> None:  # noqa: ANN001
    import shutil

    from tests.interop.test_import import edit_csv

    folder = tmp_path / "pkg"
    shutil.copytree(EXAMPLE, folder)

    def fortnightly(rows: list[list[str]]) -> None:
        header = rows[0]
        for name in ("count", "until", "byweekno", "bymonthday", "byyearday"):
            rows[1][header.index(name)] = ""
        rows[1][header.index("interval")] = "2"

    edit_csv(folder / "schedules.csv", fortnightly)
    report = import_path(folder)
    assert report.ok
    assert [(p.row, p.column) for p in report.warnings if p.file == "schedules.csv" and p.row] == [
        (2, "interval")
    ]
    assert db.session.scalars(select(Schedule)).all() == []


# --- 6. the API's own output: round trip ---------------------------------------------------------


def test_api_full_output_imports_back_to_the_same_json(app, client, catalog, tmp_path):  # noqa: ANN001,ANN201,F811
    term = db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.code == "housing")).one()
    term.description = None  # the API sends "" for it; the import must not refuse that
    db.session.commit()
    first = client.get("/api/services?full=true&per_page=100").get_json()
    assert any(
        a["taxonomy_term"]["description"] == "" for s in first["contents"] for a in s["attributes"]
    )
    path = write(tmp_path, first)
    empty_database()
    report = import_path(path)
    db.session.commit()
    assert report.ok, [str(p) for p in report.errors]
    second = client.get("/api/services?full=true&per_page=100").get_json()
    # Capacity figures with a status and no count (only in x_partners_capacities, as HSDS
    # service_capacity requires `available`) come back too, with the status they give.
    status_only = [f for s in first["contents"] for f in s["x_partners_capacities"]
                   if f.get("available") is None]  # fmt: skip
    assert status_only and {f["status"] for f in status_only} >= {"waitlist"}
    assert second == first


def test_status_only_and_counted_capacity_survive_a_json_round_trip(app, client, catalog, tmp_path):  # noqa: ANN001,ANN201,E501,F811
    """ "full" with no count (only our profile carries it), and a counted figure whose status is
    not the one its count implies (0 beds, but a waitlist): both come back as they left."""
    from app.directory.vocabulary import CapacityStatus
    from tests import factories

    beds = factories.make_unit("bed", "Beds")
    full = factories.make_capacity(catalog.pantry, available=None, maximum=None,
                                   status=CapacityStatus.NO_CAPACITY, unit=beds)  # fmt: skip
    full.waitlist_length, full.expected_wait = 4, "about two weeks"
    factories.make_capacity(catalog.pantry, available=0, maximum=6,
                            status=CapacityStatus.WAITLIST)  # fmt: skip
    db.session.commit()
    url = f"/api/services/{catalog.pantry.id}"
    first = client.get(url).get_json()
    assert {f["status"] for f in first["x_partners_capacities"]} == {"no-capacity", "waitlist"}
    assert len(first["capacities"]) == 1  # HSDS capacities only carry the counted one
    path = write(tmp_path, first)
    empty_database()
    report = import_path(path)
    db.session.commit()
    assert report.ok, [str(p) for p in report.errors]
    second = client.get(url).get_json()
    assert second["x_partners_capacities"] == first["x_partners_capacities"]
    assert second["x_partners_capacity_status"] == first["x_partners_capacity_status"]
    assert second == first


# --- 7. capacity and units as HSDS 3.1 -----------------------------------------------------------


def test_capacities_are_hsds_3_1_service_capacity_with_a_unit(client, catalog) -> None:  # noqa: ANN001,F811
    schema = validator("service.json").schema["properties"]["capacities"]["items"]
    assert {"unit", "available", "updated"} <= set(schema["required"])
    from jsonschema import Draft202012Validator

    check = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    body = client.get(f"/api/services/{catalog.sober_house.id}").get_json()
    assert body["capacities"]
    for capacity in body["capacities"]:
        assert schema_errors(check, capacity) == []
        assert capacity["unit"]["id"] == capacity["unit_id"]
        assert capacity["unit"]["name"]
