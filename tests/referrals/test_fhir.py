"""The FHIR R4 Task view of a referral: status value set, required fields, reasons, outcome, and
no personal data about the client."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.accounts.api_tokens import create_token
from app.accounts.models import Role
from app.extensions import db
from app.fhir.canonical import CANONICAL_BASE
from app.referrals.fhir import TASK_CODE_SYSTEM, to_fhir_task
from app.referrals.services import transition
from app.referrals.vocabulary import FHIR_STATUS, ReferralStatus
from app.referrals.workflow import Action
from tests import factories

FIRST, LAST, DOB, INMATE = "Zebulon", "Quixwell", date(1979, 11, 23), "INM-448812"
COUNSELOR_NAME = "Casey Counselorname"

# How to reach each status from "sent": (action, actor key, extra arguments).
PATHS: dict[ReferralStatus, list[tuple[Action, str, dict]]] = {
    ReferralStatus.SENT: [],
    ReferralStatus.RECEIVED: [(Action.RECEIVE, "provider", {})],
    ReferralStatus.ACCEPTED: [(Action.ACCEPT, "provider", {})],
    ReferralStatus.WAITLISTED: [(Action.WAITLIST, "provider", {"reason_text": "Full until May"})],
    ReferralStatus.DECLINED: [(Action.DECLINE, "provider", {"reason_code": "not_eligible"})],
    ReferralStatus.ENROLLED: [(Action.ACCEPT, "provider", {}), (Action.ENROLL, "provider", {})],
    ReferralStatus.COMPLETED: [
        (Action.ACCEPT, "provider", {}),
        (Action.ENROLL, "provider", {}),
        (Action.COMPLETE, "provider", {"outcome": "Stayed 90 days, moved to own flat"}),
    ],
    ReferralStatus.NOT_ENROLLED: [
        (Action.ACCEPT, "provider", {}),
        (Action.NOT_ENROLLED, "provider", {"reason_code": "no_show"}),
    ],
    ReferralStatus.CANCELLED: [(Action.CANCEL, "counselor", {"reason_text": "Found a bed"})],
    ReferralStatus.ENTERED_IN_ERROR: [
        (Action.ENTERED_IN_ERROR, "counselor", {"reason_text": "Wrong person"})
    ],
}
FHIR_CODES = {
    "requested", "received", "accepted", "on-hold", "rejected", "in-progress", "completed",
    "failed", "cancelled", "entered-in-error",
}  # fmt: skip


@pytest.fixture
def people(db):  # noqa: ANN001,ANN201
    org = factories.make_organization(name="Harbor House Org")
    service = factories.make_service(org, name="Transitional Housing")
    factories.make_capacity(service)
    counselor = factories.make_user(Role.COUNSELOR, name=COUNSELOR_NAME)
    provider = factories.make_user(Role.PROVIDER, organizations=[org])
    person = factories.make_client(
        counselor,
        first_name=FIRST,
        last_name=LAST,
        date_of_birth=DOB,
        inmate_number=INMATE,
        projected_release_date=date(2030, 1, 15),
    )
    return {"org": org, "service": service, "counselor": counselor, "provider": provider,
            "client": person}  # fmt: skip


def referral_in(people: dict, status: ReferralStatus, **kw):  # noqa: ANN003,ANN201
    referral = factories.make_referral(
        people["client"], people["service"], people["counselor"], **kw
    )
    for action, who, extra in PATHS[status]:
        transition(referral, action, people[who], expected_version=referral.version, **extra)
        db.session.commit()
    assert referral.status == status
    return referral


def test_the_status_value_set_is_the_ten_fhir_codes_we_use() -> None:
    assert set(FHIR_STATUS.values()) == FHIR_CODES
    assert set(FHIR_STATUS) == set(ReferralStatus)


@pytest.mark.parametrize("status", list(ReferralStatus), ids=lambda s: s.value)
def test_task_shape_for_every_status(people, status: ReferralStatus) -> None:  # noqa: ANN001
    referral = referral_in(people, status)
    task = to_fhir_task(referral)

    assert task["resourceType"] == "Task"
    assert task["id"] == referral.id
    expected = "requested" if status == ReferralStatus.RECEIVED else FHIR_STATUS[status]
    assert task["status"] == expected and task["status"] in FHIR_CODES - {"received"}
    assert task["intent"] == "order"
    assert task["code"]["coding"][0] == {
        "system": TASK_CODE_SYSTEM, "code": "fulfill", "display": "Fulfill the focal request"
    }  # fmt: skip
    assert task["businessStatus"]["coding"][0]["code"] == status.value
    assert task["priority"] == "routine"
    assert task["owner"]["reference"] == f"Organization/{people['org'].id}"
    assert task["requester"] == {"reference": f"PractitionerRole/{people['counselor'].id}",
                                 "type": "PractitionerRole"}  # fmt: skip
    assert task["for"] == {"reference": f"Patient/{people['client'].id}", "type": "Patient"}
    assert task["focus"]["reference"] == f"ServiceRequest/{referral.id}"
    assert task["authoredOn"].endswith("Z") and task["lastModified"].endswith("Z")
    assert task["restriction"]["period"]["end"] == "2030-01-15"

    has_reason = task["status"] in {"rejected", "cancelled", "on-hold", "failed",
                                    "entered-in-error"}  # fmt: skip
    assert ("statusReason" in task) == has_reason
    assert ("output" in task) == (status == ReferralStatus.COMPLETED)

    text = json.dumps(task)
    for secret in (FIRST, LAST, DOB.isoformat(), "11/23/1979", INMATE, COUNSELOR_NAME):
        assert secret not in text, secret


def test_status_reason_carries_our_code_and_words(people) -> None:  # noqa: ANN001
    declined = to_fhir_task(referral_in(people, ReferralStatus.DECLINED))
    assert declined["statusReason"]["coding"] == [
        {"system": f"{CANONICAL_BASE}/CodeSystem/referral-reason", "code": "not_eligible",
         "display": "Not eligible"}
    ]  # fmt: skip
    assert declined["statusReason"]["text"] == "Not eligible"

    waitlisted = to_fhir_task(referral_in(people, ReferralStatus.WAITLISTED))
    assert waitlisted["statusReason"] == {"text": "Full until May"}

    failed = to_fhir_task(referral_in(people, ReferralStatus.NOT_ENROLLED))
    assert failed["statusReason"]["coding"][0]["code"] == "no_show"


def test_completed_task_has_the_outcome_as_output(people) -> None:  # noqa: ANN001
    task = to_fhir_task(referral_in(people, ReferralStatus.COMPLETED, priority="urgent"))
    assert task["priority"] == "urgent"
    assert task["output"][0]["valueString"] == "Stayed 90 days, moved to own flat"
    assert task["output"][0]["type"]["text"] == "Outcome"


def test_fhir_endpoint_serves_the_task(people, client) -> None:  # noqa: ANN001
    referral = referral_in(people, ReferralStatus.DECLINED)
    _, token = create_token(people["provider"], "fhir")
    db.session.commit()
    response = client.get(
        f"/api/referrals/{referral.id}/fhir", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    task = response.get_json(force=True)
    assert task["resourceType"] == "Task" and task["status"] == "rejected"
    # Under the fixed canonical base, not the deployment's address (http://localhost here).
    assert task["identifier"][0]["system"] == f"{CANONICAL_BASE}/sid/referral"
    assert FIRST not in response.get_data(as_text=True)
