"""Every reference in a Task, ServiceRequest and Consent resolves in the /fhir/ facade (or, for a
person the reader may not see, is an identifier-only reference); ServiceRequest.category is an
SDOHCC category; the new resources parse strictly with an independent FHIR R4 library and the
PractitionerRole follows the SDOHCC profile's rules."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fhirclient.models.healthcareservice import HealthcareService
from fhirclient.models.location import Location
from fhirclient.models.organization import Organization
from fhirclient.models.patient import Patient
from fhirclient.models.practitioner import Practitioner
from fhirclient.models.practitionerrole import PractitionerRole

from app.accounts.api_tokens import create_token
from app.extensions import db
from app.fhir.canonical import REFERRAL_CLIENT_IDENTIFIER
from app.fhir.sdoh_category import SDOHCC_CATEGORY_SYSTEM, category_code
from app.referrals.fhir_request import to_fhir_service_request
from app.referrals.services import revoke_consent
from app.referrals.vocabulary import ReferralStatus
from tests import factories
from tests.fhir import sdohcc
from tests.fhir.test_sdohcc import conforms, people  # noqa: F401
from tests.interop.hsds_helpers import taxonomy  # noqa: F401
from tests.referrals.test_fhir import FIRST, LAST, referral_in

ROOT = Path(__file__).resolve().parents[2]
PARSERS = {"Organization": Organization, "HealthcareService": HealthcareService,
           "Location": Location, "Practitioner": Practitioner,
           "PractitionerRole": PractitionerRole, "Patient": Patient}  # fmt: skip


def sdoh_categories() -> set[str]:
    """The SDOH category codes the ServiceRequest profile binds (its AdditionalBinding lines)."""
    text = (sdohcc.FSH / "SDOHCCServiceRequest.fsh").read_text()
    return set(re.findall(r"ServiceRequest\.category, ([\w-]+),", text))


def headers(user) -> dict[str, str]:  # noqa: ANN001
    _, token = create_token(user, "fhir references")
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def references(resource: Any) -> list[dict]:
    """Every Reference in a resource (a dict with `reference` or an identifier-only one)."""
    found = []
    if isinstance(resource, dict):
        literal = isinstance(resource.get("reference"), str)
        logical = "identifier" in resource and "type" in resource
        if literal or (logical and "resourceType" not in resource):
            found.append(resource)
        for value in resource.values():
            found += references(value)
    elif isinstance(resource, list):
        for value in resource:
            found += references(value)
    return found


def read_all(client, referral, h: dict) -> list[dict]:  # noqa: ANN001
    out = []
    for path in (f"/fhir/Task/{referral.id}", f"/fhir/ServiceRequest/{referral.id}",
                 f"/fhir/Consent/{referral.consent_id}"):  # fmt: skip
        response = client.get(path, headers=h)
        assert response.status_code == 200, path
        out.append(response.get_json(force=True))
    return out


def test_every_need_area_has_an_sdohcc_category() -> None:
    known = sdoh_categories()
    assert {"housing-instability", "food-insecurity", "sdoh-category-unspecified"} <= known
    with (ROOT / "seed" / "need_areas.csv").open(encoding="utf-8") as f:
        areas = [row["code"] for row in csv.DictReader(f)]
    assert areas
    for area in areas:
        assert category_code(area) in known, area
    assert category_code("housing") == "housing-instability"
    assert category_code("housing.emergency_shelter") == "homelessness"
    assert category_code("housing.recovery") == "housing-instability"
    assert category_code("food") == "food-insecurity"
    assert category_code("substance_use") == "sdoh-category-unspecified"


@pytest.mark.parametrize(("area", "code"), [("food", "food-insecurity"),
                                            ("housing", "housing-instability")])  # fmt: skip
@pytest.mark.usefixtures("taxonomy")
def test_service_request_category_follows_the_need(people, area: str, code: str) -> None:  # noqa: ANN001,F811
    referral = referral_in(people, ReferralStatus.SENT, need_area_code=area)
    request = to_fhir_service_request(referral)
    conforms(request)
    assert request["category"] == [{"coding": [
        {"system": SDOHCC_CATEGORY_SYSTEM, "code": code, "display": request["category"][0]
         ["coding"][0]["display"]}]}]  # fmt: skip


def test_without_a_known_need_category_is_left_out(people) -> None:  # noqa: ANN001,F811
    request = to_fhir_service_request(referral_in(people, ReferralStatus.SENT))
    assert "category" not in request  # the service has no need area: no empty array
    conforms(request)


@pytest.mark.parametrize("reader", ["counselor", "provider"])
@pytest.mark.usefixtures("taxonomy")
def test_every_reference_resolves_for_those_who_may_see_the_person(client, people, reader) -> None:  # noqa: ANN001,F811
    referral = referral_in(people, ReferralStatus.ACCEPTED, need_area_code="housing")
    h = headers(people[reader])
    seen = set()
    for resource in read_all(client, referral, h):
        for ref in references(resource):
            if "reference" not in ref:
                assert ref["identifier"]["system"] != REFERRAL_CLIENT_IDENTIFIER, ref
                continue  # the network's logical reference (no facility): an identifier
            kind, id_ = ref["reference"].split("/")
            assert ref.get("type", kind) == kind
            response = client.get(f"/fhir/{kind}/{id_}", headers=h)
            assert response.status_code == 200, ref
            assert response.mimetype == "application/fhir+json"
            body = response.get_json(force=True)
            assert body["resourceType"] == kind and body["id"] == id_
            if kind in PARSERS:
                parsed = PARSERS[kind](json.loads(json.dumps(body)), strict=True)
                assert parsed.as_json() == body
            seen.add(kind)
    assert {"ServiceRequest", "Consent", "PractitionerRole", "Organization",
            "HealthcareService", "Patient"} <= seen  # fmt: skip


def test_practitioner_role_is_the_counselor_at_their_facility(client, people) -> None:  # noqa: ANN001,F811
    counselor = people["counselor"]
    referral = referral_in(people, ReferralStatus.SENT)
    h = headers(people["provider"])
    role = client.get(f"/fhir/PractitionerRole/{counselor.id}", headers=h).get_json(force=True)
    assert role["meta"]["profile"] == [
        "http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-PractitionerRole"
    ]
    assert sdohcc.problems(role, "SDOHCCPractitionerRole") == []
    assert role["practitioner"]["reference"] == f"Practitioner/{counselor.id}"
    assert role["organization"]["reference"] == f"Organization/{counselor.facility_id}"
    facility = client.get(f"/fhir/Organization/{counselor.facility_id}", headers=h)
    assert facility.get_json(force=True)["name"] == "North Prison"
    person = client.get(f"/fhir/Practitioner/{counselor.id}", headers=h).get_json(force=True)
    assert person["name"] == [{"text": counselor.name}]
    assert referral.referrer_id == counselor.id
    # Staff of another organization, who never got a referral from this counselor: 404.
    stranger = headers(people["stranger"])
    for kind in ("PractitionerRole", "Practitioner"):
        response = client.get(f"/fhir/{kind}/{counselor.id}", headers=stranger)
        assert response.status_code == 404
        assert response.get_json(force=True)["resourceType"] == "OperationOutcome"


def test_the_checker_finds_a_role_without_organization() -> None:
    role = {"resourceType": "PractitionerRole",
            "practitioner": {"reference": "Practitioner/1", "type": "Practitioner"}}  # fmt: skip
    assert sdohcc.problems(role, "SDOHCCPractitionerRole") == [
        "organization: at least 1 required, found 0"
    ]


def test_patient_shows_what_the_referral_api_would_and_no_more(client, people) -> None:  # noqa: ANN001,F811
    referral = referral_in(people, ReferralStatus.SENT)
    person = people["client"]
    team = client.get(f"/fhir/Patient/{person.id}", headers=headers(people["counselor"]))
    body = team.get_json(force=True)
    assert body["name"] == [{"family": LAST, "given": [FIRST]}]
    assert body["birthDate"] == "1979-11-23"
    provider = client.get(f"/fhir/Patient/{person.id}", headers=headers(people["provider"]))
    assert provider.status_code == 200  # the consent shares identity
    assert provider.get_json(force=True)["name"] == [{"family": LAST, "given": [FIRST]}]
    stranger = client.get(f"/fhir/Patient/{person.id}", headers=headers(people["stranger"]))
    assert stranger.status_code == 404
    # Once the consent is revoked, the provider no longer sees the person: the Task's `for` is
    # an identifier-only reference, and Patient/<id> answers 404.
    revoke_consent(referral.consent, people["counselor"], "changed their mind")
    db.session.commit()
    h = headers(people["provider"])
    task = client.get(f"/fhir/Task/{referral.id}", headers=h).get_json(force=True)
    assert "reference" not in task["for"]
    assert task["for"]["type"] == "Patient"
    assert task["for"]["identifier"]["system"] == REFERRAL_CLIENT_IDENTIFIER
    assert task["for"]["identifier"]["value"] != person.id
    for resource in read_all(client, referral, h):
        text = json.dumps(resource)
        assert f"Patient/{person.id}" not in text and person.id not in text
        conforms(resource)
    assert client.get(f"/fhir/Patient/{person.id}", headers=h).status_code == 404


def test_directory_references_and_unknown_ids(client, people) -> None:  # noqa: ANN001,F811
    h = headers(people["provider"])
    service = people["service"]
    location = factories.make_location(people["org"], town="Hartford")
    service_body = client.get(f"/fhir/HealthcareService/{service.id}", headers=h)
    assert service_body.get_json(force=True)["providedBy"]["reference"] == (
        f"Organization/{people['org'].id}"
    )
    loc = client.get(f"/fhir/Location/{location.id}", headers=h).get_json(force=True)
    Location(loc, strict=True)
    for kind in PARSERS:
        missing = client.get(f"/fhir/{kind}/00000000-0000-4000-8000-000000000000", headers=h)
        assert missing.status_code == 404
        assert missing.get_json(force=True)["resourceType"] == "OperationOutcome"
    assert client.get(f"/fhir/Organization/{people['org'].id}").status_code == 401


def test_capability_statement_lists_every_resource_served(client) -> None:  # noqa: ANN001
    meta = client.get("/fhir/metadata").get_json(force=True)
    types = {r["type"] for r in meta["rest"][0]["resource"]}
    assert types == {"Task", "ServiceRequest", "Consent", *PARSERS}
    roles = [r for r in meta["rest"][0]["resource"] if r["type"] == "PractitionerRole"]
    assert roles[0]["supportedProfile"][0].endswith("/SDOHCC-PractitionerRole")
