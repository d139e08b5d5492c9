"""Document readiness: "Needs: birth certificate" rather than "not eligible", unless the
provider marked the documents strictly required; help nearby; one-click "Add to plan"."""

from __future__ import annotations

from sqlalchemy import select

import app.models  # noqa: F401 - every mapper, so a model can be built when this file runs alone
from app.directory.eligibility import EligibilityProfile, Status, match_rules
from app.directory.models import NEED_AREA_TAXONOMY, EligibilityRule, TaxonomyTerm
from app.directory.vocabulary import Answer, Criterion, Document
from app.extensions import db
from app.plans.models import PlanItem
from app.plans.services import start_plan
from app.plans.vocabulary import ItemKind
from app.referrals.services import referral_warnings
from tests import factories


def docs_rule(*codes: str, strict: bool = False) -> EligibilityRule:
    return EligibilityRule(
        criterion=Criterion.DOCUMENTS, answer=Answer.YES, values=list(codes), strict=strict
    )


def test_a_missing_document_means_needs_documents() -> None:
    profile = EligibilityProfile(documents={Document.STATE_ID})
    verdict = match_rules(profile, [docs_rule("state_id", "birth_certificate", "release_papers")])
    assert verdict.status == Status.NEEDS_DOCUMENTS
    assert verdict.status.label == "Needs documents"
    assert verdict.needs_line == "Needs: birth certificate, release papers"
    assert verdict.reasons == []


def test_strictly_required_documents_make_the_person_not_eligible() -> None:
    profile = EligibilityProfile(documents=set())
    verdict = match_rules(profile, [docs_rule("birth_certificate", strict=True)])
    assert verdict.status == Status.NOT_ELIGIBLE
    assert verdict.reasons[0][1] == "Requires a birth certificate, which this person does not have"
    assert verdict.needs == []


def test_other_problems_outrank_missing_documents() -> None:
    profile = EligibilityProfile(documents=set(), veteran=False)
    vets = EligibilityRule(criterion=Criterion.VETERANS_ONLY, answer=Answer.YES, values=[])
    verdict = match_rules(profile, [vets, docs_rule("dd214")])
    assert verdict.status == Status.NOT_ELIGIBLE
    assert verdict.needs_line == "Needs: DD-214"  # still said, beside the reason


def test_documents_not_asked_yet_is_a_question_not_a_need() -> None:
    verdict = match_rules(EligibilityProfile(), [docs_rule("birth_certificate")])
    assert verdict.status == Status.UNKNOWN and verdict.needs == []


def _entitlements_help(world):  # noqa: ANN001,ANN202
    term = TaxonomyTerm(
        id="need-entitlements", code="entitlements", name="Benefits and ID",
        taxonomy=NEED_AREA_TAXONOMY, sort_order=9,
    )  # fmt: skip
    db.session.add(term)
    near = factories.make_service(
        world.other_org, location=factories.make_location(world.other_org), name="ID Help Desk"
    )
    far_location = factories.make_location(
        world.other_org, town="Norwich", latitude=41.5243, longitude=-72.0759
    )
    far = factories.make_service(world.other_org, location=far_location, name="Papers Far Away")
    near.taxonomy_terms, far.taxonomy_terms = [term], [term]
    db.session.commit()


def test_referral_form_offers_help_and_adds_the_plan_item(client, login, world) -> None:  # noqa: ANN001
    _entitlements_help(world)
    world.client.documents_held = ["state_id"]
    factories.make_rule(
        world.service, Criterion.DOCUMENTS, Answer.YES, values=["birth_certificate"]
    )
    start_plan(world.client, world.counselor)
    db.session.commit()
    codes = {w.code for w in referral_warnings(world.client, world.service)}
    assert "needs_documents" in codes and "not_eligible" not in codes

    login(world.counselor)
    refer = f"/referrals/clients/{world.client.id}/refer?service={world.service.id}"
    html = client.get(refer).get_data(as_text=True)
    assert "Eligibility by this person's answers: Needs documents" in html
    assert "Needs: birth certificate" in html
    assert html.index("ID Help Desk") < html.index("Papers Far Away")  # nearest first
    assert "You can still send it, but you must say why below." not in html

    add = f"/referrals/clients/{world.client.id}/documents/birth_certificate/plan"
    response = client.post(add, data={"back": refer})
    assert response.status_code == 302 and response.headers["Location"].endswith(refer)
    assert client.post(add, data={"back": refer}).status_code == 302  # a second click
    items = db.session.scalars(
        select(PlanItem).where(PlanItem.title == "Get a birth certificate")
    ).all()
    assert len(items) == 1 and items[0].kind == ItemKind.ID_DOCUMENTS
    html = client.get(refer).get_data(as_text=True)
    assert "on the plan" in html


