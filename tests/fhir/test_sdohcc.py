"""The SDOHCC resources (Task, ServiceRequest, Consent) follow the profile rules we read from the
IG's own FHIR Shorthand (tests/fhir/sdohcc.py), parse with an independent FHIR R4 library
(fhirclient, strict), and the /fhir/ facade serves them with the referral API's visibility."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fhirclient.models.bundle import Bundle
from fhirclient.models.capabilitystatement import CapabilityStatement
from fhirclient.models.consent import Consent as FhirConsent
from fhirclient.models.operationoutcome import OperationOutcome
from fhirclient.models.servicerequest import ServiceRequest as FhirServiceRequest
from fhirclient.models.task import Task as FhirTask
from sqlalchemy import select

from app.accounts.api_tokens import create_token
from app.accounts.models import Facility, Role
from app.audit.models import AuditEntry
from app.extensions import db
from app.fhir.canonical import CANONICAL_BASE
from app.referrals.fhir import to_fhir_task
from app.referrals.fhir_consent import to_fhir_consent
from app.referrals.fhir_request import to_fhir_service_request
from app.referrals.vocabulary import ReferralStatus
from tests import factories
from tests.fhir import sdohcc
from tests.referrals.test_fhir import FIRST, LAST, referral_in

PARSER = {"Task": FhirTask, "ServiceRequest": FhirServiceRequest, "Consent": FhirConsent}
PROFILE = {
    "Task": "SDOHCCTaskForReferralManagement",
    "ServiceRequest": "SDOHCCServiceRequest",
    "Consent": "SDOHCCConsent",
}


@pytest.fixture
def people(db):  # noqa: ANN001,ANN201
    org = factories.make_organization(name="Harbor House Org")
    other = factories.make_organization(name="Other Org")
    service = factories.make_service(org, name="Transitional Housing")
    factories.make_capacity(service)
    facility = Facility(name="North Prison")
    db.session.add(facility)
    counselor = factories.make_user(Role.COUNSELOR, name="Casey Counselorname")
    counselor.facility = facility
    provider = factories.make_user(Role.PROVIDER, organizations=[org])
    stranger = factories.make_user(Role.PROVIDER, organizations=[other])
    person = factories.make_client(
        counselor, first_name=FIRST, last_name=LAST, date_of_birth=date(1979, 11, 23),
        projected_release_date=date(2030, 1, 15),
    )  # fmt: skip
    person.facility = facility
    db.session.flush()
    return {"org": org, "other": other, "service": service, "counselor": counselor,
            "provider": provider, "stranger": stranger, "client": person}  # fmt: skip


def conforms(resource: dict) -> None:
    """Every profile rule we rely on, and a strict parse by an independent R4 model."""
    kind = resource["resourceType"]
    assert resource["meta"]["profile"] == [
        f"http://hl7.org/fhir/us/sdoh-clinicalcare/StructureDefinition/SDOHCC-{PROFILE[kind][6:]}"
    ]
    assert sdohcc.problems(resource, PROFILE[kind]) == []
    parsed = PARSER[kind](json.loads(json.dumps(resource)), strict=True)
    assert parsed.as_json() == resource  # nothing dropped or changed by the parse
    text = json.dumps(resource)
    assert FIRST not in text and LAST not in text and "1979" not in text


@pytest.mark.parametrize("status", list(ReferralStatus), ids=lambda s: s.value)
def test_every_status_gives_conforming_task_and_service_request(people, status) -> None:  # noqa: ANN001
    referral = referral_in(people, status)
    task = to_fhir_task(referral)
    conforms(task)
    assert task["status"] in sdohcc.referral_task_status()
    assert task["businessStatus"]["coding"][0] == {
        "system": f"{CANONICAL_BASE}/CodeSystem/referral-status",
        "code": status.value, "display": status.label,
    }  # fmt: skip
    assert task["focus"]["reference"] == f"ServiceRequest/{referral.id}"
    assert task["requester"]["reference"] == f"PractitionerRole/{people['counselor'].id}"
    assert task["owner"]["reference"] == f"Organization/{people['org'].id}"
    if task["status"] in ("rejected", "cancelled", "on-hold", "failed"):
        assert task["statusReason"]["text"].strip()

    request = to_fhir_service_request(referral)
    conforms(request)
    # US Core ServiceRequest (the parent profile): code and subject are required; the code is
    # SNOMED CT, one of US Core Procedure Codes' systems.
    assert request["code"]["coding"][0]["system"] == "http://snomed.info/sct"
    assert request["subject"]["reference"].startswith("Patient/")
    assert request["supportingInfo"] == [
        {"reference": f"Consent/{referral.consent_id}", "type": "Consent"}
    ]


def test_received_is_requested_with_received_as_business_status(people) -> None:  # noqa: ANN001
    task = to_fhir_task(referral_in(people, ReferralStatus.RECEIVED))
    assert task["status"] == "requested"
    assert task["businessStatus"]["coding"][0]["code"] == "received"


def test_the_checker_can_fail() -> None:
    bad = {"resourceType": "Task", "status": "received", "intent": "plan",
           "focus": {"reference": "HealthcareService/1", "type": "HealthcareService"},
           "requester": {"reference": "Practitioner/1", "type": "Practitioner"},
           "statusReason": {"coding": []}}  # fmt: skip
    found = sdohcc.problems(bad, "SDOHCCTaskForReferralManagement")
    for element in ("status", "intent", "focus", "requester", "statusReason.text", "code", "for",
                    "authoredOn"):  # fmt: skip
        assert any(p.startswith(f"{element}:") for p in found), element
    consent = sdohcc.problems({"resourceType": "Consent"}, "SDOHCCConsent")
    assert {p.split(":")[0] for p in consent} >= {
        "patient", "dateTime", "organization", "source[x]", "category[IDSCL]"
    }  # fmt: skip


def test_consent_conforms_in_every_state(people) -> None:  # noqa: ANN001
    referral = referral_in(people, ReferralStatus.SENT)
    consent = referral.consent
    active = to_fhir_consent(consent, consent.signed_on)
    conforms(active)
    assert active["status"] == "active"
    assert active["organization"][0]["reference"] == f"Organization/{people['client'].facility_id}"
    assert active["provision"]["period"]["end"] == consent.expires_on.isoformat()
    assert to_fhir_consent(consent, date(2099, 1, 1))["status"] == "inactive"


def _get(client, path: str, user, **headers):  # noqa: ANN001,ANN003,ANN202
    _, token = create_token(user, "fhir")
    db.session.commit()
    return client.get(path, headers={"Authorization": f"Bearer {token}", **headers})


def test_facade_reads_each_resource(people, client) -> None:  # noqa: ANN001
    referral = referral_in(people, ReferralStatus.DECLINED)
    for kind in ("Task", "ServiceRequest"):
        response = _get(client, f"/fhir/{kind}/{referral.id}", people["provider"])
        assert response.status_code == 200 and response.mimetype == "application/fhir+json"
        conforms(response.get_json(force=True))
    response = _get(client, f"/fhir/Consent/{referral.consent_id}", people["provider"])
    assert response.status_code == 200
    conforms(response.get_json(force=True))
    # a consent read is audited like the other reads of the person (client.view, via fhir)
    reads = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "client.view", AuditEntry.client_id == referral.client_id
        )
    ).all()
    assert len(reads) == 3 and all(r.details["via"] == "fhir" for r in reads)
    # Another organization's staff see none of it: 404, as for an id that does not exist.
    for path in (f"/fhir/Task/{referral.id}", f"/fhir/Consent/{referral.consent_id}"):
        response = _get(client, path, people["stranger"])
        assert response.status_code == 404
        assert response.get_json(force=True)["resourceType"] == "OperationOutcome"


def test_metadata_errors_and_formats(people, client) -> None:  # noqa: ANN001
    meta = client.get("/fhir/metadata")
    assert meta.status_code == 200 and meta.mimetype == "application/fhir+json"
    assert meta.get_json(force=True)["fhirVersion"] == "4.0.1"
    xml = client.get("/fhir/metadata", headers={"Accept": "application/fhir+xml"})
    assert xml.status_code == 406
    assert xml.get_json(force=True)["resourceType"] == "OperationOutcome"
    assert client.get("/fhir/metadata?_format=xml").status_code == 406
    # FHIR JSON however the client spells it: with R4's fhirVersion or a charset, DSTU2's name
    for accept in (
        "application/fhir+json; fhirVersion=4.0",
        "application/fhir+json; charset=utf-8",
        "application/json+fhir",
        "application/fhir+xml;q=0.9, application/fhir+json;q=0.8",
    ):
        assert client.get("/fhir/metadata", headers={"Accept": accept}).status_code == 200, accept
    assert (
        client.get("/fhir/metadata?_format=application/fhir%2Bjson;fhirVersion=4.0").status_code
        == 200
    )
    # an independent R4 library reads the CapabilityStatement and an OperationOutcome
    CapabilityStatement(meta.get_json(force=True), strict=True)
    OperationOutcome(xml.get_json(force=True), strict=True)
    no_token = client.get("/fhir/Task")
    assert no_token.status_code == 401 and "WWW-Authenticate" in no_token.headers
    assert no_token.get_json(force=True)["issue"][0]["code"] == "login"
    unknown = client.get("/fhir/Observation/1")
    assert unknown.status_code == 404 and unknown.mimetype == "application/fhir+json"


def test_task_search(people, client) -> None:  # noqa: ANN001
    declined = referral_in(people, ReferralStatus.DECLINED)
    sent = referral_in(people, ReferralStatus.SENT)

    def ids(query: str) -> set[str]:
        response = _get(client, f"/fhir/Task?{query}", people["provider"])
        assert response.status_code == 200, response.get_data(as_text=True)
        bundle = response.get_json(force=True)
        assert bundle["resourceType"] == "Bundle" and bundle["type"] == "searchset"
        Bundle(bundle, strict=True)  # an independent R4 library reads the search's Bundle
        for entry in bundle["entry"]:
            conforms(entry["resource"])
        return {e["resource"]["id"] for e in bundle["entry"]}

    assert ids("") == {declined.id, sent.id}
    assert ids("status=rejected") == {declined.id}
    assert ids("status=requested,rejected") == {declined.id, sent.id}
    assert ids(f"owner=Organization/{people['org'].id}") == {declined.id, sent.id}
    assert ids(f"owner={people['other'].id}") == set()
    assert ids("_lastUpdated=ge2000-01-01") == {declined.id, sent.id}
    assert ids("_lastUpdated=lt2000-01-01") == set()
    assert _get(client, "/fhir/Task", people["stranger"]).get_json(force=True)["total"] == 0
    bad = _get(client, "/fhir/Task?status=received", people["provider"])
    assert bad.status_code == 400
    assert bad.get_json(force=True)["resourceType"] == "OperationOutcome"
    assert (
        _get(client, "/fhir/Task?_lastUpdated=ge2026-13-01", people["provider"]).status_code == 400
    )
