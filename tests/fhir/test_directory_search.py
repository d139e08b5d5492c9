"""FHIR search on the directory: HealthcareService (name, service-category, organization,
location, active), Organization (name, active) and Location (address-city) answer searchset
Bundles with paging links and _count, to every token holder as the reads do; bad values are a 400
OperationOutcome; unknown parameters are ignored (and left out of the self link) unless the
request prefers strict handling; the CapabilityStatement lists every parameter."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from fhirclient.models.bundle import Bundle

from app.accounts.models import Role
from app.directory.vocabulary import ServiceStatus
from app.extensions import db
from app.fhir.canonical import code_system
from app.fhir.sdoh_category import SDOHCC_CATEGORY_SYSTEM
from tests import factories
from tests.fhir.test_references import headers
from tests.interop.hsds_helpers import catalog, index_dir, taxonomy  # noqa: F401


@pytest.fixture
def h(catalog):  # noqa: ANN001,ANN201,F811
    return headers(factories.make_user(Role.COUNSELOR, facility=factories.make_facility()))


def found(client, url: str, h: dict, **extra) -> dict:  # noqa: ANN001,ANN003
    response = client.get(url, headers={**h, **extra})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/fhir+json"
    body = response.get_json(force=True)
    Bundle(body, strict=True)  # an independent R4 library reads every entry
    assert body["type"] == "searchset"
    return body


def names(body: dict) -> list[str]:
    return [e["resource"]["name"] for e in body.get("entry", [])]


def links(body: dict) -> dict[str, list[tuple[str, str]]]:
    return {link["relation"]: parse_qsl(urlsplit(link["url"]).query) for link in body["link"]}


def test_healthcare_service_search_by_each_parameter(client, catalog, h) -> None:  # noqa: ANN001,F811
    every = found(client, "/fhir/HealthcareService", h)
    assert names(every) == ["Harbor Food Pantry", "Harbor Sober House", "Valley Job Placement"]
    assert every["total"] == 3
    assert every["entry"][0]["fullUrl"].endswith(f"/fhir/HealthcareService/{catalog.pantry.id}")
    # name: starts with, case-insensitive; :contains anywhere; :exact whole and case-sensitive
    assert names(found(client, "/fhir/HealthcareService?name=harbor", h)) == [
        "Harbor Food Pantry", "Harbor Sober House"]  # fmt: skip
    assert names(found(client, "/fhir/HealthcareService?name:contains=PANTRY", h)) == [
        "Harbor Food Pantry"]  # fmt: skip
    assert names(found(client, "/fhir/HealthcareService?name:exact=harbor food pantry", h)) == []
    assert names(found(client, "/fhir/HealthcareService?name=harbor%25", h)) == []  # % is text
    # service-category: our need-area code, with or without its system, or the SDOHCC category
    for query in ("food", f"{code_system('need-area')}|food",
                  f"{SDOHCC_CATEGORY_SYSTEM}|food-insecurity", "food-insecurity"):  # fmt: skip
        body = found(client, f"/fhir/HealthcareService?service-category={query}", h)
        assert names(body) == ["Harbor Food Pantry"], query
    assert names(found(client, "/fhir/HealthcareService?service-category=food,employment", h)) == [
        "Harbor Food Pantry", "Valley Job Placement"]  # fmt: skip
    assert names(found(client, "/fhir/HealthcareService?service-category=knitting", h)) == []
    # organization and location: Kind/<id> or the id; repeated parameters are "and"
    harbor = f"Organization/{catalog.harbor.id}"
    assert names(found(client, f"/fhir/HealthcareService?organization={harbor}", h)) == [
        "Harbor Food Pantry", "Harbor Sober House"]  # fmt: skip
    url = (f"/fhir/HealthcareService?location={catalog.new_haven.id}"
           f"&organization={catalog.valley.id}")  # fmt: skip
    assert names(found(client, url, h)) == ["Valley Job Placement"]
    url = f"/fhir/HealthcareService?location=Location/{catalog.new_haven.id}&name=harbor"
    assert names(found(client, url, h)) == []
    # active follows the service's status, in the resource and in the search
    catalog.jobs.status = ServiceStatus.TEMPORARILY_CLOSED
    db.session.commit()
    closed = found(client, "/fhir/HealthcareService?active=false", h)
    assert names(closed) == ["Valley Job Placement"]
    assert closed["entry"][0]["resource"]["active"] is False
    assert len(names(found(client, "/fhir/HealthcareService?active=true", h))) == 2
    # the category says our need area and its SDOHCC category
    pantry = found(client, "/fhir/HealthcareService?name=harbor food", h)["entry"][0]["resource"]
    codes = {(c["system"], c["code"]) for c in pantry["category"][0]["coding"]}
    assert codes == {(code_system("need-area"), "food"),
                     (SDOHCC_CATEGORY_SYSTEM, "food-insecurity")}  # fmt: skip


def test_organization_and_location_search(client, catalog, h) -> None:  # noqa: ANN001,F811
    assert names(found(client, "/fhir/Organization?name=valley", h)) == ["Valley Works"]
    assert found(client, "/fhir/Organization?active=true", h)["total"] == 2
    assert found(client, "/fhir/Organization?active=false", h)["total"] == 0
    body = found(client, "/fhir/Location?address-city=new", h)
    assert [e["resource"]["id"] for e in body["entry"]] == [catalog.new_haven.id]
    assert body["entry"][0]["resource"]["address"]["city"] == "New Haven"
    assert found(client, "/fhir/Location?address-city:exact=Hartford", h)["total"] == 1
    assert found(client, "/fhir/Location?address-city:exact=hartford", h)["total"] == 0


def test_paging_links_and_count(client, catalog, h) -> None:  # noqa: ANN001,F811
    first = found(client, "/fhir/HealthcareService?name=h&_count=1", h)
    assert first["total"] == 2 and names(first) == ["Harbor Food Pantry"]
    got = links(first)
    assert got["self"] == [("name", "h"), ("_count", "1")]
    assert got["next"] == [("name", "h"), ("_count", "1"), ("page", "2")]
    assert "previous" not in got
    next_url = next(link["url"] for link in first["link"] if link["relation"] == "next")
    second = client.get(next_url, headers=h).get_json(force=True)
    assert names(second) == ["Harbor Sober House"]
    assert "next" not in links(second) and links(second)["previous"][-1] == ("page", "1")


def test_bad_values_are_a_400_operation_outcome(client, catalog, h) -> None:  # noqa: ANN001,F811
    for query in ("HealthcareService?active=maybe", "HealthcareService?_count=0",
                  "HealthcareService?_count=201", "HealthcareService?page=x",
                  "HealthcareService?organization=Location/abc",
                  f"HealthcareService?location={'x' * 40}", "HealthcareService?name:fuzzy=a",
                  "HealthcareService?active:not=true", "Organization?active=yes",
                  f"Location?address-city={'a' * 201}"):  # fmt: skip
        response = client.get(f"/fhir/{query}", headers=h)
        assert response.status_code == 400, query
        body = response.get_json(force=True)
        assert body["resourceType"] == "OperationOutcome", query
        assert body["issue"][0]["code"] == "invalid"


def test_unknown_parameters_lenient_by_default_strict_on_request(client, catalog, h) -> None:  # noqa: ANN001,F811
    body = found(client, "/fhir/HealthcareService?name=harbor&colour=blue&name-es=x", h)
    assert body["total"] == 2
    assert links(body)["self"] == [("name", "harbor")]  # what was ignored is not in the link
    # an empty value is ignored too
    assert found(client, "/fhir/HealthcareService?name=", h)["total"] == 3
    strict = client.get("/fhir/HealthcareService?name=harbor&colour=blue",
                        headers={**h, "Prefer": "handling=strict"})  # fmt: skip
    assert strict.status_code == 400
    assert "colour" in strict.get_json(force=True)["issue"][0]["diagnostics"]
    lenient = found(client, "/fhir/Organization?colour=blue", h, Prefer="handling=lenient")
    assert lenient["total"] == 2


def test_same_token_rules_as_the_reads(client, catalog) -> None:  # noqa: ANN001,F811
    for path in ("HealthcareService", "Organization", "Location"):
        response = client.get(f"/fhir/{path}?name=harbor")
        assert response.status_code == 401
        assert response.get_json(force=True)["resourceType"] == "OperationOutcome"
    provider = headers(factories.make_user(Role.PROVIDER, organizations=[catalog.valley]))
    assert found(client, "/fhir/HealthcareService", provider)["total"] == 3  # the open directory
    xml = client.get("/fhir/Location", headers={**provider, "Accept": "application/fhir+xml"})
    assert xml.status_code == 406


def test_capability_statement_lists_the_search_parameters(client) -> None:  # noqa: ANN001
    meta = client.get("/fhir/metadata").get_json(force=True)
    by_type = {r["type"]: r for r in meta["rest"][0]["resource"]}
    declared = {kind: {p["name"]: p["type"] for p in by_type[kind].get("searchParam", [])}
                for kind in ("HealthcareService", "Organization", "Location")}  # fmt: skip
    assert declared["HealthcareService"] == {
        "name": "string", "service-category": "token", "organization": "reference",
        "location": "reference", "active": "token", "_count": "number"}  # fmt: skip
    assert declared["Organization"] == {"name": "string", "active": "token", "_count": "number"}
    assert declared["Location"] == {"address-city": "string", "_count": "number"}
    for kind in declared:
        assert {"code": "search-type"} in by_type[kind]["interaction"]