def test_add_to_plan_needs_a_plan_and_the_team(client, login, world) -> None:  # noqa: ANN001
    add = f"/referrals/clients/{world.client.id}/documents/medicaid_card/plan"
    login(world.counselor)
    assert client.post(add).status_code == 409  # no plan yet
    start_plan(world.client, world.counselor)
    db.session.commit()
    login(world.outsider)
    assert client.post(add).status_code == 403
    login(world.counselor)
    assert client.post(add).status_code == 302
    item = db.session.scalars(select(PlanItem).where(PlanItem.title == "Get a Medicaid card")).one()
    assert item.kind == ItemKind.BENEFITS
    assert (
        client.post(f"/referrals/clients/{world.client.id}/documents/passport/plan").status_code
        == 404
    )


def test_strict_flag_is_saved_from_the_eligibility_form(client, login, world) -> None:  # noqa: ANN001
    login(world.provider)
    url = f"/directory/services/{world.service.id}/eligibility"
    assert client.get(url).status_code == 200
    data = {"documents_answer": "yes", "documents_values": ["birth_certificate"],
            "documents_strict": "y"}  # fmt: skip
    response = client.post(url, data=data)
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    rule = db.session.scalars(
        select(EligibilityRule).where(EligibilityRule.service_id == world.service.id)
    ).one()
    assert rule.strict is True and rule.values == ["birth_certificate"]


def _token(user) -> dict[str, str]:  # noqa: ANN001
    from app.accounts.api_tokens import create_token

    _, plaintext = create_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plaintext}"}


def test_the_api_says_what_is_missing_who_helps_and_adds_the_plan_item(client, world) -> None:  # noqa: ANN001
    _entitlements_help(world)
    world.client.documents_held = ["state_id"]
    factories.make_rule(
        world.service, Criterion.DOCUMENTS, Answer.YES, values=["birth_certificate"]
    )
    db.session.commit()
    headers = _token(world.counselor)
    query = {"client_id": world.client.id, "service_id": world.service.id}

    def check() -> dict:
        return client.get("/api/referrals/check", query_string=query, headers=headers).get_json()

    found = check()
    assert "needs_documents" in {w["code"] for w in found["warnings"]}
    assert found["documents"]["needs"] == [
        {"code": "birth_certificate", "name": "Birth certificate", "plan_item_id": None}
    ]
    assert [h["name"] for h in found["documents"]["help"]] == ["ID Help Desk", "Papers Far Away"]

    add = f"/api/clients/{world.client.id}/plan/documents"
    body = {"document": "birth_certificate"}
    assert client.post(add, json=body, headers=headers).status_code == 404  # no plan yet
    start_plan(world.client, world.counselor)
    db.session.commit()
    first = client.post(add, json=body, headers=headers)
    assert first.status_code == 201 and first.get_json()["title"] == "Get a birth certificate"
    again = client.post(add, json=body, headers=headers)  # the open item, not a second one
    assert again.status_code == 200 and again.get_json()["id"] == first.get_json()["id"]
    assert check()["documents"]["needs"][0]["plan_item_id"] == first.get_json()["id"]
    wrong = client.post(add, json={"document": "passport"}, headers=headers)
    assert wrong.status_code == 422 and wrong.get_json()["field"] == "document"
    outsider = client.post(add, json=body, headers=_token(world.outsider))
    assert outsider.status_code == 404
