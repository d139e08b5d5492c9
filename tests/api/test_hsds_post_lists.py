"""HSDS 3.1 POST list operations: the query in a JSON body, answered and validated as the GET."""

from __future__ import annotations

import pytest

from app.api.openapi import build_document
from tests.interop.hsds_helpers import catalog, index_dir, taxonomy  # noqa: F401

LISTS = ["services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms"]


@pytest.mark.parametrize("kind", LISTS)
def test_post_with_the_same_parameters_answers_as_get(client, catalog, kind: str) -> None:  # noqa: ANN001,F811
    got = client.get(f"/api/{kind}?per_page=1&page=2").get_json()
    posted = client.post(f"/api/{kind}", json={"per_page": 1, "page": 2})
    assert posted.status_code == 200, posted.get_json()
    assert posted.get_json() == got


def test_post_without_a_body_lists_everything(client, catalog) -> None:  # noqa: ANN001,F811
    body = client.post("/api/services").get_json()
    assert body["total_items"] == 3


def test_post_filters_and_flags_come_from_the_body(client, catalog) -> None:  # noqa: ANN001,F811
    org_id = catalog.valley.id
    body = client.post(
        "/api/services", json={"organization_id": org_id, "full": True, "search": ""}
    ).get_json()
    assert [s["name"] for s in body["contents"]] == [
        s.name for s in sorted(catalog.valley.services, key=lambda s: s.name)
    ]
    assert all("service_at_locations" in s for s in body["contents"])  # full objects
    minimal = client.post("/api/services", json={"minimal": True}).get_json()
    assert set(minimal["contents"][0]) == {"id", "last_modified"}


def test_post_streams_ndjson_too(client, catalog) -> None:  # noqa: ANN001,F811
    response = client.post("/api/taxonomy_terms", json={"format": "ndjson"})
    assert response.mimetype == "application/x-ndjson"
    assert len(response.get_data(as_text=True).splitlines()) >= 3


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"page": "2"}, "page"),
        ({"page": 0}, "page"),
        ({"per_page": 2.5}, "per_page"),
        ({"full": "yes"}, "full"),
        ({"taxonomy_id": ""}, "taxonomy_id"),
        ({"organization_id": "not-a-uuid"}, "organization_id"),
        ({"modified_after": 12}, "modified_after"),
        ({"format": "xml"}, "format"),
        ({"search": ["a", "b"]}, "search"),
    ],
)
def test_bad_body_members_answer_400_naming_them(client, catalog, body, parameter) -> None:  # noqa: ANN001,F811
    response = client.post("/api/services", json=body)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["parameter"] == parameter


def test_a_body_that_is_not_a_json_object_answers_400(client, catalog) -> None:  # noqa: ANN001,F811
    for data, mimetype in (("[1]", "application/json"), ("page=2", "text/plain")):
        response = client.post("/api/taxonomies", data=data, content_type=mimetype)
        assert response.status_code == 400
        assert response.get_json()["parameter"] == "body"


def test_a_parameter_in_both_query_and_body_is_refused(client, catalog) -> None:  # noqa: ANN001,F811
    response = client.post("/api/services?page=1", json={"page": 2})
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "page"
    split = client.post("/api/services?per_page=1", json={"page": 2}).get_json()
    assert split["page_number"] == 2 and split["size"] == 1


def test_unknown_body_members_are_ignored(client, catalog) -> None:  # noqa: ANN001,F811
    response = client.post("/api/services", json={"colour": {"any": "thing"}})
    assert response.status_code == 200


def test_the_document_describes_each_post_variant(app) -> None:  # noqa: ANN001
    paths = build_document()["paths"]
    for kind in LISTS:
        post = paths[f"/{kind}"]["post"]
        get = paths[f"/{kind}"]["get"]
        assert post["operationId"] == get["operationId"] + "Post"
        schema = post["requestBody"]["content"]["application/json"]["schema"]
        assert set(schema["properties"]) == {p["name"] for p in get["parameters"]}
        assert post["responses"]["200"] == get["responses"]["200"]
        assert "400" in post["responses"]
    body = paths["/services"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["page"]["type"] == "integer"
    assert body["properties"]["full"]["type"] == "boolean"


def test_a_control_character_in_the_body_answers_400_naming_the_parameter(client, catalog) -> None:  # noqa: ANN001,F811
    response = client.post("/api/services", json={"search": "a\x00b"})
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "search"
    deep: dict = {}
    for _ in range(40):
        deep = {"x": deep}
    response = client.post("/api/services", json=deep)
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "body"
