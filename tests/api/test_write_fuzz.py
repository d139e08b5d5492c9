"""Hypothesis over every JSON member of the write endpoints (capacity PUT, verify POST, referral
create, referral steps, plan item change and add): a valid body with members swapped for extreme
numbers, impossible dates, NUL and control characters, huge, deep, wrongly typed or unknown
values. The answer is a success or a 4xx problem body, never a 5xx, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import timedelta, timezone
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from app.directory.models import ServiceCapacity
from app.extensions import db
from app.plans.models import PlanItem
from app.plans.services import start_plan
from app.referrals.models import Referral
from tests import factories
from tests.api.test_referrals import api  # noqa: F401  the shared fixture

EXAMPLES = 100


def _nested(depth: int) -> object:
    value: object = "x"
    for _ in range(depth):
        value = [value]
    return value


OFFSETS = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
NUMBERS = st.one_of(
    st.integers(-(2**70), 2**70),
    st.sampled_from([2**31 - 1, 2**31, 2**63, -(2**63) - 1, 10**20, 10**300, -1, 0]),
    st.floats(),  # NaN and infinities too: Flask's JSON reader accepts them
)
DATES = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes(timezones=OFFSETS).map(lambda d: d.isoformat()),
    st.sampled_from(
        [
            "0001-01-01",
            "9999-12-31",
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:59:59-01:00",
            "9999-12-31T00:00:00+00:00",
            "2026-02-30",
            "2026-12-06T25:00:00Z",
            "2026-12-06T10:00:00",
            "today",
            "",
        ]
    ),  # fmt: skip
)
TEXT = st.one_of(
    st.text(max_size=50),
    st.text(st.characters(max_codepoint=0x1F), max_size=10),  # NUL and control characters
    st.sampled_from(["\x00", "a\x00b", " ", "x" * 100_001, "\u202e\ufeff", "\ud7ff"]),
)
ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.just([]),
    st.just({}),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.sampled_from([_nested(15), _nested(17), _nested(500)]),
)
VALUES = st.one_of(NUMBERS, DATES, TEXT, ODD)
# Every member also meets each of these once, in order, before the random part.
CANON = [None, True, [], {}, ["x"], {"a": 1}, 2**31, 10**20, -1, 1.5, float("nan"),
         float("inf"), "", " ", "\x00", "a\x00", "\x1b[31m", "x" * 100_001, "0001-01-01",
         "9999-12-31", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
         "9999-12-31T10:00:00+00:00", _nested(17), "\u202e"]  # fmt: skip


def _mutations(members: list[str]):  # noqa: ANN202
    """One to three members (or an unknown one) set to hostile values."""
    names = st.sampled_from([*members, "unknown_member", "\x00"])
    return st.dictionaries(names, VALUES, min_size=1, max_size=3)


def _sweep(members: list[str], send) -> None:  # noqa: ANN001
    """Each member with each canonical hostile value, the rest of the body valid."""
    for name in [*members, "unknown_member"]:
        for value in CANON:
            _ok(send({name: value}))


def _ok(response) -> None:  # noqa: ANN001
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["status"] == response.status_code


FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck))  # fmt: skip

CAPACITY = ["action", "unit", "available", "maximum", "status", "waitlist_length",
            "expected_wait", "version"]  # fmt: skip
CREATE = ["client_id", "service_id", "location_id", "priority", "needed_by", "need_area_code",
          "note_to_provider", "eligibility_override_reason", "acknowledge_no_capacity"]  # fmt: skip
STEP = ["to", "version", "reason", "reason_code", "reason_text", "note", "outcome", "intake_at",
        "what_to_bring", "expected_date"]  # fmt: skip


def _fresh(model: type, id_: str):  # noqa: ANN202
    db.session.expire_all()
    return db.session.get(model, id_)


def test_capacity_put_members(client, api) -> None:  # noqa: ANN001,F811
    figure = db.session.scalars(db.select(ServiceCapacity).filter_by(service_id=api.service.id))
    figure_id = figure.one().id
    url = f"/api/services/{api.service.id}/capacity"

    def send(changes: dict):  # noqa: ANN202
        version = _fresh(ServiceCapacity, figure_id).version
        body = {"unit": "bed", "version": version, "available": 1, "maximum": 5, **changes}
        return client.put(url, json=body, headers=api.h["provider"])

    _sweep(CAPACITY, send)
    given(changes=_mutations(CAPACITY))(FUZZ(lambda changes: _ok(send(changes))))()


def test_verify_post_with_any_body(client, api) -> None:  # noqa: ANN001,F811
    url = f"/api/services/{api.service.id}/verify"

    @FUZZ
    @given(body=st.one_of(VALUES, _mutations(["anything"])))
    def run(body: object) -> None:
        _ok(client.post(url, json=body, headers=api.h["provider"]))

    run()


def test_referral_create_members(client, api) -> None:  # noqa: ANN001,F811
    factories.make_consent(api.client, api.counselor, organization=api.org)
    db.session.commit()

    def send(changes: dict):  # noqa: ANN202
        body = {"client_id": api.client.id, "service_id": api.service.id,
                "acknowledge_no_capacity": True, **changes}  # fmt: skip
        return client.post("/api/referrals", json=body, headers=api.h["counselor"])

    _sweep(CREATE, send)
    given(changes=_mutations(CREATE))(FUZZ(lambda changes: _ok(send(changes))))()


@pytest.mark.parametrize("side", ["provider", "counselor"])
def test_referral_step_members(client, api, side) -> None:  # noqa: ANN001,F811
    """Each side's steps; the referral moves on as steps succeed, reaching later states."""
    w = SimpleNamespace(referral=factories.make_referral(api.client, api.service, api.counselor))
    targets = ["received", "accepted", "waitlisted", "declined", "enrolled", "completed",
               "not_enrolled", "cancelled", "entered_in_error"]  # fmt: skip

    def send(to: str, changes: dict):  # noqa: ANN202
        referral = _fresh(Referral, w.referral.id)
        if referral.closed_at is not None:  # start again once one is closed
            w.referral = factories.make_referral(api.client, api.service, api.counselor)
            referral = w.referral
        body = {"to": to, "version": referral.version, "reason": "other", **changes}
        url = f"/api/referrals/{referral.id}/transitions"
        return client.post(url, json=body, headers=api.h[side])

    turn = iter(range(10**6))
    _sweep(STEP, lambda changes: send(targets[next(turn) % len(targets)], changes))
    fuzz = FUZZ(lambda to, changes: _ok(send(to, changes)))
    given(to=st.sampled_from(targets), changes=_mutations(STEP))(fuzz)()


