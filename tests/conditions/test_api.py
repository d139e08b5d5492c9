"""GET /api/clients/<id>/conditions: the care team reads them; a provider, another counselor
and an unknown id get the same 404; the OpenAPI document lists the path."""

from __future__ import annotations

from app.accounts.api_tokens import create_token
from app.extensions import db
from tests.conditions.conftest import NO_CONTACT, give_conditions


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
