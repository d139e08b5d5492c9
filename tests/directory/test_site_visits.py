"""Internal site visits: who may record and read them, what is valid, who never sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import render_template
from sqlalchemy import func, select

from app.accounts.models import Role
from app.clock import local_today as today
from app.directory.models import SiteVisit
from app.directory.site_visits import SiteVisitData, SiteVisitError, record_site_visit
from app.directory.vocabulary import Rating, SiteVisitOverall
from app.extensions import db
from tests import factories

SECRET = "Mould in the basement bedrooms"


def new_url(service) -> str:  # noqa: ANN001
    return f"/directory/services/{service.id}/visits/new"


def visit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(SiteVisit))


def valid_form(**overrides) -> dict:  # noqa: ANN003
    data = {
        "visited_on": (today() - timedelta(days=2)).isoformat(),
        "visitor_name": "Dana Counselor",
        "safety": "good",
        "cleanliness": "poor",
        "overall": "with_concerns",
        "house_rules": "Curfew 9 pm",
        "notes": SECRET,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def org():  # noqa: ANN201
    return factories.make_organization()


@pytest.fixture
def location(org):  # noqa: ANN001,ANN201
    return factories.make_location(org, name="Main house")


@pytest.fixture
def service(org, location):  # noqa: ANN001,ANN201
    return factories.make_service(org, location=location)


@pytest.mark.parametrize("role", [Role.COUNSELOR, Role.ADMIN])
def test_counselor_and_admin_record_and_read_a_visit(
    client, login, service, location, role
) -> None:  # noqa: ANN001
    user = factories.make_user(role, name="Dana Counselor")
    login(user)
    form = client.get(new_url(service))
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert 'value="Dana Counselor"' in page  # visitor defaults to the signed-in user
    assert "Main house" in page

    response = client.post(new_url(service), data=valid_form(location_id=location.id))
    assert response.status_code == 302
    visit = db.session.scalars(select(SiteVisit)).one()
    assert response.location.endswith(f"/directory/visits/{visit.id}")
    assert visit.visitor_id == user.id
    assert visit.location_id == location.id
    assert (visit.safety, visit.cleanliness) == (Rating.GOOD, Rating.POOR)
    assert visit.staff_responsiveness == Rating.NOT_SEEN  # left blank
    assert visit.overall == SiteVisitOverall.WITH_CONCERNS

    page = client.get(f"/directory/visits/{visit.id}").get_data(as_text=True)
    assert SECRET in page
    assert "Refer with concerns" in page
    assert "Curfew 9 pm" in page


@pytest.mark.parametrize("same_org", [True, False])
def test_provider_staff_get_403(client, login, org, service, same_org) -> None:  # noqa: ANN001
    visit = record_site_visit(
        service,
        SiteVisitData(today(), "Dana", SiteVisitOverall.RECOMMEND, notes=SECRET),
        factories.make_user(Role.COUNSELOR),
    )
    db.session.commit()
    member_of = org if same_org else factories.make_organization()
    login(factories.make_user(Role.PROVIDER, organizations=[member_of]))
    assert client.get(new_url(service)).status_code == 403
    assert client.post(new_url(service), data=valid_form()).status_code == 403
    response = client.get(f"/directory/visits/{visit.id}")
    assert response.status_code == 403
    assert SECRET not in response.get_data(as_text=True)
    assert visit_count() == 1


def test_analyst_gets_403(client, login, service) -> None:  # noqa: ANN001
    visit = record_site_visit(
        service, SiteVisitData(today(), "Dana", SiteVisitOverall.RECOMMEND), None
    )
    db.session.commit()
    login(factories.make_user(Role.ANALYST))
    assert client.get(new_url(service)).status_code == 403
    assert client.get(f"/directory/visits/{visit.id}").status_code == 403


def test_anonymous_is_sent_to_login(client, service) -> None:  # noqa: ANN001
    response = client.get(new_url(service))
    assert response.status_code == 302
    assert "/account/login" in response.location


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"visited_on": (today() + timedelta(days=3)).isoformat()}, "cannot be in the future"),
        ({"visited_on": None}, "Enter the date of the visit."),
        ({"visited_on": "not a date"}, "Not a valid date value."),
        ({"overall": None}, "Choose an overall recommendation."),
        ({"follow_up_needed": "y", "follow_up_note": "  "}, "Say what follow-up is needed."),
        ({"visitor_name": ""}, "Say who visited."),
        ({"location_id": "somewhere-else"}, "Not a valid choice"),
    ],
)
def test_invalid_visits_are_refused(client, login, service, overrides, message) -> None:  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    response = client.post(new_url(service), data=valid_form(**overrides))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert SECRET in page  # entered notes are kept
    assert visit_count() == 0


def test_follow_up_with_note_is_saved(client, login, service) -> None:  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    data = valid_form(follow_up_needed="y", follow_up_note="Check the fire exits in March")
    assert client.post(new_url(service), data=data).status_code == 302
    visit = db.session.scalars(select(SiteVisit)).one()
    assert visit.follow_up_needed is True
    assert visit.follow_up_note == "Check the fire exits in March"


def test_missing_ids_are_404(client, login) -> None:  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR))
    assert client.get("/directory/services/nope/visits/new").status_code == 404
    assert client.get("/directory/visits/nope").status_code == 404


def test_record_site_visit_refuses_another_services_location(app, service) -> None:  # noqa: ANN001
    elsewhere = factories.make_location(factories.make_organization())
    data = SiteVisitData(today(), "Dana", SiteVisitOverall.RECOMMEND, location_id=elsewhere.id)
    with pytest.raises(SiteVisitError) as error:
        record_site_visit(service, data, None)
    assert "location_id" in error.value.problems
    future = SiteVisitData(today() + timedelta(days=1), "Dana", SiteVisitOverall.RECOMMEND)
    with pytest.raises(SiteVisitError):
        record_site_visit(service, future, None)


def _render_partial(app, service, user) -> str:  # noqa: ANN001
    from flask_login import login_user

    with app.test_request_context("/"):
        login_user(user)
        return render_template("directory/_site_visits.html", service=service)


def test_partial_lists_newest_first_and_flags_concerns(app, service) -> None:  # noqa: ANN001
    counselor = factories.make_user(Role.COUNSELOR)
    for days_ago, overall, name in [
        (30, SiteVisitOverall.RECOMMEND, "Older visitor"),
        (2, SiteVisitOverall.DO_NOT_REFER, "Newer visitor"),
    ]:
        data = SiteVisitData(today() - timedelta(days=days_ago), name, overall, notes=SECRET)
        record_site_visit(service, data, counselor)
    db.session.commit()
    factories.reload(service)
    html = _render_partial(app, service, counselor)
    assert html.index("Newer visitor") < html.index("Older visitor")
    assert "Latest site visit" in html and "Do not refer" in html
    assert "Record a site visit" in html
    assert SECRET not in html  # notes stay on the visit page

    provider = factories.make_user(Role.PROVIDER, organizations=[service.organization])
    assert "Site visits" not in _render_partial(app, service, provider)


def test_partial_without_concerns_has_no_warning(app, service) -> None:  # noqa: ANN001
    counselor = factories.make_user(Role.COUNSELOR)
    record_site_visit(service, SiteVisitData(today(), "Dana", SiteVisitOverall.RECOMMEND), None)
    db.session.commit()
    factories.reload(service)
    html = _render_partial(app, service, counselor)
    assert "Recommend" in html
    assert "Latest site visit" not in html


def test_provider_service_page_never_shows_visit_notes(app, client, login, org, service) -> None:  # noqa: ANN001
    if "directory.service" not in app.view_functions:
        pytest.skip("the service page (directory.service) is not built yet")
    record_site_visit(
        service,
        SiteVisitData(today(), "Dana Visitor", SiteVisitOverall.DO_NOT_REFER, notes=SECRET),
        None,
    )
    db.session.commit()
    login(factories.make_user(Role.PROVIDER, organizations=[org]))
    response = client.get(f"/directory/services/{service.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert SECRET not in page
    assert "Dana Visitor" not in page
    assert "Do not refer" not in page


def test_counselor_service_page_shows_visits(app, client, login, service) -> None:  # noqa: ANN001
    if "directory.service" not in app.view_functions:
        pytest.skip("the service page (directory.service) is not built yet")
    record_site_visit(
        service, SiteVisitData(today(), "Dana Visitor", SiteVisitOverall.DO_NOT_REFER), None
    )
    db.session.commit()
    login(factories.make_user(Role.COUNSELOR))
    page = client.get(f"/directory/services/{service.id}").get_data(as_text=True)
    assert "Dana Visitor" in page
    assert "Latest site visit" in page
