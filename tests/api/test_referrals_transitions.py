"""POST /api/referrals/{id}/transitions: the whole happy path over the API, and every refusal."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from app.extensions import db
from app.referrals.models import ReferralEvent
from tests import factories
from tests.api.test_referrals import api  # noqa: F401  the shared fixture


def step(client, referral_id: str, headers: dict, **body):  # noqa: ANN001,ANN003,ANN201
    return client.post(f"/api/referrals/{referral_id}/transitions", json=body, headers=headers)


def test_the_full_happy_path_over_the_api(client, api):  # noqa: ANN001,F811
    referral = factories.make_referral(api.client, api.service, api.counselor)
    p = api.h["provider"]

    r = step(client, referral.id, p, to="received", version=1)
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "received"

    r = step(client, referral.id, p, to="waitlisted", version=2, reason="Full until March",
             expected_date="2030-03-01")  # fmt: skip
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["expected_date"] == "2030-03-01"
    assert r.get_json()["reason_text"] == "Full until March"

    r = step(client, referral.id, p, to="accepted", version=3,
             intake_at="2030-03-02T09:30:00-05:00", what_to_bring="State ID")  # fmt: skip
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["intake_at"] == "2030-03-02T14:30:00+00:00"

    r = step(client, referral.id, p, to="in-progress", version=4)  # FHIR code for enrolled
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["status"] == "enrolled"

    r = step(client, referral.id, p, to="completed", version=5, outcome="Housed for 90 days",
             note="Moved on to permanent housing")  # fmt: skip
    assert r.status_code == 200, r.get_json()
    data = r.get_json()
    assert data["status"] == "completed" and data["version"] == 6
    assert data["outcome"] == "Housed for 90 days"
    assert data["closed_at"] is not None
    assert [e["to"] for e in data["events"]] == [
        "sent", "received", "waitlisted", "accepted", "enrolled", "completed"
    ]  # fmt: skip
    assert data["events"][-1]["note"] == "Moved on to permanent housing"
    # The counselor's side sees the same timeline.
    seen = client.get(f"/api/referrals/{referral.id}", headers=api.h["counselor"]).get_json()
    assert [e["to"] for e in seen["events"]] == [e["to"] for e in data["events"]]


def test_a_stale_version_gets_409_and_changes_nothing(client, api):  # noqa: ANN001,F811
    referral = factories.make_referral(api.client, api.service, api.counselor)
    first = step(client, referral.id, api.h["provider"], to="received", version=1)
    assert first.status_code == 200
    # A colleague still holding version 1 accepts: a valid step, but on a stale copy.
    late = step(client, referral.id, api.h["admin"], to="accepted", version=1)
    assert late.status_code == 409
    problem = late.get_json()
    assert "Someone else" in problem["detail"]
    assert problem["current"] == {"status": "received", "version": 2}
    assert factories.reload(referral).status.value == "received"
    assert step(client, referral.id, api.h["admin"], to="accepted", version=2).status_code == 200


def test_invalid_step_from_this_status_is_409(client, api):  # noqa: ANN001,F811
    referral = factories.make_referral(api.client, api.service, api.counselor)
    response = step(client, referral.id, api.h["provider"], to="completed", version=1,
                    outcome="Done")  # fmt: skip
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert factories.reload(referral).status.value == "sent"


def test_decline_reason_maps_to_a_code_or_words(client, api):  # noqa: ANN001,F811
    referral = factories.make_referral(api.client, api.service, api.counselor)
    missing = step(client, referral.id, api.h["provider"], to="rejected", version=1,
                   reason="we are busy")  # fmt: skip
    assert missing.status_code == 422
    assert missing.get_json()["field"] == "reason"
    assert "no_capacity" in missing.get_json()["allowed_reasons"]

    other = step(client, referral.id, api.h["provider"], to="declined", version=1, reason="other")
    assert other.status_code == 422 and other.get_json()["field"] == "reason_text"

    ok = step(client, referral.id, api.h["provider"], to="declined", version=1, reason="other",
              reason_text="Program closing")  # fmt: skip
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["reason_code"] == "other"
    assert ok.get_json()["reason_text"] == "Program closing"


def test_cancel_needs_a_reason_and_only_the_team_may_cancel(client, api):  # noqa: ANN001,F811
    referral = factories.make_referral(api.client, api.service, api.counselor)
    by_provider = step(client, referral.id, api.h["provider"], to="cancelled", version=1,
                       reason="Found elsewhere")  # fmt: skip
    assert by_provider.status_code == 403
    no_reason = step(client, referral.id, api.h["counselor"], to="cancelled", version=1)
    assert no_reason.status_code == 422 and no_reason.get_json()["field"] == "reason"
    done = step(client, referral.id, api.h["counselor"], to="cancelled", version=1,
                reason="Found a place elsewhere")  # fmt: skip
    assert done.status_code == 200
    assert done.get_json()["reason_text"] == "Found a place elsewhere"


def test_completing_needs_an_outcome(client, api):  # noqa: ANN001,F811
    referral = factories.make_referral(api.client, api.service, api.counselor)
    for version, target in enumerate(("accepted", "enrolled"), start=1):
        assert (
            step(client, referral.id, api.h["provider"], to=target, version=version).status_code
            == 200
        )
    response = step(client, referral.id, api.h["provider"], to="completed", version=3)
    assert response.status_code == 422 and response.get_json()["field"] == "outcome"


def test_counselor_cannot_answer_for_the_provider(client, api):  # noqa: ANN001,F811
    referral = factories.make_referral(api.client, api.service, api.counselor)
    response = step(client, referral.id, api.h["counselor"], to="accepted", version=1)
    assert response.status_code == 403
    assert factories.reload(referral).status.value == "sent"


def test_bad_bodies_are_422_naming_the_member(client, api):  # noqa: ANN001,F811
    referral = factories.make_referral(api.client, api.service, api.counselor)
    p = api.h["provider"]
    cases = [
        ({"version": 1}, "to"),
        ({"to": "lost", "version": 1}, "to"),
        ({"to": "sent", "version": 1}, "to"),  # no step leads back to sent
        ({"to": "accepted"}, "version"),
        ({"to": "accepted", "version": "1"}, "version"),
        ({"to": "accepted", "version": 1, "intake_at": "tomorrow"}, "intake_at"),
        ({"to": "accepted", "version": 1, "intake_at": "2030-03-02T09:30:00"}, "intake_at"),
        ({"to": "waitlisted", "version": 1, "reason": "Full", "expected_date": "soon"},
         "expected_date"),
    ]  # fmt: skip
    for body, field in cases:
        response = step(client, referral.id, p, **body)
        assert response.status_code == 422, (body, response.get_json())
        assert response.get_json()["field"] == field, body
    assert factories.reload(referral).status.value == "sent"
    events = list(factories.reload(referral).events)
    assert len(events) == 1


def test_foreign_and_unknown_referrals_are_404(client, api):  # noqa: ANN001,F811
    referral = factories.make_referral(api.client, api.service, api.counselor)
    for who in ("other_provider", "outsider"):
        response = step(client, referral.id, api.h[who], to="accepted", version=1)
        assert response.status_code == 404, who
    assert (
        step(client, str(uuid.uuid4()), api.h["admin"], to="accepted", version=1).status_code == 404
    )
    assert step(client, referral.id, {}, to="accepted", version=1).status_code == 401
    assert step(client, referral.id, api.h["analyst"], to="accepted", version=1).status_code == 403
    assert len(list(db.session.scalars(select(ReferralEvent)))) == 1
