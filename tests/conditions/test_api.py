"""GET /api/clients/<id>/conditions: the care team reads them; a provider, another counselor
and an unknown id get the same 404; the OpenAPI document lists the path. GET /api/referrals/check
and a sent referral's answer carry the referral form's warnings (curfew, area, consent ...)."""

from __future__ import annotations

from datetime import time

import pytest
from sqlalchemy import select

from app.accounts.api_tokens import create_token
from app.audit.models import AuditEntry
from app.conditions.services import conditions_of
from app.directory.models import ServiceAtLocation
from app.extensions import db
from tests import factories
from tests.conditions.conftest import NO_CONTACT, give_conditions, move_to, weekly_hours


def _h(user) -> dict[str, str]:  # noqa: ANN001
    _, plaintext = create_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plaintext}"}


def test_the_care_team_reads_the_conditions(client, world) -> None:  # noqa: ANN001
    url = f"/api/clients/{world.client.id}/conditions"
    mine = _h(world.counselor)
    assert client.get(url, headers=mine).get_json() == {
        "client_id": world.client.id,
        "recorded": False,
    }
    give_conditions(world.client, world.counselor)
    data = client.get(url, headers=mine).get_json()
    assert data["curfew"] == {"start": "18:00", "end": "06:00"}
    assert data["allowed_area"] == ["Hartford County"]
    assert data["reporting_office"] == {"code": "hartford", "name": "Hartford district office"}
    assert data["no_contact_places"] == NO_CONTACT


def test_nobody_else_reads_them(client, world) -> None:  # noqa: ANN001
    give_conditions(world.client, world.counselor)
    url = f"/api/clients/{world.client.id}/conditions"
    for user in (world.outsider, world.admin):
        response = client.get(url, headers=_h(user))
        if user is world.admin:
            assert response.status_code == 200
        else:
            assert response.status_code == 404
            assert NO_CONTACT not in response.get_data(as_text=True)
    provider = client.get(url, headers=_h(world.provider))
    assert provider.status_code in (403, 404) and NO_CONTACT not in provider.get_data(as_text=True)
    assert client.get(url).status_code == 401
    unknown = client.get("/api/clients/nope/conditions", headers=_h(world.counselor))
    assert unknown.status_code == 404


def test_openapi_lists_the_conditions(client) -> None:  # noqa: ANN001
    spec = client.get("/api/openapi.json").get_json()
    assert "get" in spec["paths"]["/clients/{client_id}/conditions"]
    assert "SupervisionConditions" in spec["components"]["schemas"]


# --- the referral form's warnings through the API -------------------------------------------


def _check(client, world, headers, **extra):  # noqa: ANN001,ANN003,ANN202
    query = {"client_id": world.client.id, "service_id": world.service.id, **extra}
    return client.get("/api/referrals/check", query_string=query, headers=headers)


def test_the_referral_check_says_what_the_form_says_at_the_chosen_location(client, world) -> None:  # noqa: ANN001
    give_conditions(world.client, world.counselor)  # 6 pm to 6 am, Hartford County only
    weekly_hours(world.service, time(19), time(21))
    move_to(world.location, "New Haven", "New Haven County")
    hartford = factories.make_location(world.org, name="Hartford site", town="Hartford")
    hartford.addresses[0].region = "Hartford County"
    world.service.service_at_locations.append(ServiceAtLocation(location=hartford))
    db.session.commit()
    mine = _h(world.counselor)
    response = _check(client, world, mine)
    assert response.status_code == 200
    data = response.get_json()
    messages = {w["code"]: w["message"] for w in data["warnings"]}
    assert "Meets at 7–9 pm: after the 6 pm curfew" in " ".join(messages.values())
    assert "Outside the allowed area (Hartford County)" in messages["outside_area"]
    assert "no_consent" in messages  # as on the form: no consent covers this provider yet
    at_hartford = _check(client, world, mine, location_id=hartford.id).get_json()
    assert "outside_area" not in {w["code"] for w in at_hartford["warnings"]}
    assert at_hartford["location_id"] == hartford.id


