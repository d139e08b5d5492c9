"""HSDS read API: endpoints, Page envelope, AND filters, ndjson, minimal/full, proximity."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import update

from app.clock import local_date
from app.common import utcnow
from app.directory.models import Service
from app.extensions import db
from app.interop.ids import hsds_id
from app.search.geo import distance_miles, offline_lookup
from tests.interop.hsds_helpers import catalog, index_dir, taxonomy  # noqa: F401

NEED_AREAS = hsds_id("partners-need-areas")


def names(body: dict) -> list[str]:
    return [item["name"] for item in body["contents"]]


def sal_service_names(body: dict) -> list[str]:
    return [item["service"]["name"] for item in body["contents"]]


def test_root_names_version_profile_and_openapi(client, catalog) -> None:  # noqa: ANN001,F811
    body = client.get("/api/").get_json()
    assert body["version"] == "3.1"
    assert body["openapi_url"].endswith("/api/openapi.json")
    profile = client.get(body["profile"].replace("http://localhost", "")).get_json()
    assert "service.x_partners_eligibility" in profile["extensions"]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (1, {"size": 1, "first_page": True, "last_page": False, "empty": False}),
        (2, {"size": 1, "first_page": False, "last_page": False, "empty": False}),
        (3, {"size": 1, "first_page": False, "last_page": True, "empty": False}),
        (4, {"size": 0, "first_page": False, "last_page": True, "empty": True}),
    ],
)
def test_page_envelope_first_middle_last_and_past_the_end(client, catalog, page, expected):  # noqa: ANN001,ANN201,F811
    body = client.get(f"/api/services?per_page=1&page={page}").get_json()
    assert body["total_items"] == 3
    assert body["total_pages"] == 3
    assert body["page_number"] == page
    for key, value in expected.items():
        assert body[key] == value, key
    assert len(body["contents"]) == expected["size"]


def test_pages_walk_every_service_once_in_name_order(client, catalog) -> None:  # noqa: ANN001,F811
    seen = []
    for page in (1, 2):
        seen += names(client.get(f"/api/services?per_page=2&page={page}").get_json())
    assert seen == ["Harbor Food Pantry", "Harbor Sober House", "Valley Job Placement"]


def test_filters_combine_with_and(client, catalog) -> None:  # noqa: ANN001,F811
    harbor = catalog.harbor.id
    food = hsds_id("need-food")
    body = client.get(f"/api/services?organization_id={harbor}&taxonomy_term_id={food}")
    assert names(body.get_json()) == ["Harbor Food Pantry"]
    body = client.get(f"/api/services?organization_id={harbor}&taxonomy_id={NEED_AREAS}")
    assert names(body.get_json()) == ["Harbor Food Pantry", "Harbor Sober House"]
    employment = hsds_id("need-employment")
    body = client.get(f"/api/services?organization_id={harbor}&taxonomy_term_id={employment}")
    assert body.get_json()["total_items"] == 0


def test_modified_after_counts_record_verification_and_capacity_changes(client, catalog):  # noqa: ANN001,ANN201,F811
    long_ago = utcnow() - timedelta(days=30)
    db.session.execute(update(Service).values(updated_at=long_ago))
    db.session.commit()
    since = (utcnow() - timedelta(days=7)).isoformat()
    body = client.get("/api/services", query_string={"modified_after": since}).get_json()
    # Sober house: verified 3 days ago; jobs: capacity figure set today; pantry: nothing new.
    assert names(body) == ["Harbor Sober House", "Valley Job Placement"]


def test_search_goes_through_the_search_layer_and_ands_with_filters(client, catalog):  # noqa: ANN001,ANN201,F811
    assert names(client.get("/api/services?search=sober").get_json()) == ["Harbor Sober House"]
    valley = catalog.valley.id
    body = client.get(f"/api/services?search=sober&organization_id={valley}").get_json()
    assert body["total_items"] == 0
    sals = client.get("/api/service_at_locations?search=groceries").get_json()
    assert sal_service_names(sals) == ["Harbor Food Pantry"]
    orgs = client.get("/api/organizations?search=valley").get_json()
    assert names(orgs) == ["Valley Works"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page=abc", "page"),
        ("page=0", "page"),
        ("per_page=101", "per_page"),
        ("per_page=-1", "per_page"),
        ("taxonomy_term_id=not-a-uuid", "taxonomy_term_id"),
        ("organization_id=1234", "organization_id"),
        ("modified_after=yesterday", "modified_after"),
        ("minimal=perhaps", "minimal"),
        ("format=xml", "format"),
    ],
)
def test_bad_parameters_get_a_problem_naming_them(client, catalog, query, parameter):  # noqa: ANN001,ANN201,F811
    response = client.get(f"/api/services?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["parameter"] == parameter


@pytest.mark.parametrize(
    "url",
    [
        "/api/service_at_locations?proximity=1000",
        "/api/service_at_locations?postcode=00000&proximity=1000",
        "/api/service_at_locations?postcode=06103&proximity=-5",
        "/api/taxonomy_terms?parent_id=x",
        "/api/organizations?full_service=maybe",
    ],
)
def test_bad_parameters_on_other_lists(client, catalog, url) -> None:  # noqa: ANN001,F811
    response = client.get(url)
    assert response.status_code == 400
    assert response.get_json()["parameter"]


@pytest.mark.parametrize(
    "kind", ["services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms"]
)
@pytest.mark.parametrize("id_", ["3f0b3c52-0000-4000-8000-000000000000", "not-an-id"])
def test_unknown_ids_are_404_problems(client, catalog, kind, id_) -> None:  # noqa: ANN001,F811
    response = client.get(f"/api/{kind}/{id_}")
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_every_item_endpoint_finds_what_its_list_lists(client, catalog) -> None:  # noqa: ANN001,F811
    for kind in ("services", "organizations", "service_at_locations", "taxonomies",
                 "taxonomy_terms"):  # fmt: skip
        first = client.get(f"/api/{kind}?per_page=1").get_json()["contents"][0]
        one = client.get(f"/api/{kind}/{first['id']}")
        assert one.status_code == 200, kind
        assert one.get_json()["id"] == first["id"]


def test_ndjson_streams_every_result_without_paging(client, catalog) -> None:  # noqa: ANN001,F811
    response = client.get("/api/services?format=ndjson&per_page=1")
    assert response.status_code == 200
    assert response.mimetype == "application/x-ndjson"
    lines = response.get_data(as_text=True).strip().split("\n")
    assert [json.loads(line)["name"] for line in lines] == [
        "Harbor Food Pantry", "Harbor Sober House", "Valley Job Placement"
    ]  # fmt: skip
    sals = client.get("/api/service_at_locations?format=ndjson&full=true").get_data(as_text=True)
    assert len(sals.strip().split("\n")) == 3
    assert "capacities" in json.loads(sals.split("\n")[0])["service"]


def test_minimal_and_full(client, catalog) -> None:  # noqa: ANN001,F811
    minimal = client.get("/api/services?minimal=true").get_json()["contents"]
    assert all(set(item) == {"id", "last_modified"} for item in minimal)
    listed = client.get("/api/services").get_json()["contents"][0]
    assert "service_at_locations" not in listed
    full = client.get("/api/services?full=true").get_json()["contents"]
    sober = next(s for s in full if s["name"] == "Harbor Sober House")
    assert sober["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "06103"
    assert sober["languages"][0]["code"] == "es"
    assert sober["schedules"][0]["opens_at"] == "09:00:00"


def test_service_carries_capacity_and_profile_extensions(client, catalog) -> None:  # noqa: ANN001,F811
    sober = client.get(f"/api/services/{catalog.sober_house.id}").get_json()
    assert sober["capacities"][0]["available"] == 2
    assert sober["capacities"][0]["unit"]["identifier"] == "bed"
    assert sober["x_partners_capacity_status"] == "has_room"
    rules = {r["criterion"]: r["answer"] for r in sober["x_partners_eligibility"]}
    assert rules == {"mat_allowed": "yes", "sex_offense_registry": "no"}
    verified = catalog.sober_house.last_verified_at
    assert sober["assured_date"] == local_date(verified).isoformat()
    assert "assurer_email" not in sober
    need_terms = {a["taxonomy_term"]["code"] for a in sober["attributes"]}
    assert need_terms == {"housing", "housing.recovery"}

    jobs = client.get(f"/api/services/{catalog.jobs.id}").get_json()
    assert jobs["capacities"] == []  # HSDS needs a count; ours is only "waitlist"
    assert jobs["x_partners_capacities"][0]["status"] == "waitlist"
    assert jobs["x_partners_capacity_status"] == "waitlist"


def test_proximity_is_in_metres_from_the_postcode_centroid(client, catalog) -> None:  # noqa: ANN001,F811
    centre = offline_lookup("06103")
    metres_to_hartford = distance_miles((centre.lat, centre.lon), catalog_point()) * 1609.344
    assert 50 < metres_to_hartford < 5000
    near = client.get(
        f"/api/service_at_locations?postcode=06103&proximity={metres_to_hartford + 50}"
    )
    body = near.get_json()
    assert sorted(sal_service_names(body)) == ["Harbor Food Pantry", "Harbor Sober House"]
    assert all(abs(i["x_partners_distance_m"] - metres_to_hartford) < 1 for i in body["contents"])
    too_short = client.get(
        f"/api/service_at_locations?postcode=06103&proximity={metres_to_hartford - 50}"
    )
    assert too_short.get_json()["total_items"] == 0
    wide = client.get("/api/service_at_locations?postcode=06103&proximity=100000").get_json()
    assert sal_service_names(wide)[-1] == "Valley Job Placement"  # nearest first


def catalog_point() -> tuple[float, float]:
    from tests.interop.hsds_helpers import HARTFORD

    return HARTFORD


def test_postcode_alone_matches_addresses(client, catalog) -> None:  # noqa: ANN001,F811
    body = client.get("/api/service_at_locations?postcode=06510").get_json()
    assert sal_service_names(body) == ["Valley Job Placement"]


def test_taxonomy_terms_filters(client, catalog) -> None:  # noqa: ANN001,F811
    housing = hsds_id("need-housing")
    children = client.get(f"/api/taxonomy_terms?parent_id={housing}&per_page=100").get_json()
    codes = {t["code"] for t in children["contents"]}
    assert "housing.recovery" in codes and "housing" not in codes
    top = client.get(f"/api/taxonomy_terms?taxonomy_id={NEED_AREAS}&top_only=true&per_page=100")
    top_codes = [t["code"] for t in top.get_json()["contents"]]
    assert "housing" in top_codes and "housing.recovery" not in top_codes
    one = client.get(f"/api/taxonomy_terms/{housing}").get_json()
    assert one["name"] == "Housing"
    assert one["taxonomy_detail"]["id"] == NEED_AREAS


def test_organization_full_service_nests_full_services(client, catalog) -> None:  # noqa: ANN001,F811
    org = client.get(f"/api/organizations/{catalog.harbor.id}?full_service=true").get_json()
    assert {s["name"] for s in org["services"]} == {"Harbor Food Pantry", "Harbor Sober House"}
    assert all("service_at_locations" in s for s in org["services"])
    assert org["locations"][0]["addresses"][0]["city"] == "Hartford"
    listed = client.get("/api/organizations?full=true").get_json()["contents"]
    assert all("services" in o for o in listed)
