"""Staff directory pages: browse with filters and pages, the service and organization pages,
and marking a service verified."""

from __future__ import annotations

import re

import pytest

from app.accounts.models import Role
from app.common import utcnow
from app.directory.models import Phone, TaxonomyTerm
from app.directory.vocabulary import ServiceStatus
from app.extensions import db
from app.seeding.taxonomy import load_taxonomies
from app.templating import format_date
from tests import factories


@pytest.fixture
def taxonomy(db):  # noqa: ANN001,ANN201
    load_taxonomies()
    db.session.commit()


def tag(service, *codes: str):  # noqa: ANN001,ANN201
    for code in codes:
        service.taxonomy_terms.append(db.session.get(TaxonomyTerm, f"need-{code}"))
    db.session.commit()
    return service


def names(page: str) -> list[str]:
    """Service names linked from result rows, in order."""
    return re.findall(r'<h3><a href="/directory/services/[^"]+">([^<]+)</a>', page)


@pytest.fixture
def counselor(login):  # noqa: ANN001,ANN201
    user = factories.make_user(Role.COUNSELOR)
    login(user)
    return user


def test_browse_filters_by_need_area_including_children(client, taxonomy, counselor):
    tag(factories.make_service(name="Halfway House"), "housing.transitional")
    tag(factories.make_service(name="Shelter"), "housing")
    tag(factories.make_service(name="Food Pantry"), "food")
    page = client.get("/directory/?need=housing").get_data(as_text=True)
    assert names(page) == ["Halfway House", "Shelter"]
    assert "2 services" in page
    page = client.get("/directory/?need=housing.transitional").get_data(as_text=True)
    assert names(page) == ["Halfway House"]
    # Counts in the need-area list roll children up into their parent.
    assert "Housing (2)" in page
    assert "Food (1)" in page


def test_browse_filters_by_town_case_insensitively(client, counselor):
    org = factories.make_organization()
    hartford = factories.make_location(org, town="Hartford")
    bridgeport = factories.make_location(org, town="Bridgeport")
    factories.make_service(org, name="In Hartford", location=hartford)
    factories.make_service(org, name="In Bridgeport", location=bridgeport)
    factories.make_service(org, name="Nowhere")
    page = client.get("/directory/?town=hARTford").get_data(as_text=True)
    assert names(page) == ["In Hartford"]
    assert 'value="hARTford"' in page


def test_browse_filters_by_name(client, counselor):
    factories.make_service(name="Sober House North")
    factories.make_service(name="Job Club")
    factories.make_service(name="100% Employment")
    page = client.get("/directory/?q=sober").get_data(as_text=True)
    assert names(page) == ["Sober House North"]
    # LIKE wildcards typed by the user are matched literally.
    assert names(client.get("/directory/?q=%25").get_data(as_text=True)) == ["100% Employment"]


def test_browse_hides_closed_services_unless_asked_and_labels_them(client, counselor):
    factories.make_service(name="Open Program")
    factories.make_service(name="Paused Program", status=ServiceStatus.TEMPORARILY_CLOSED)
    factories.make_service(name="Old Program", status=ServiceStatus.INACTIVE)
    assert names(client.get("/directory/").get_data(as_text=True)) == ["Open Program"]
    page = client.get("/directory/?status=all").get_data(as_text=True)
    assert names(page) == ["Old Program", "Open Program", "Paused Program"]
    assert "Temporarily closed</span>" in page
    assert "Inactive</span>" in page


def row(page: str, name: str) -> str:
    """The HTML of the result row for one service."""
    start = page.index(f">{name}</a>")
    return page[start : page.index("</article>", start)]


def test_browse_row_shows_org_town_verification_and_sample_badge(client, taxonomy, counselor):
    org = factories.make_organization(name="Sample Org", is_sample=True)
    location = factories.make_location(org, town="Waterbury")
    tag(factories.make_service(org, name="Row Service", location=location), "food", "clothing")
    verified = factories.make_service(name="Checked Service", last_verified_at=utcnow())
    page = client.get("/directory/").get_data(as_text=True)
    sample_row = row(page, "Row Service")
    assert "Sample Org" in sample_row
    assert "<dd>Waterbury</dd>" in sample_row
    assert "<dd>Clothing, Food</dd>" in sample_row
    assert "Never verified" in sample_row
    assert "Sample data" in sample_row
    checked_row = row(page, "Checked Service")
    assert format_date(verified.last_verified_at) in checked_row
    assert "Never verified" not in checked_row
    assert "Sample data" not in checked_row


def test_browse_paginates_25_per_page_and_keeps_filters(client, counselor):
    for n in range(30):
        factories.make_service(name=f"Reentry Program {n:02d}")
    factories.make_service(name="Something Else")
    first = client.get("/directory/?q=reentry").get_data(as_text=True)
    assert len(names(first)) == 25
    assert "30 services" in first
    assert 'href="/directory/?q=reentry&amp;page=2"' in first
    second = client.get("/directory/?q=reentry&page=2").get_data(as_text=True)
    assert names(second) == [f"Reentry Program {n}" for n in range(25, 30)]
    assert 'href="/directory/?q=reentry"' in second  # previous page link, filters kept
    # A page past the end shows the last page rather than an error.
    assert names(client.get("/directory/?q=reentry&page=99").get_data(as_text=True)) == names(
        second
    )


