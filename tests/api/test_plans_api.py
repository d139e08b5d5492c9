"""The release plan API: who reads what (the care team the whole plan, a provider only the items
its referrals serve, by the client_id the referral API gave it), item changes with the version
lock, problem bodies for 401-422, audit entries, and tokens behaving as on every endpoint."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.api_tokens import create_token, revoke_token
from app.audit.models import AuditEntry
from app.common import utcnow
from app.extensions import db
from app.plans import services
from app.plans.junctures import record_juncture
from app.plans.models import PlanItem
from app.plans.vocabulary import ItemKind, ItemStatus, Juncture
from app.referrals.vocabulary import ConsentShare
from tests import factories
from tests.api.test_referrals import DOB, FIRST, LAST, api  # noqa: F401  the shared fixture


def _plan(w):  # noqa: ANN001,ANN202
    plan = services.start_plan(w.client, w.counselor)
    db.session.commit()
    return plan


def _item(plan, kind: ItemKind) -> PlanItem:  # noqa: ANN001
    return next(i for i in plan.items if i.kind == kind)


def _serve(item: PlanItem, referral) -> None:  # noqa: ANN001
    """Link the item to the referral that serves it (the referral side's own job elsewhere)."""
    item.referral_id = referral.id
    db.session.commit()


def _url(key: str) -> str:
    return f"/api/clients/{key}/plan"


def _audits(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _fresh(item_id: str) -> PlanItem:
    db.session.expire_all()
    return db.session.get(PlanItem, item_id)


# --- reading the plan -----------------------------------------------------------------------


def test_the_care_team_reads_the_whole_plan(client, api):  # noqa: ANN001,F811
    plan = _plan(api)
    housing = _item(plan, ItemKind.HOUSING)
    _serve(housing, factories.make_referral(api.client, api.service, api.counselor))
    services.update_item(
        _item(plan, ItemKind.CLOTHING), api.counselor, status="arranged", owner="person",
        notes="Sister brings a suit.", expected_version=1,
    )  # fmt: skip
    record_juncture(plan, Juncture.INTAKE, api.counselor)
    db.session.commit()

    response = client.get(_url(api.client.id), headers=api.h["counselor"])

    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["scope"] == "whole" and data["client_id"] == api.client.id
    assert data["phase"] == "in_facility" and data["phase_label"] == "In the facility"
    assert data["coordinator"] == {"id": api.counselor.id, "name": api.counselor.name}
    assert data["projected_release_date"] == "2030-01-15"
    assert data["destination_town"] == "Hartford" and data["released_on"] is None
    assert data["readiness"] == {"essential_arranged": 1, "essential_counted": 7}
    by_kind = {i["kind"]: i for i in data["items"]}
    clothing = by_kind["clothing"]
    assert clothing["status"] == "arranged" and clothing["status_label"] == "Arranged"
    assert clothing["owner"] == "person" and clothing["owner_name"] == "The person"
    assert clothing["notes"] == "Sister brings a suit." and clothing["version"] == 2
    assert clothing["arranged_at"] is not None
    assert by_kind["housing"]["referral"]["status"] == "sent"
    assert by_kind["housing"]["due_on"] == "2029-12-16"  # 30 days before release
    assert by_kind["housing"]["kind_label"] == "Housing"
    [version] = data["versions"]
    assert version["number"] == 1 and version["juncture"] == "intake"
    assert version["recorded_by"]["id"] == api.counselor.id
    assert version["changes"] == ["First review: 10 items on the checklist."]
    [entry] = _audits("plan.view")
    assert entry.actor_id == api.counselor.id and entry.client_id == api.client.id
    assert entry.details == {"via": "api", "whole": True}


def test_admins_read_the_whole_plan(client, api):  # noqa: ANN001,F811
    _plan(api)
    response = client.get(_url(api.client.id), headers=api.h["admin"])
    assert response.status_code == 200 and response.get_json()["scope"] == "whole"


def test_no_plan_is_a_404_that_says_so(client, api):  # noqa: ANN001,F811
    response = client.get(_url(api.client.id), headers=api.h["counselor"])
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert "no release plan yet" in response.get_json()["detail"]


def test_a_counselor_off_the_team_gets_the_same_404_as_an_unknown_id(client, api):  # noqa: ANN001,F811
    _plan(api)
    not_mine = client.get(_url(api.client.id), headers=api.h["outsider"])
    unknown = client.get(_url(str(uuid.uuid4())), headers=api.h["outsider"])
    assert not_mine.status_code == unknown.status_code == 404
    assert not_mine.get_json()["detail"] == unknown.get_json()["detail"]
    assert "no release plan yet" not in not_mine.get_json()["detail"]
    assert _audits("plan.view") == []


def test_analysts_get_403(client, api):  # noqa: ANN001,F811
    _plan(api)
    response = client.get(_url(api.client.id), headers=api.h["analyst"])
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


def test_a_provider_sees_only_the_items_its_referrals_serve_and_never_the_name(client, api):  # noqa: ANN001,F811
    plan = _plan(api)
    housing = _item(plan, ItemKind.HOUSING)
    referral = factories.make_referral(api.client, api.service, api.counselor)
    _serve(housing, referral)
    _serve(_item(plan, ItemKind.EMPLOYMENT), factories.make_referral(
        api.client, api.other_service, api.counselor))  # fmt: skip
    services.update_item(housing, api.counselor, status="in_progress", reason=None,
                         notes="Staff only: prefers ground floor.", owner=api.counselor.id,
                         expected_version=housing.version)  # fmt: skip
    db.session.commit()
    # Identity is shared (the factory's consent shares everything): the referral API gives the
    # provider the client id, and the plan answers to it.
    shown = client.get(f"/api/referrals/{referral.id}", headers=api.h["provider"]).get_json()
    assert shown["client_id"] == api.client.id

    response = client.get(_url(shown["client_id"]), headers=api.h["provider"])

    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data == {"client_id": api.client.id, "scope": "served_items", "items": data["items"]}
    [item] = data["items"]
    assert item["id"] == housing.id and item["kind"] == "housing"
    assert item["status"] == "in_progress" and item["referral"]["id"] == referral.id
    assert not {"title", "reason", "notes", "owner", "owner_name", "version"} & set(item)
    text = response.get_data(as_text=True)
    for secret in (FIRST, LAST, DOB.isoformat(), "Staff only", api.counselor.id, "Hartford"):
        assert secret not in text
    entry = _audits("plan.view")[-1]
    assert entry.actor_id == api.provider.id
    assert entry.details == {"via": "api", "whole": False, "items": [housing.id]}


def test_a_provider_none_of_whose_referrals_serve_an_item_gets_404(client, api):  # noqa: ANN001,F811
    plan = _plan(api)
    _serve(_item(plan, ItemKind.HOUSING),
           factories.make_referral(api.client, api.service, api.counselor))  # fmt: skip
    factories.make_consent(api.client, api.counselor, organization=api.other_org)
    factories.make_referral(api.client, api.other_service, api.counselor)  # serves no item

    response = client.get(_url(api.client.id), headers=api.h["other_provider"])

    assert response.status_code == 404
    assert response.get_json()["detail"] == "No person with this id whose release plan you can see."


def test_without_identity_a_provider_reaches_one_referrals_items_by_its_opaque_reference(
    client,
    api,  # noqa: ANN001,F811
):  # noqa: ANN201
    plan = _plan(api)
    factories.make_consent(api.client, api.counselor, organization=api.org,
                           shares=[ConsentShare.ELIGIBILITY.value])  # fmt: skip
    first = factories.make_referral(api.client, api.service, api.counselor)
    second = factories.make_referral(api.client, api.service, api.counselor)
    _serve(_item(plan, ItemKind.HOUSING), first)
    _serve(_item(plan, ItemKind.EMPLOYMENT), second)
    keys = [
        client.get(f"/api/referrals/{r.id}", headers=api.h["provider"]).get_json()["client_id"]
        for r in (first, second)
    ]
    assert api.client.id not in keys and keys[0] != keys[1]

    by_first = client.get(_url(keys[0]), headers=api.h["provider"]).get_json()
    by_second = client.get(_url(keys[1]), headers=api.h["provider"]).get_json()

    assert [i["kind"] for i in by_first["items"]] == ["housing"]
    assert [i["kind"] for i in by_second["items"]] == ["employment"]
    assert by_first["client_id"] == keys[0]
    # The real id, had they kept it from an earlier referral, links nothing while not shared.
    assert client.get(_url(api.client.id), headers=api.h["provider"]).status_code == 404
    # Another provider cannot use this provider's reference.
    assert client.get(_url(keys[0]), headers=api.h["other_provider"]).status_code == 404


# --- changing an item -----------------------------------------------------------------------


def _patch(client, item_id: str, body: object, who):  # noqa: ANN001,ANN202
    return client.patch(f"/api/plan-items/{item_id}", json=body, headers=who)


def test_patch_changes_only_what_was_sent_and_is_audited(client, api):  # noqa: ANN001,F811
    housing = _item(_plan(api), ItemKind.HOUSING)
    due = housing.due_on

    response = _patch(client, housing.id, {"version": 1, "status": "arranged",
                                           "owner": "provider", "notes": "Bed 4."},
                      api.h["counselor"])  # fmt: skip

    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["status"] == "arranged" and data["owner"] == "provider"
    assert data["notes"] == "Bed 4." and data["version"] == 2 and data["arranged_at"]
    assert data["due_on"] == due.isoformat()  # not sent: unchanged
    saved = _fresh(housing.id)
    assert saved.status == ItemStatus.ARRANGED and saved.due_on == due
    assert saved.updated_by_id == api.counselor.id
    [entry] = _audits("plan.item.update")
    assert entry.actor_id == api.counselor.id and entry.client_id == api.client.id
    assert sorted(entry.details["fields"]) == ["notes", "owner", "status"]
    assert "Bed 4." not in str(entry.details)

    only_notes = _patch(client, housing.id, {"version": 2, "notes": None}, api.h["counselor"])
    assert only_notes.status_code == 200
    saved = _fresh(housing.id)
    assert saved.notes is None and saved.status == ItemStatus.ARRANGED
    assert saved.owner == "provider"


def test_patch_sets_a_reason_and_a_due_date(client, api):  # noqa: ANN001,F811
    item = _item(_plan(api), ItemKind.EMPLOYMENT)
    body = {"version": 1, "status": "not_needed", "reason": "Retired.", "due_on": "2029-12-01"}
    response = _patch(client, item.id, body, api.h["admin"])
    assert response.status_code == 200, response.get_json()
    saved = _fresh(item.id)
    assert saved.status == ItemStatus.NOT_NEEDED and saved.reason == "Retired."
    assert saved.due_on == date(2029, 12, 1)


def test_a_stale_version_is_409_with_the_item_as_it_is_now(client, api):  # noqa: ANN001,F811
    item = _item(_plan(api), ItemKind.HOUSING)
    assert _patch(client, item.id, {"version": 1, "status": "in_progress"},
                  api.h["counselor"]).status_code == 200  # fmt: skip

    stale = _patch(client, item.id, {"version": 1, "status": "arranged"}, api.h["admin"])

    assert stale.status_code == 409
    assert stale.mimetype == "application/problem+json"
    assert stale.get_json()["current"] == {"version": 2, "status": "in_progress"}
    assert _fresh(item.id).status == ItemStatus.IN_PROGRESS


def test_bad_input_is_422_naming_the_member_and_saves_nothing(client, api):  # noqa: ANN001,F811
    item = _item(_plan(api), ItemKind.HOUSING)
    cases = [
        ({"status": "done"}, "status"),
        ({"status": None}, "status"),
        ({"status": "not_needed"}, "reason"),
        ({"status": "could_not_arrange", "reason": "  "}, "reason"),
        ({"status": "not_needed", "reason": "x" * 501}, "reason"),
        ({"reason": 5}, "reason"),
        ({"owner": "somebody"}, "owner"),
        ({"owner": api.outsider.id}, "owner"),  # staff, but not on this team
        ({"due_on": "9999-12-31"}, "due_on"),
        ({"due_on": "next week"}, "due_on"),
        ({"due_on": "2029-02-30"}, "due_on"),
        ({"due_on": "20291201"}, "due_on"),
        ({"notes": "x" * 2001}, "notes"),
        ({"notes": ["a"]}, "notes"),
        ({"version": None}, "version"),
        ({"version": "1"}, "version"),
        ({"version": -1}, "version"),
    ]
    for changes, field in cases:
        response = _patch(client, item.id, {"version": 1, **changes}, api.h["counselor"])
        assert response.status_code == 422, (changes, response.get_json())
        problem = response.get_json()
        assert response.mimetype == "application/problem+json"
        assert problem["field"] == field, (changes, problem)
        assert problem["errors"][field]
    not_json = client.patch(f"/api/plan-items/{item.id}", data="status=arranged",
                            headers=api.h["counselor"])  # fmt: skip
    assert not_json.status_code == 422 and not_json.get_json()["field"] == "body"
    saved = _fresh(item.id)
    assert saved.version == 1 and saved.status == ItemStatus.TO_DO
    assert _audits("plan.item.update") == []


def test_providers_may_not_change_an_item_even_one_their_referral_serves(client, api):  # noqa: ANN001,F811
    item = _item(_plan(api), ItemKind.HOUSING)
    _serve(item, factories.make_referral(api.client, api.service, api.counselor))
    for who, status in (("provider", 403), ("analyst", 403), ("outsider", 404)):
        response = _patch(client, item.id, {"version": 1, "status": "arranged"}, api.h[who])
        assert response.status_code == status, who
        assert response.mimetype == "application/problem+json"
    assert _fresh(item.id).status == ItemStatus.TO_DO


def test_an_unknown_item_is_404(client, api):  # noqa: ANN001,F811
    response = _patch(client, str(uuid.uuid4()), {"version": 1}, api.h["admin"])
    assert response.status_code == 404


# --- adding an item, starting a plan --------------------------------------------------------


def test_the_team_adds_a_free_text_item(client, api):  # noqa: ANN001,F811
    _plan(api)
    url = f"/api/clients/{api.client.id}/plan/items"
    body = {"title": "Library card", "owner": "person", "due_on": "2029-12-20"}
    response = client.post(url, json=body, headers=api.h["counselor"])
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["kind"] == "other" and data["title"] == "Library card"
    assert data["owner"] == "person" and data["due_on"] == "2029-12-20"
    [entry] = _audits("plan.item.add")
    assert entry.object_id == data["id"]

    missing = client.post(url, json={"owner": "person"}, headers=api.h["counselor"])
    assert missing.status_code == 422 and missing.get_json()["field"] == "title"
    for who, status in (("provider", 403), ("analyst", 403), ("outsider", 404)):
        assert client.post(url, json=body, headers=api.h[who]).status_code == status


def test_adding_to_a_person_without_a_plan_is_404(client, api):  # noqa: ANN001,F811
    url = f"/api/clients/{api.client.id}/plan/items"
    response = client.post(url, json={"title": "Library card"}, headers=api.h["counselor"])
    assert response.status_code == 404 and "no release plan yet" in response.get_json()["detail"]


def test_the_team_starts_a_plan_once(client, api):  # noqa: ANN001,F811
    url = _url(api.client.id)
    for who, status in (("provider", 403), ("analyst", 403), ("outsider", 404)):
        assert client.post(url, headers=api.h[who]).status_code == status
    started = client.post(url, headers=api.h["counselor"])
    assert started.status_code == 201, started.get_json()
    assert started.headers["Location"] == url
    assert started.get_json()["scope"] == "whole" and len(started.get_json()["items"]) == 10
    again = client.post(url, headers=api.h["admin"])
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    assert len(_audits("plan.start")) == 1


# --- tokens ---------------------------------------------------------------------------------


def test_tokens_behave_as_on_every_endpoint(client, api):  # noqa: ANN001,F811
    item = _item(_plan(api), ItemKind.HOUSING)
    url = _url(api.client.id)
    bare = client.get(url)
    assert bare.status_code == 401 and bare.mimetype == "application/problem+json"
    assert bare.headers["WWW-Authenticate"] == 'Bearer realm="Partners API"'
    expired, plaintext = create_token(
        api.counselor, "Old", days=1, now=utcnow() - timedelta(days=1, seconds=1)
    )
    revoked, revoked_plain = create_token(api.counselor, "Gone")
    revoke_token(revoked, api.counselor)
    db.session.commit()
    for token in (plaintext, revoked_plain, "ptk_not-a-real-token"):
        headers = {"Authorization": f"Bearer {token}"}
        for response in (
            client.get(url, headers=headers),
            _patch(client, item.id, {"version": 1, "status": "arranged"}, headers),
        ):
            assert response.status_code == 401
            assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    # A browser session is no way in either: the API takes tokens only.
    client.post("/account/login", data={"email": api.counselor.email,
                                        "password": factories.PASSWORD})  # fmt: skip
    assert client.get(url).status_code == 401
    assert _fresh(item.id).status == ItemStatus.TO_DO
