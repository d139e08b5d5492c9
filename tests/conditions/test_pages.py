"""The conditions form on the client record, the referral form's warnings, and privacy."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.conditions.services import conditions_of
from app.extensions import db
from tests import factories
from tests.conditions.conftest import NO_CONTACT, give_conditions, move_to, weekly_hours

FORM = {
    "curfew_start": "21:00",
    "curfew_end": "06:00",
    "allowed_area": "Hartford County\n",
    "excluded_area": "Bristol",
    "electronic_monitoring": "yes",
    "no_contact_places": NO_CONTACT,
    "district": "hartford",
}


def test_the_care_team_records_conditions_and_the_audit_names_fields_only(
    client, login, world
) -> None:  # noqa: ANN001
    login(world.counselor)
    url = f"/referrals/clients/{world.client.id}/conditions"
    assert client.get(url).status_code == 200
    response = client.post(url, data=FORM)
    assert response.status_code == 302
    page = client.get(f"/referrals/clients/{world.client.id}").get_data(as_text=True)
    assert "9 pm to 6 am" in page
    assert "Hartford County" in page and "Bristol" in page
    assert "Hartford district office" in page and NO_CONTACT in page
    row = conditions_of(world.client)
    assert row.curfew_start == time(21) and row.allowed_area == ["Hartford County"]
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "client.conditions.update")
    ).one()
    assert "curfew_start" in entry.details["fields"]
    assert NO_CONTACT not in str(entry.details) and "Bristol" not in str(entry.details)


def test_bad_conditions_show_at_their_fields(client, login, world) -> None:  # noqa: ANN001
    login(world.counselor)
    url = f"/referrals/clients/{world.client.id}/conditions"
    response = client.post(url, data={**FORM, "curfew_end": "", "excluded_area": "Hartford County"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Give both the start and the end of the curfew, or neither." in html
    assert "A place cannot be both allowed and excluded." in html
    assert conditions_of(world.client) is None


def test_only_the_care_team_may_see_or_change_them(client, login, world) -> None:  # noqa: ANN001
    url = f"/referrals/clients/{world.client.id}/conditions"
    for user in (world.outsider, world.provider, world.analyst):
        login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, data=FORM).status_code == 403
    assert conditions_of(world.client) is None


def test_referral_form_warns_about_curfew_and_area(client, login, world) -> None:  # noqa: ANN001
    give_conditions(world.client, world.counselor)  # 6 pm to 6 am, Hartford County only
    weekly_hours(world.service, time(19), time(21))
    move_to(world.location, "New Haven", "New Haven County")
    login(world.counselor)
    html = client.get(
        f"/referrals/clients/{world.client.id}/refer", query_string={"service": world.service.id}
    ).get_data(as_text=True)
    assert "Meets at 7–9 pm: after the 6 pm curfew" in html
    assert "Outside the allowed area (Hartford County)" in html


def test_referral_form_says_hours_unknown_and_excluded_town(client, login, world) -> None:  # noqa: ANN001
    give_conditions(world.client, world.counselor, excluded_area=["Hartford"], allowed_area=[])
    login(world.counselor)
    html = client.get(
        f"/referrals/clients/{world.client.id}/refer", query_string={"service": world.service.id}
    ).get_data(as_text=True)
    assert "Hours unknown: check them against the 6 pm–6 am curfew" in html
    assert "In a town the person may not enter (Hartford)" in html


def test_no_warnings_when_the_service_fits(client, login, world) -> None:  # noqa: ANN001
    give_conditions(world.client, world.counselor)
    weekly_hours(world.service, time(9), time(17))
    login(world.counselor)
    html = client.get(
        f"/referrals/clients/{world.client.id}/refer", query_string={"service": world.service.id}
    ).get_data(as_text=True)
    assert "curfew" not in html and "allowed area" not in html


def test_conditions_never_reach_public_pages_or_the_provider(client, login, world) -> None:  # noqa: ANN001
    give_conditions(world.client, world.counselor, excluded_area=["Bristol"])
    weekly_hours(world.service, time(19), time(21))
    referral = factories.make_referral(world.client, world.service, world.counselor)
    pages = ["/", "/search?q=housing", f"/services/{world.service.id}"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert NO_CONTACT not in html and "curfew" not in html.lower()
    login(world.provider)
    response = client.get(f"/referrals/{referral.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert world.service.name in html  # the provider does see its referral
    assert NO_CONTACT not in html and "curfew" not in html.lower() and "Bristol" not in html