PLAN_CHANGE = ["version", "status", "reason", "owner", "due_on", "notes"]
NEW_ITEM = ["title", "owner", "due_on", "notes"]


def test_plan_item_change_members(client, api) -> None:  # noqa: ANN001,F811
    """Sent with the item's current version, so every rule past the lock meets the values."""
    item_id = start_plan(api.client, api.counselor).items[0].id
    db.session.commit()
    statuses = ["to_do", "in_progress", "arranged", "not_needed", "could_not_arrange"]
    turn = iter(range(10**6))

    def send(changes: dict):  # noqa: ANN202
        version = _fresh(PlanItem, item_id).version
        body = {"version": version, "status": statuses[next(turn) % 5], "reason": "r", **changes}
        return client.patch(f"/api/plan-items/{item_id}", json=body, headers=api.h["counselor"])

    _sweep(PLAN_CHANGE, send)
    given(changes=_mutations(PLAN_CHANGE))(FUZZ(lambda changes: _ok(send(changes))))()


def test_plan_item_add_members(client, api) -> None:  # noqa: ANN001,F811
    start_plan(api.client, api.counselor)
    db.session.commit()
    url = f"/api/clients/{api.client.id}/plan/items"

    def send(changes: dict):  # noqa: ANN202
        body = {"title": "Library card", "owner": "person", **changes}
        return client.post(url, json=body, headers=api.h["counselor"])

    _sweep(NEW_ITEM, send)
    given(changes=_mutations(NEW_ITEM))(FUZZ(lambda changes: _ok(send(changes))))()


DEEP = "[" * 50_000 + "]" * 50_000
RAW = [DEEP, "{" * 50_000, '{"a":' * 5_000 + "1" + "}" * 5_000, "{", "NaN", "1e999",
       '{"version": 1e999}', '{"version": NaN}', "\x00", '{"a": "\\u0000"}', "[]", "null",
       '"text"', "\ufeff{}", '{"to": "accepted", "to": []}']  # fmt: skip


def test_raw_bodies_on_every_write(client, api) -> None:  # noqa: ANN001,F811
    """Bodies no JSON library would write: too deep, broken, NaN, BOM, duplicate members."""
    referral = factories.make_referral(api.client, api.service, api.counselor)
    item = start_plan(api.client, api.counselor).items[0]
    db.session.commit()
    writes = [("PUT", f"/api/services/{api.service.id}/capacity", "provider"),
              ("POST", f"/api/services/{api.service.id}/verify", "provider"),
              ("POST", "/api/referrals", "counselor"),
              ("POST", f"/api/referrals/{referral.id}/transitions", "provider"),
              ("PATCH", f"/api/plan-items/{item.id}", "counselor"),
              ("POST", f"/api/clients/{api.client.id}/plan/items", "counselor")]  # fmt: skip
    for method, url, who in writes:
        for raw in RAW:
            response = client.open(url, method=method, data=raw.encode("utf-8", "surrogatepass"),
                                   content_type="application/json", headers=api.h[who])  # fmt: skip
            _ok(response)