def test_browse_needs_sign_in(client):
    response = client.get("/directory/")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_service_page_shows_details_phones_and_locations(client, taxonomy, counselor):
    org = factories.make_organization(name="Bridge Org")
    location = factories.make_location(org, town="Bridgeport", name="Main house")
    service = factories.make_service(
        org,
        name="Bridge Housing",
        location=location,
        alert="No intakes on Fridays",
        status=ServiceStatus.TEMPORARILY_CLOSED,
        fees_description="Free",
        application_process="Call and ask for intake",
    )
    service.phones.append(Phone(number="2035550123", extension="12", type="tty"))
    service.taxonomy_terms.append(db.session.get(TaxonomyTerm, "oe-1152"))
    tag(service, "housing.transitional")
    response = client.get(f"/directory/services/{service.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Status: Temporarily closed." in page
    assert "No intakes on Fridays" in page
    assert 'href="tel:+18605550100">(860) 555-0100</a>' in page
    assert 'href="tel:+12035550123">(203) 555-0123</a> ext. 12 (TTY)' in page
    assert "Main house" in page
    assert "Bridgeport, CT 06103" in page
    assert "https://www.openstreetmap.org/search?query=" in page
    assert "Transitional and halfway housing" in page
    assert "Open Eligibility:" in page
    assert "Free" in page and "Call and ask for intake" in page
    assert f'href="/directory/organizations/{org.id}"' in page
    assert "<script" not in page
    # Counselors read; they get no edit links.
    assert "Edit this service" not in page


def test_organization_page_lists_services_and_locations(client, counselor):
    org = factories.make_organization(name="Hartford Works")
    location = factories.make_location(org, town="Hartford", name="Office")
    factories.make_service(org, name="Job Readiness", location=location)
    page = client.get(f"/directory/organizations/{org.id}").get_data(as_text=True)
    assert "Hartford Works" in page
    assert "Job Readiness" in page
    assert "Office" in page
    assert "Edit organization details" not in page


def test_provider_sees_edit_links_on_own_organization_only(client, login):
    own = factories.make_organization()
    other = factories.make_organization()
    own_service = factories.make_service(own)
    other_service = factories.make_service(other)
    login(factories.make_user(Role.PROVIDER, organizations=[own]))
    assert "Edit this service" in client.get(f"/directory/services/{own_service.id}").text
    assert "Edit this service" not in client.get(f"/directory/services/{other_service.id}").text
    assert "Add a location" in client.get(f"/directory/organizations/{own.id}").text
    assert "Add a location" not in client.get(f"/directory/organizations/{other.id}").text


def test_provider_verifies_own_service(client, login):
    org = factories.make_organization()
    service = factories.make_service(org)
    updated_before = service.updated_at
    user = factories.make_user(Role.PROVIDER, organizations=[org], name="Pat Provider")
    login(user)
    page = client.get(f"/directory/services/{service.id}").get_data(as_text=True)
    assert "Never verified" in page
    assert "Verified — still accurate" in page
    response = client.post(f"/directory/services/{service.id}/verify")
    assert response.status_code == 302
    factories.reload(service)
    assert service.last_verified_at is not None
    assert service.verified_by_id == user.id
    assert service.updated_at == updated_before
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "marked as checked and still accurate" in page
    assert "by Pat Provider" in page


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.COUNSELOR])
def test_verify_refused_to_other_provider_and_counselor(client, login, role):
    service = factories.make_service()
    other = factories.make_organization()
    login(factories.make_user(role, organizations=[other] if role == Role.PROVIDER else []))
    page = client.get(f"/directory/services/{service.id}").get_data(as_text=True)
    assert "Verified — still accurate" not in page
    assert client.post(f"/directory/services/{service.id}/verify").status_code == 403
    assert factories.reload(service).last_verified_at is None


def test_browse_query_count_does_not_grow_with_rows(client, taxonomy, counselor, app):
    from sqlalchemy import event

    org = factories.make_organization()
    for n in range(3):
        location = factories.make_location(org, town=f"Town {n}")
        service = factories.make_service(org, name=f"Service {n}", location=location)
        tag(service, "food")
        factories.make_capacity(service)

    def count_queries() -> int:
        statements = []

        def record(*args):  # noqa: ANN002,ANN202
            statements.append(args[2])

        engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            assert client.get("/directory/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(statements)

    few = count_queries()
    for n in range(3, 12):
        location = factories.make_location(org, town=f"Town {n}")
        service = factories.make_service(org, name=f"Service {n}", location=location)
        tag(service, "food")
        factories.make_capacity(service)
    assert count_queries() == few


@pytest.mark.parametrize(
    "path",
    [
        "/directory/services/{x}",
        "/directory/organizations/{x}",
        "/directory/services/{x}/edit",
        "/directory/services/{x}/hours",
        "/directory/organizations/{x}/edit",
        "/directory/organizations/{x}/services/new",
        "/directory/organizations/{x}/locations/new",
        "/directory/locations/{x}/edit",
    ],
)
def test_unknown_ids_are_404(client, login, path):
    login(factories.make_user(Role.ADMIN))
    url = path.format(x="no-such-id")
    assert client.get(url).status_code == 404
    if not url.endswith(("services/no-such-id", "organizations/no-such-id")):
        assert client.post(url, data={}).status_code == 404


def test_unknown_id_verify_is_404(client, login):
    login(factories.make_user(Role.ADMIN))
    assert client.post("/directory/services/no-such-id/verify").status_code == 404


def test_admin_sees_edit_and_verify_on_any_service(client, login):
    service = factories.make_service(name="Any Service")
    factories.make_capacity(service)
    login(factories.make_user(Role.ADMIN))
    page = client.get(f"/directory/services/{service.id}").get_data(as_text=True)
    assert "Edit this service" in page
    assert "Edit opening hours" in page
    assert "Verified — still accurate" in page
    org_page = client.get(f"/directory/organizations/{service.organization_id}").text
    assert "Edit organization details" in org_page
    assert "Add a service" in org_page