def test_the_referral_check_is_for_the_care_team_only(client, world) -> None:  # noqa: ANN001
    give_conditions(world.client, world.counselor)
    for user in (world.outsider, world.provider):
        response = _check(client, world, _h(user))
        assert response.status_code in (403, 404)
        assert NO_CONTACT not in response.get_data(as_text=True)
    assert _check(client, world, {}).status_code == 401
    mine = _h(world.counselor)
    gone = client.get(
        "/api/referrals/check",
        query_string={"client_id": world.client.id, "service_id": "nope"},
        headers=mine,
    )
    assert gone.status_code == 404
    assert _check(client, world, mine, location_id="nope").status_code == 404
    missing = client.get(
        "/api/referrals/check", query_string={"client_id": world.client.id}, headers=mine
    )
    assert missing.status_code == 422 and missing.get_json()["field"] == "service_id"


def test_a_sent_referral_answers_with_the_warnings_that_still_stand(client, world) -> None:  # noqa: ANN001
    give_conditions(world.client, world.counselor)
    weekly_hours(world.service, time(19), time(21))
    factories.make_consent(world.client, world.counselor, organization=world.org)
    body = {"client_id": world.client.id, "service_id": world.service.id}
    response = client.post("/api/referrals", json=body, headers=_h(world.counselor))
    assert response.status_code == 201, response.get_json()
    codes = [w["code"] for w in response.get_json()["warnings"]]
    assert any(code.startswith("curfew") for code in codes)
    assert "no_consent" not in codes


def test_an_empty_choice_is_refused_not_read_as_the_default(client, world) -> None:  # noqa: ANN001
    factories.make_consent(world.client, world.counselor, organization=world.org)
    body = {"client_id": world.client.id, "service_id": world.service.id}
    for name in ("priority", "needed_by"):
        response = client.post(
            "/api/referrals", json={**body, name: " "}, headers=_h(world.counselor)
        )
        assert response.status_code == 422 and response.get_json()["field"] == name


# --- recording them through the API ---------------------------------------------------------


def test_the_care_team_records_conditions_through_the_api(client, world) -> None:  # noqa: ANN001
    url = f"/api/clients/{world.client.id}/conditions"
    mine = _h(world.counselor)
    body = {
        "curfew": {"start": "21:00", "end": "06:00"},
        "allowed_area": ["Hartford County"],
        "excluded_area": ["Bristol"],
        "electronic_monitoring": True,
        "no_contact_places": NO_CONTACT,
        "reporting_office": "hartford",
    }
    response = client.put(url, json=body, headers=mine)
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["curfew"] == {"start": "21:00", "end": "06:00"} and data["recorded"] is True
    assert data["reporting_office"]["name"] == "Hartford district office"
    row = conditions_of(world.client)
    assert row.curfew_start == time(21) and row.excluded_area == ["Bristol"]
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "client.conditions.update")
    ).one()
    assert NO_CONTACT not in str(entry.details)  # field names only
    # PUT replaces the record: what is left out is cleared
    again = client.put(url, json={"allowed_area": ["Hartford County"]}, headers=mine)
    assert again.status_code == 200 and again.get_json()["curfew"] is None
    db.session.expire_all()  # read what the request committed
    assert conditions_of(world.client).no_contact_places is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"curfew": {"start": "21:00", "end": "21:00"}}, "curfew.end"),
        ({"curfew": {"start": "25:00", "end": "06:00"}}, "curfew.start"),
        ({"allowed_area": ["Bristol"], "excluded_area": ["bristol"]}, "excluded_area"),
        ({"allowed_area": "Hartford"}, "allowed_area"),
        ({"reporting_office": "mars"}, "reporting_office"),
        ({"electronic_monitoring": "yes"}, "electronic_monitoring"),
    ],
)
def test_bad_conditions_are_refused_at_their_field_and_change_nothing(
    client, world, body, field
) -> None:  # noqa: ANN001
    give_conditions(world.client, world.counselor)
    response = client.put(
        f"/api/clients/{world.client.id}/conditions", json=body, headers=_h(world.counselor)
    )
    assert response.status_code == 422 and response.get_json()["field"] == field
    assert conditions_of(world.client).curfew_start == time(18)


def test_only_the_care_team_records_them(client, world) -> None:  # noqa: ANN001
    url = f"/api/clients/{world.client.id}/conditions"
    body = {"excluded_area": ["Bristol"]}
    assert client.put(url, json=body, headers=_h(world.outsider)).status_code == 404
    assert client.put(url, json=body, headers=_h(world.provider)).status_code in (403, 404)
    assert client.put(url, json=body).status_code == 401
    assert conditions_of(world.client) is None
