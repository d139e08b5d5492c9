"""The referral API: sending, listing, reading; who may see what; problem bodies for 401-422."""

from __future__ import annotations

import uuid
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.accounts.api_tokens import create_token
from app.accounts.models import Role
from app.audit.models import AuditEntry
from app.extensions import db
from app.referrals.models import Referral
from app.referrals.services import revoke_consent
from tests import factories

FIRST, LAST, DOB = "Zebulon", "Quixwell", date(1979, 11, 23)


def bearer(user) -> dict[str, str]:  # noqa: ANN001
    _, plaintext = create_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plaintext}"}


@pytest.fixture
def api(db):  # noqa: ANN001,ANN201
    """Two provider organizations, a housing service with room, a counselor with one client;
    every person has a token (`w.h[name]` is the header)."""
    org = factories.make_organization(name="Harbor House Org")
    other_org = factories.make_organization(name="Elsewhere Org")
    location = factories.make_location(org)
    service = factories.make_service(org, location=location, name="Transitional Housing")
    other_service = factories.make_service(other_org, name="Elsewhere Beds")
    factories.make_capacity(service)
    factories.make_capacity(other_service)
    facility = factories.make_facility()
    w = SimpleNamespace(
        org=org,
        other_org=other_org,
        service=service,
        other_service=other_service,
        location=location,
        counselor=factories.make_user(Role.COUNSELOR, facility=facility),
        outsider=factories.make_user(Role.COUNSELOR, facility=facility),
        provider=factories.make_user(Role.PROVIDER, organizations=[org]),
        other_provider=factories.make_user(Role.PROVIDER, organizations=[other_org]),
        admin=factories.make_user(Role.ADMIN),
        analyst=factories.make_user(Role.ANALYST),
    )
    w.client = factories.make_client(
        w.counselor,
        first_name=FIRST,
        last_name=LAST,
        date_of_birth=DOB,
        destination_town="Hartford",
        projected_release_date=date(2030, 1, 15),
    )
    w.h = {
        name: bearer(getattr(w, name))
        for name in ("counselor", "outsider", "provider", "other_provider", "admin", "analyst")
    }
    return w


def send(w, **extra):  # noqa: ANN001,ANN003,ANN201
    factories.make_consent(w.client, w.counselor, organization=w.org)
    body = {"client_id": w.client.id, "service_id": w.service.id, **extra}
    return body


# --- POST /api/referrals --------------------------------------------------------------------------


def test_counselor_sends_a_referral(client, api):  # noqa: ANN001
    body = send(api, priority="urgent", note_to_provider="Needs a ground-floor room.")
    response = client.post("/api/referrals", json=body, headers=api.h["counselor"])

    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert response.headers["Location"] == f"/api/referrals/{data['id']}"
    assert data["status"] == "sent" and data["fhir_status"] == "requested"
    assert data["priority"] == "urgent"
    assert data["version"] == 1
    assert data["needed_by"] == "2030-01-15"  # the release date by default
    assert data["client"]["last_name"] == LAST  # the care team sees the person
    assert [e["to"] for e in data["events"]] == ["sent"]
    saved = db.session.get(Referral, data["id"])
    assert saved.organization_id == api.org.id and saved.referrer_id == api.counselor.id


def test_send_without_consent_is_422(client, api):  # noqa: ANN001
    body = {"client_id": api.client.id, "service_id": api.service.id}
    response = client.post("/api/referrals", json=body, headers=api.h["counselor"])
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["field"] == "consent"
    assert db.session.scalar(select(Referral)) is None


def test_send_with_bad_fields_names_the_field(client, api):  # noqa: ANN001
    cases = [
        ({"service_id": api.service.id}, "client_id"),
        (send(api, service_id=str(uuid.uuid4())), "service_id"),
        (send(api, priority="asap"), "priority"),
        (send(api, needed_by="next week"), "needed_by"),
        (send(api, acknowledge_no_capacity="yes"), "acknowledge_no_capacity"),
        (send(api, location_id=str(uuid.uuid4())), "location_id"),
    ]
    for body, field in cases:
        response = client.post("/api/referrals", json=body, headers=api.h["counselor"])
        assert response.status_code == 422, (field, response.get_json())
        problem = response.get_json()
        assert problem["field"] == field
        assert problem["errors"][field]
    assert (
        client.post("/api/referrals", data="not json", headers=api.h["counselor"]).status_code
        == 422
    )
    assert db.session.scalar(select(Referral)) is None


