"""Provider write API: capacity updates and verification by token, own organization only."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.api_tokens import create_token
from app.accounts.models import Role
from app.directory.models import CapacityHistory, ServiceCapacity
from tests import factories
from tests.factories import reload


def _token(db, user) -> dict[str, str]:  # noqa: ANN001
    _, plaintext = create_token(user, "spreadsheet script")
    db.session.commit()
    return {"Authorization": f"Bearer {plaintext}"}


def _setup(db):  # noqa: ANN001,ANN202
    org = factories.make_organization()
    service = factories.make_service(org)
    capacity = factories.make_capacity(service, available=3, maximum=10)
    staff = factories.make_user(Role.PROVIDER, organizations=[org])
    return service, capacity, staff


def test_provider_updates_own_capacity_with_history(client, db):  # noqa: ANN001
    service, capacity, staff = _setup(db)
    response = client.put(
        f"/api/services/{service.id}/capacity",
        json={"available": 1, "maximum": 10, "version": capacity.version},
        headers=_token(db, staff),
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["available"] == 1 and body["status"] == "has-capacity"
    assert body["version"] == 2 and body["stale"] is False
    assert reload(capacity).available == 1 and capacity.updated_by_id == staff.id
    history = db.session.scalars(
        select(CapacityHistory).where(CapacityHistory.capacity_id == capacity.id)
    ).all()
    assert [(h.action, h.old_available, h.new_available) for h in history] == [("update", 3, 1)]


def test_mark_full_and_confirm_actions(client, db):  # noqa: ANN001
    service, capacity, staff = _setup(db)
    headers = _token(db, staff)
    url = f"/api/services/{service.id}/capacity"
    full = client.put(url, json={"action": "mark_full", "version": 1}, headers=headers)
    assert full.get_json()["status"] == "no-capacity" and full.get_json()["available"] == 0
    confirm = client.put(url, json={"action": "confirm", "version": 2}, headers=headers)
    assert confirm.status_code == 200 and confirm.get_json()["version"] == 3


def test_stale_version_gets_409_with_the_current_figure(client, db):  # noqa: ANN001
    service, capacity, staff = _setup(db)
    headers = _token(db, staff)
    url = f"/api/services/{service.id}/capacity"
    assert client.put(url, json={"available": 2, "version": 1}, headers=headers).status_code == 200
    late = client.put(url, json={"available": 0, "version": 1}, headers=headers)
    assert late.status_code == 409
    assert late.get_json()["current"]["available"] == 2
    assert reload(capacity).available == 2


def test_bad_input_is_422_naming_the_field_and_saves_nothing(client, db):  # noqa: ANN001
    service, capacity, staff = _setup(db)
    headers = _token(db, staff)
    url = f"/api/services/{service.id}/capacity"
    for body, field in [
        ({"available": 11, "maximum": 10, "version": 1}, "available"),
        ({"available": -1, "version": 1}, "available"),
        ({"available": "lots", "version": 1}, "available"),
        ({"available": 2}, "version"),
        ({"unit": "spaceship", "available": 2, "version": 1}, "unit"),
        ({"action": "explode", "version": 1}, "action"),
        ({"available": 10**20, "maximum": 10**20, "version": 1}, "available"),
        ({"maximum": 2**31, "version": 1}, "maximum"),
        ({"waitlist_length": 2**31, "status": "waitlist", "version": 1}, "waitlist_length"),
        ({"expected_wait": "w" * 101, "status": "waitlist", "version": 1}, "expected_wait"),
        ({"expected_wait": 3, "status": "waitlist", "version": 1}, "expected_wait"),
    ]:
        response = client.put(url, json=body, headers=headers)
        assert response.status_code == 422, body
        assert response.get_json()["field"] == field
    assert client.put(url, data="not json", headers=headers).status_code == 422
    assert reload(capacity).available == 3 and capacity.version == 1


def test_a_new_unit_creates_a_figure(client, db):  # noqa: ANN001
    service, _, staff = _setup(db)
    factories.make_unit("appointment", "Appointments")
    response = client.put(
        f"/api/services/{service.id}/capacity",
        json={"unit": "appointment", "available": 4, "maximum": 6},
        headers=_token(db, staff),
    )
    assert response.status_code == 201
    assert (
        len(
            db.session.scalars(
                select(ServiceCapacity).where(ServiceCapacity.service_id == service.id)
            ).all()
        )
        == 2
    )


def test_other_organizations_and_other_roles_are_refused(client, db):  # noqa: ANN001
    service, capacity, _ = _setup(db)
    other = factories.make_user(Role.PROVIDER, organizations=[factories.make_organization()])
    counselor = factories.make_user(Role.COUNSELOR)
    url = f"/api/services/{service.id}/capacity"
    body = {"available": 0, "version": 1}
    assert client.put(url, json=body, headers=_token(db, other)).status_code == 404
    assert client.put(url, json=body, headers=_token(db, counselor)).status_code == 403
    assert client.put(url, json=body).status_code == 401
    assert (
        client.post(f"/api/services/{service.id}/verify", headers=_token(db, other)).status_code
        == 404
    )
    assert reload(capacity).available == 3


def test_verify_sets_last_verified(client, db):  # noqa: ANN001
    service, _, staff = _setup(db)
    response = client.post(f"/api/services/{service.id}/verify", headers=_token(db, staff))
    assert response.status_code == 200
    assert reload(service).last_verified_at is not None and service.verified_by_id == staff.id
    assert response.get_json()["last_verified_at"].startswith(str(service.last_verified_at.date()))
