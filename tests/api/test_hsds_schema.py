"""Every object type the API returns validates against our copies of the HSDS 3.0 schemas
(formats checked: uuid, email, date-time), extensions included."""

from __future__ import annotations

import json

import pytest

from tests.interop.hsds_helpers import (  # noqa: F401
    catalog,
    index_dir,
    nested_validator,
    schema_errors,
    taxonomy,
    validator,
)

LISTS = [
    ("/api/services", "service_list.json"),
    ("/api/services?full=true", "service.json"),
    ("/api/organizations", "organization_list.json"),
    ("/api/organizations?full=true", "organization.json"),
    ("/api/organizations?full_service=true", "organization.json"),
    ("/api/service_at_locations", "service_at_location_list.json"),
    ("/api/service_at_locations?full=true", "service_at_location.json"),
    ("/api/service_at_locations?postcode=06103&proximity=80000", "service_at_location_list.json"),
]


@pytest.mark.parametrize(("url", "schema"), LISTS)
def test_list_items_validate(client, catalog, url, schema) -> None:  # noqa: ANN001,F811
    body = client.get(url + ("&" if "?" in url else "?") + "per_page=100").get_json()
    assert body["contents"], url
    for item in body["contents"]:
        assert schema_errors(validator(schema), item) == []


@pytest.mark.parametrize(
    ("kind", "schema"),
    [
        ("services", "service.json"),
        ("organizations", "organization.json"),
        ("service_at_locations", "service_at_location.json"),
    ],
)
def test_single_objects_validate(client, catalog, kind, schema) -> None:  # noqa: ANN001,F811
    for item in client.get(f"/api/{kind}?per_page=100").get_json()["contents"]:
        one = client.get(f"/api/{kind}/{item['id']}").get_json()
        assert schema_errors(validator(schema), one) == []


@pytest.mark.parametrize("kind", ["taxonomy", "taxonomy_term"])
def test_taxonomies_and_terms_validate(client, catalog, kind) -> None:  # noqa: ANN001,F811
    url = "/api/taxonomies" if kind == "taxonomy" else "/api/taxonomy_terms"
    items = client.get(f"{url}?per_page=100").get_json()["contents"]
    assert items
    for item in items:
        assert schema_errors(nested_validator(kind), item) == []
        one = client.get(f"{url}/{item['id']}").get_json()
        assert schema_errors(nested_validator(kind), one) == []


def test_ndjson_lines_validate(client, catalog) -> None:  # noqa: ANN001,F811
    text = client.get("/api/services?format=ndjson&full=true").get_data(as_text=True)
    for line in text.strip().split("\n"):
        assert schema_errors(validator("service.json"), json.loads(line)) == []


def test_validation_would_catch_a_broken_object(client, catalog) -> None:  # noqa: ANN001,F811
    service = client.get(f"/api/services/{catalog.sober_house.id}").get_json()
    service["id"] = "need-housing"  # not a uuid
    del service["status"]
    assert len(schema_errors(validator("service.json"), service)) == 2