def test_send_for_someone_not_on_your_team_is_refused_without_leaking(client, api):  # noqa: ANN001
    body = send(api)
    not_mine = client.post("/api/referrals", json=body, headers=api.h["outsider"])
    unknown = client.post(
        "/api/referrals", json={**body, "client_id": str(uuid.uuid4())}, headers=api.h["outsider"]
    )
    assert not_mine.status_code == unknown.status_code == 422
    assert not_mine.get_json()["detail"] == unknown.get_json()["detail"]
    assert db.session.scalar(select(Referral)) is None


def test_roles_that_cannot_send_get_403(client, api):  # noqa: ANN001
    body = send(api)
    for who in ("provider", "analyst"):
        response = client.post("/api/referrals", json=body, headers=api.h[who])
        assert response.status_code == 403, who
        assert response.get_json()["status"] == 403


def test_send_without_token_is_401(client, api):  # noqa: ANN001
    response = client.post("/api/referrals", json=send(api))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


# --- GET /api/referrals ---------------------------------------------------------------------------


def test_lists_are_limited_to_each_side(client, api):  # noqa: ANN001
    mine = factories.make_referral(api.client, api.service, api.counselor)
    elsewhere = factories.make_referral(api.client, api.other_service, api.counselor)

    def ids(who: str) -> set[str]:
        response = client.get("/api/referrals", headers=api.h[who])
        assert response.status_code == 200
        return {item["id"] for item in response.get_json()["contents"]}

    assert ids("provider") == {mine.id}
    assert ids("other_provider") == {elsewhere.id}
    assert ids("counselor") == {mine.id, elsewhere.id}
    assert ids("outsider") == set()
    assert ids("admin") == {mine.id, elsewhere.id}


def test_list_items_carry_no_personal_data(client, api):  # noqa: ANN001
    factories.make_referral(api.client, api.service, api.counselor, note_to_provider="Call Ann")
    text = client.get("/api/referrals", headers=api.h["provider"]).get_data(as_text=True)
    for secret in (FIRST, LAST, DOB.isoformat(), "Call Ann"):
        assert secret not in text


def test_list_filters_by_status_and_since(client, api):  # noqa: ANN001
    first = factories.make_referral(api.client, api.service, api.counselor)
    second = factories.make_referral(api.client, api.service, api.counselor, priority="urgent")
    get = client.get(f"/api/referrals/{first.id}", headers=api.h["provider"])  # -> received
    assert get.status_code == 200

    def ids(query: str) -> list[str]:
        response = client.get(f"/api/referrals?{query}", headers=api.h["counselor"])
        assert response.status_code == 200, response.get_json()
        return [item["id"] for item in response.get_json()["contents"]]

    assert ids("status=received") == [first.id]
    assert ids("status=requested") == [second.id]  # FHIR code works too
    assert ids("status=open") == [second.id, first.id]  # urgent first
    assert ids("since=2999-01-01") == []
    assert set(ids("since=2000-01-01T00:00:00Z")) == {first.id, second.id}


def test_list_bad_parameters_are_422(client, api):  # noqa: ANN001
    for query, field in (("status=lost", "status"), ("since=yesterday", "since"),
                         ("per_page=0", "per_page")):  # fmt: skip
        response = client.get(f"/api/referrals?{query}", headers=api.h["counselor"])
        assert response.status_code == 422, query
        assert response.get_json()["field"] == field


# --- GET /api/referrals/{id} ----------------------------------------------------------------------


def test_provider_reads_a_referral_it_is_marked_received_and_audited(client, api):  # noqa: ANN001
    referral = factories.make_referral(
        api.client, api.service, api.counselor, note_to_provider="Ground floor"
    )
    response = client.get(f"/api/referrals/{referral.id}", headers=api.h["provider"])

    assert response.status_code == 200
    data = response.get_json()
    assert data["status"] == "received" and data["version"] == 2
    assert data["client"]["first_name"] == FIRST  # consent shares identity
    assert data["client"]["date_of_birth"] == DOB.isoformat()
    assert data["note_to_provider"] == "Ground floor"
    assert data["client_details_withheld"] is False
    assert set(data["available_transitions"]) == {"accepted", "waitlisted", "declined"}
    views = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "client.view")).all()
    assert [v.actor_id for v in views] == [api.provider.id]


def test_provider_sees_only_the_shared_fields(client, api):  # noqa: ANN001
    factories.make_consent(api.client, api.counselor, organization=api.org, shares=["contact"])
    referral = factories.make_referral(
        api.client, api.service, api.counselor, note_to_provider="Ground floor"
    )
    data = client.get(f"/api/referrals/{referral.id}", headers=api.h["provider"]).get_json()
    assert "first_name" not in data["client"] and "date_of_birth" not in data["client"]
    assert "contact_method" in data["client"]
    assert data["note_to_provider"] is None


