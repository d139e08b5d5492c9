"""The capacity partials other pages include: the service page section and the list badge."""

from __future__ import annotations

from flask import render_template
from flask_login import login_user

from app.accounts.models import Role
from app.directory.vocabulary import CapacityStatus
from tests import factories


def render(app, template: str, service, user=None) -> str:  # noqa: ANN001
    with app.test_request_context("/"):
        if user is not None:
            login_user(user)
        return render_template(template, service=service)


def test_section_shows_each_figure_with_its_age(app, db):  # noqa: ANN001
    org = factories.make_organization()
    service = factories.make_service(org)
    fresh = factories.make_capacity(service, available=2, maximum=8)
    fresh.waitlist_length, fresh.expected_wait = 4, "2 weeks"
    factories.make_capacity(
        service, age_days=30, unit=factories.make_unit("program_slot", "Program slots")
    )
    db.session.commit()

    html = render(app, "directory/_capacity.html", service)

    assert "<h3" in html and "Capacity" in html  # under "Details" on the service page
    assert "2 of 8 beds open" in html
    assert "updated today" in html and "updated 4 weeks ago" in html
    assert html.count("Stale — treat as unknown") == 1
    assert "Last reported: 3 of 10 program slots open, Has room" in html
    assert "4 waiting, about 2 weeks" in html
    assert f"/directory/capacity/{fresh.id}/history" not in html  # anonymous: no history...
    assert "Add a capacity figure" not in html  # ...and no change links
    assert "Update beds" not in html


def test_section_offers_changes_to_the_organizations_staff(app, db):  # noqa: ANN001
    org = factories.make_organization()
    service = factories.make_service(org)
    staff = factories.make_user(Role.PROVIDER, organizations=[org])
    outsider = factories.make_user(Role.PROVIDER, organizations=[factories.make_organization()])

    html = render(app, "directory/_capacity.html", service, staff)
    assert "No capacity listed" in html
    counselor = factories.make_user(Role.COUNSELOR)
    figure = factories.make_capacity(factories.make_service(org))
    shown = render(app, "directory/_capacity.html", figure.service, counselor)
    assert f"/directory/capacity/{figure.id}/history" in shown
    assert f"/directory/services/{service.id}/capacity/new" in html
    assert "Add a capacity figure" not in render(app, "directory/_capacity.html", service, outsider)


def test_badge_is_one_plain_line(app, db):  # noqa: ANN001
    service = factories.make_service()
    assert "No capacity listed" in render(app, "directory/_capacity_badge.html", service)
    factories.make_capacity(service, available=0, status=CapacityStatus.NO_CAPACITY)
    db.session.refresh(service)
    assert "Full · updated today" in render(app, "directory/_capacity_badge.html", service)
    service.capacities[0].updated = service.capacities[0].updated.replace(year=2000)
    html = render(app, "directory/_capacity_badge.html", service)
    assert "Unknown — figure is" in html and "Full" not in html
