"""Editing the catalog: happy paths for providers and admins, and who may edit what."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.directory.models import Location, Organization, Service, TaxonomyTerm
from app.directory.services import ServiceData, create_service, normalize_us_phone
from app.directory.vocabulary import ServiceStatus
from app.extensions import db
from app.seeding.taxonomy import load_taxonomies
from tests import factories


@pytest.fixture
def taxonomy(db):  # noqa: ANN001,ANN201
    load_taxonomies()
    db.session.commit()


def service_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Re-entry Housing",
        "description": "Beds for men leaving prison.",
        "status": "active",
        "phones-0-number": "860-555-0142",
        "phones-0-type": "voice",
    }
    data.update(overrides)
    return data


def location_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Main house",
        "address_1": "12 Elm Street",
        "city": "New Haven",
        "region": "New Haven County",
        "state_province": "ct",
        "postal_code": "06510",
    }
    data.update(overrides)
    return data


def test_provider_edits_own_service(client, login, taxonomy):
    org = factories.make_organization()
    location = factories.make_location(org, town="Hartford", name="Office")
    service = factories.make_service(org, name="Old Name")
    oe_term = db.session.get(TaxonomyTerm, "oe-1152")
    service.taxonomy_terms.append(oe_term)
    service.taxonomy_terms.append(db.session.get(TaxonomyTerm, "need-food"))
    db.session.commit()
    login(factories.make_user(Role.PROVIDER, organizations=[org]))

    form = client.get(f"/directory/services/{service.id}/edit")
    assert form.status_code == 200
    assert 'value="Old Name"' in form.get_data(as_text=True)

    response = client.post(
        f"/directory/services/{service.id}/edit",
        data=service_form(
            name="New Name",
            status="temporarily closed",
            alert="Closed for repairs until May 3",
            need_areas=["need-housing.transitional", "need-employment"],
            locations=[location.id],
            **{
                "phones-0-number": "(203) 555-0188",
                "phones-0-extension": "7",
                "phones-1-number": "2035550199",
                "phones-1-type": "fax",
            },
            email="intake@example.org",
            url="https://example.org/housing",
            languages=["en", "es", "ase"],
            documents="State ID\n\n  Social Security card  \n",
            fees="Sliding scale",
            application_process="Call for an intake interview.",
            minimum_age="18",
            maximum_age="64",
            eligibility_description="Men only.",
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    factories.reload(service)
    assert service.name == "New Name"
    assert service.status == ServiceStatus.TEMPORARILY_CLOSED
    assert service.alert == "Closed for repairs until May 3"
    assert {t.id for t in service.taxonomy_terms} == {
        "oe-1152",
        "need-housing.transitional",
        "need-employment",
    }
    assert [sal.location_id for sal in service.service_at_locations] == [location.id]
    assert sorted((p.number, p.extension, p.type) for p in service.phones) == [
        ("(203) 555-0188", "7", "voice"),
        ("(203) 555-0199", None, "fax"),
    ]
    assert sorted(lang.code for lang in service.languages) == ["ase", "en", "es"]
    assert [d.document for d in service.required_documents] == [
        "State ID",
        "Social Security card",
    ]
    assert (service.minimum_age, service.maximum_age) == (18, 64)
    assert service.fees_description == "Sliding scale"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Service details saved." in page
    assert "Closed for repairs until May 3" in page
    assert "American Sign Language" in page
    assert "Social Security card" in page


def test_admin_creates_organization_location_and_service(client, login, taxonomy):
    admin = factories.make_user(Role.ADMIN)
    login(admin)
    assert client.get("/directory/organizations/new").status_code == 200
    response = client.post(
        "/directory/organizations/new",
        data={
            "name": "New Haven Re-entry Partners",
            "description": "Housing and jobs.",
            "phone": "203 555 0111",
            "email": "info@example.org",
            "website": "https://example.org",
            "year_incorporated": "1998",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    org = db.session.scalar(select(Organization).where(Organization.name.like("New Haven%")))
    assert [p.number for p in org.phones] == ["(203) 555-0111"]
    assert org.year_incorporated == 1998

    response = client.post(f"/directory/organizations/{org.id}/locations/new", data=location_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    location = db.session.scalar(select(Location).where(Location.organization_id == org.id))
    assert location.address.city == "New Haven"
    assert location.address.state_province == "CT"
    assert location.address.region == "New Haven County"

    form = client.get(f"/directory/organizations/{org.id}/services/new").get_data(as_text=True)
    assert "Main house (New Haven)" in form
    assert "Housing: Transitional and halfway housing" in form
    response = client.post(
        f"/directory/organizations/{org.id}/services/new",
        data=service_form(need_areas=["need-housing"], locations=[location.id]),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    service = db.session.scalar(select(Service).where(Service.organization_id == org.id))
    assert service.name == "Re-entry Housing"
    assert [t.id for t in service.need_areas] == ["need-housing"]
    assert [loc.id for loc in service.locations] == [location.id]
    assert [p.number for p in service.phones] == ["(860) 555-0142"]

    page = client.get(f"/directory/organizations/{org.id}").get_data(as_text=True)
    assert "Re-entry Housing" in page and "Main house" in page
    assert "(203) 555-0111" in page


def test_provider_edits_own_organization_and_location(client, login):
    org = factories.make_organization(name="Before")
    location = factories.make_location(org)
    login(factories.make_user(Role.PROVIDER, organizations=[org]))
    response = client.post(
        f"/directory/organizations/{org.id}/edit", data={"name": "After", "phone": ""}
    )
    assert response.status_code == 302
    assert factories.reload(org).name == "After"
    response = client.post(
        f"/directory/locations/{location.id}/edit",
        data=location_form(postal_code="06511-1234", latitude="41.3", longitude="-72.9"),
    )
    assert response.status_code == 302
    factories.reload(location)
    assert location.address.postal_code == "06511-1234"
    assert (location.latitude, location.longitude) == (41.3, -72.9)
    assert len(location.addresses) == 1


def test_provider_cannot_create_organizations(client, login):
    org = factories.make_organization()
    login(factories.make_user(Role.PROVIDER, organizations=[org]))
    assert client.get("/directory/organizations/new").status_code == 403
    assert client.post("/directory/organizations/new", data={"name": "X"}).status_code == 403


def _foreign_pages(org, service, location):  # noqa: ANN001,ANN202
    return [
        (f"/directory/organizations/{org.id}/edit", {"name": "Hijacked"}),
        (f"/directory/organizations/{org.id}/services/new", service_form(name="Hijacked")),
        (f"/directory/organizations/{org.id}/locations/new", location_form(name="Hijacked")),
        (f"/directory/services/{service.id}/edit", service_form(name="Hijacked")),
        (f"/directory/services/{service.id}/hours", {"mo_mode": "24h"}),
        (f"/directory/locations/{location.id}/edit", location_form(name="Hijacked")),
    ]


def test_provider_gets_403_on_another_organizations_pages(client, login):
    org_b = factories.make_organization(name="Org B")
    location = factories.make_location(org_b, name="B site")
    service = factories.make_service(org_b, name="B service", location=location)
    org_a = factories.make_organization(name="Org A")
    login(factories.make_user(Role.PROVIDER, organizations=[org_a]))
    for url, data in _foreign_pages(org_b, service, location):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data=data).status_code == 403, url
    assert factories.reload(org_b).name == "Org B"
    assert factories.reload(service).name == "B service"
    assert factories.reload(location).name == "B site"
    assert factories.reload(service).schedules == []
    assert db.session.scalar(select(Service).where(Service.name == "Hijacked")) is None


@pytest.mark.parametrize("role", [Role.COUNSELOR, Role.ANALYST])
def test_read_only_roles_cannot_edit(client, login, role):
    org = factories.make_organization()
    location = factories.make_location(org)
    service = factories.make_service(org, location=location)
    login(factories.make_user(role))
    for url, data in _foreign_pages(org, service, location):
        assert client.post(url, data=data).status_code == 403, url


def test_service_form_rejects_a_location_of_another_organization(client, login):
    org = factories.make_organization()
    other_location = factories.make_location(factories.make_organization())
    service = factories.make_service(org)
    login(factories.make_user(Role.PROVIDER, organizations=[org]))
    response = client.post(
        f"/directory/services/{service.id}/edit",
        data=service_form(locations=[other_location.id]),
    )
    assert response.status_code == 422
    assert factories.reload(service).service_at_locations == []


def test_create_service_is_callable_without_a_request(db):
    org = factories.make_organization()
    location = factories.make_location(org)
    service = create_service(
        org, ServiceData(name="Direct", location_ids=[location.id], languages=["pl"])
    )
    db.session.commit()
    assert factories.reload(service).locations == [location]
    assert [lang.name for lang in service.languages] == ["Polish"]


def test_phone_numbers_are_formatted_and_fictional_range_accepted():
    assert normalize_us_phone("860.555.0100") == "(860) 555-0100"
    assert normalize_us_phone("+1 203 555 0199") == "(203) 555-0199"
    assert normalize_us_phone("(860) 240-1234") == "(860) 240-1234"
    for bad in ("123", "555-0100", "123-555-0100", "860-555-01", "+44 20 7946 0958", "call us"):
        with pytest.raises(ValueError):
            normalize_us_phone(bad)