def test_after_consent_is_revoked_the_provider_sees_no_details(client, api):  # noqa: ANN001
    referral = factories.make_referral(api.client, api.service, api.counselor)
    revoke_consent(referral.consent, api.counselor, "changed their mind")
    db.session.commit()
    response = client.get(f"/api/referrals/{referral.id}", headers=api.h["provider"])
    assert response.status_code == 200
    data = response.get_json()
    assert data["client"] == {"id": data["client_id"]}
    assert data["client_id"] != api.client.id  # identity no longer shared: an opaque reference
    assert data["client_details_withheld"] is True
    assert FIRST not in response.get_data(as_text=True)
    assert api.client.id not in response.get_data(as_text=True)


def test_provider_cannot_link_referrals_unless_identity_is_shared(client, api):  # noqa: ANN001
    """A referral under a revoked identity-sharing consent, then one whose consent shares only
    eligibility: the provider must not be able to tie the second's answers to the first."""
    first = factories.make_referral(api.client, api.service, api.counselor)
    revoke_consent(first.consent, api.counselor, "changed their mind")
    factories.make_consent(api.client, api.counselor, organization=api.org, shares=["eligibility"])
    second = factories.make_referral(api.client, api.service, api.counselor)
    db.session.commit()
    provider = api.h["provider"]

    def seen(referral, headers) -> set[str]:  # noqa: ANN001
        detail = client.get(f"/api/referrals/{referral.id}", headers=headers).get_json()
        task = client.get(f"/api/referrals/{referral.id}/fhir", headers=headers).get_json()
        listed = client.get("/api/referrals", headers=headers).get_json()["contents"]
        [item] = [i for i in listed if i["id"] == referral.id]
        return {
            detail["client_id"],
            detail["client"]["id"],
            task["for"].get("reference", "").removeprefix("Patient/")
            or task["for"]["identifier"]["value"],
            item["client_id"],
        }

    refs_first, refs_second = seen(first, provider), seen(second, provider)
    assert len(refs_first) == 1 and len(refs_second) == 1  # stable for one referral...
    assert refs_first != refs_second  # ...but never shared between two
    assert api.client.id not in refs_first | refs_second
    assert seen(first, provider) == refs_first  # the same on the next read
    # The care team and admins keep the client id on every door.
    assert seen(second, api.h["counselor"]) == {api.client.id}
    assert seen(second, api.h["admin"]) == {api.client.id}


def test_provider_gets_the_client_id_while_identity_is_shared(client, api):  # noqa: ANN001
    referral = factories.make_referral(api.client, api.service, api.counselor)
    data = client.get(f"/api/referrals/{referral.id}", headers=api.h["provider"]).get_json()
    assert data["client_id"] == data["client"]["id"] == api.client.id
    task = client.get(f"/api/referrals/{referral.id}/fhir", headers=api.h["provider"]).get_json()
    assert task["for"]["reference"] == f"Patient/{api.client.id}"


def test_other_organizations_and_teams_get_404_like_unknown_ids(client, api):  # noqa: ANN001
    referral = factories.make_referral(api.client, api.service, api.counselor)
    for path in ("", "/fhir"):
        for who in ("other_provider", "outsider"):
            response = client.get(f"/api/referrals/{referral.id}{path}", headers=api.h[who])
            assert response.status_code == 404, (who, path)
            assert response.mimetype == "application/problem+json"
        unknown = client.get(f"/api/referrals/{uuid.uuid4()}{path}", headers=api.h["admin"])
        assert unknown.status_code == 404
    assert factories.reload(referral).status.value == "sent"  # nobody "opened" it


def test_read_without_token_or_with_analyst_token(client, api):  # noqa: ANN001
    referral = factories.make_referral(api.client, api.service, api.counselor)
    assert client.get(f"/api/referrals/{referral.id}").status_code == 401
    refused = client.get(f"/api/referrals/{referral.id}", headers=api.h["analyst"])
    assert refused.status_code == 403


def test_openapi_document_lists_the_referral_operations(client, app):  # noqa: ANN001
    doc = client.get("/api/openapi.json").get_json()
    assert {"/referrals", "/referrals/{referral_id}", "/referrals/{referral_id}/transitions",
            "/referrals/{referral_id}/fhir"} <= set(doc["paths"])  # fmt: skip
    transition = doc["paths"]["/referrals/{referral_id}/transitions"]["post"]
    assert {"401", "403", "404", "409", "422"} <= set(transition["responses"])
    assert doc["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
