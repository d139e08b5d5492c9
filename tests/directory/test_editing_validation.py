"""Bad input on the editing forms: 422, the message on the page, values kept, nothing saved."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.directory.models import Location, Organization, Service
from app.extensions import db
from tests import factories
from tests.directory.test_editing import location_form, service_form


def count(model) -> int:  # noqa: ANN001
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def provider_setup(login):  # noqa: ANN001,ANN201
    org = factories.make_organization(name="Own Org")
    location = factories.make_location(org, name="Own site")
    service = factories.make_service(org, name="Own Service", location=location)
    login(factories.make_user(Role.PROVIDER, organizations=[org]))
    return org, service, location


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"phones-0-number": "555-12"}, "Enter a US phone number with area code"),
        ({"phones-1-extension": "12"}, "Enter the number for this extension."),
        ({"email": "not-an-address"}, "Enter an e-mail address like name@example.org."),
        ({"url": "javascript:alert(1)"}, "Enter a full web address starting with https://"),
        (
            {"minimum_age": "40", "maximum_age": "18"},
            "The maximum age must not be lower than the minimum age.",
        ),
        ({"maximum_age": "130"}, "Number must be between 0 and 120."),
        ({"alert": "x" * 501}, "Field cannot be longer than 500 characters."),
        ({"name": ""}, "This field is required."),
    ],
)
def test_service_edit_rejects_bad_input(client, provider_setup, overrides, message):
    _, service, _ = provider_setup
    data = service_form(name="Changed name", description="Changed description")
    data.update(overrides)
    response = client.post(f"/directory/services/{service.id}/edit", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert "Please fix" in page
    if overrides.get("name") != "":
        assert 'value="Changed name"' in page  # what the user typed is kept
    factories.reload(service)
    assert service.name == "Own Service"
    assert service.description == "A test service."
    assert [p.number for p in service.phones] == ["(860) 555-0100"]


def test_service_new_with_bad_phone_saves_nothing(client, provider_setup):
    org, _, _ = provider_setup
    before = count(Service)
    response = client.post(
        f"/directory/organizations/{org.id}/services/new",
        data=service_form(**{"phones-0-number": "12345"}),
    )
    assert response.status_code == 422
    assert "Enter a US phone number with area code" in response.get_data(as_text=True)
    assert count(Service) == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"postal_code": "6103"}, "Enter a 5-digit ZIP code"),
        ({"postal_code": "06103-12"}, "Enter a 5-digit ZIP code"),
        ({"latitude": "91"}, "Latitude must be between -90 and 90."),
        ({"longitude": "-181"}, "Longitude must be between -180 and 180."),
        ({"latitude": "nan"}, "Enter a number."),
        ({"state_province": "Conn"}, "Enter the 2-letter state code"),
        ({"address_1": ""}, "This field is required."),
        ({"city": ""}, "This field is required."),
    ],
)
def test_location_forms_reject_bad_input(client, provider_setup, overrides, message):
    org, _, location = provider_setup
    before = count(Location)
    response = client.post(
        f"/directory/organizations/{org.id}/locations/new", data=location_form(**overrides)
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Location) == before

    response = client.post(
        f"/directory/locations/{location.id}/edit", data=location_form(**overrides)
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    factories.reload(location)
    assert location.name == "Own site"
    assert location.address.city == "Hartford"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"phone": "860-555"}, "Enter a US phone number with area code"),
        ({"email": "info@"}, "Enter an e-mail address like name@example.org."),
        ({"year_incorporated": "1700"}, "Enter a year from 1800 to"),
        ({"website": "example.org"}, "Enter a full web address starting with https://"),
    ],
)
def test_organization_forms_reject_bad_input(client, login, overrides, message):
    org = factories.make_organization(name="Kept Name")
    login(factories.make_user(Role.ADMIN))
    before = count(Organization)
    data = {"name": "Brand New Org", **overrides}
    response = client.post("/directory/organizations/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(Organization) == before

    response = client.post(f"/directory/organizations/{org.id}/edit", data=data)
    assert response.status_code == 422
    assert 'value="Brand New Org"' in response.get_data(as_text=True)
    assert factories.reload(org).name == "Kept Name"
