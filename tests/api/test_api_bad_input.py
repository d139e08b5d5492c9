"""Hostile input on the JSON API answers a 4xx problem naming what was wrong, never a 500:
odd page numbers, dates with no UTC equivalent, wrong JSON types, deep or NUL-laden bodies."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests import factories
from tests.api.test_referrals import api  # noqa: F401  the shared fixture

LISTS = ["services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms"]
HUGE = "9" * 5000  # int() refuses past 4,300 digits
NO_UTC = ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"]
DEEP = "[" * 50_000 + "]" * 50_000


def _is_problem(response, status: int, name: str, key: str = "parameter") -> None:  # noqa: ANN001
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
    assert response.get_json()[key] == name


@pytest.mark.parametrize("kind", LISTS)
@pytest.mark.parametrize("name", ["page", "per_page"])
@pytest.mark.parametrize("value", ["²", "٣", HUGE, "+" + HUGE[:30]])
def test_odd_page_numbers_on_every_hsds_list_are_400(client, app, kind, name, value) -> None:  # noqa: ANN001
    _is_problem(client.get(f"/api/{kind}", query_string={name: value}), 400, name)


@pytest.mark.parametrize("value", ["²", HUGE])
def test_odd_page_numbers_on_the_referral_list_are_422(client, api, value) -> None:  # noqa: ANN001,F811
    response = client.get("/api/referrals", query_string={"page": value}, headers=api.h["admin"])
    _is_problem(response, 422, "page", key="field")


def test_search_page_numbers_never_500(client, app) -> None:  # noqa: ANN001
    for value in ["²", HUGE, "9" * 4000]:
        assert client.get("/api/search", query_string={"page": value}).status_code == 400


@pytest.mark.parametrize("kind", ["services", "service_at_locations"])
def test_modified_after_past_either_end_of_utc_is_clamped(client, api, kind) -> None:  # noqa: ANN001,F811
    """0001-01-01T00:00+01:00 is before every UTC time: everything; 9999-12-31T23:59-01:00 is
    after every one: nothing (it used to be an OverflowError, a 500)."""
    early, late = NO_UTC
    everything = client.get(f"/api/{kind}", query_string={"modified_after": early})
    assert everything.status_code == 200 and everything.get_json()["total_items"] >= 1
    nothing = client.get(f"/api/{kind}", query_string={"modified_after": late})
    assert nothing.status_code == 200 and nothing.get_json()["total_items"] == 0


def test_since_past_either_end_of_utc_is_clamped(client, api) -> None:  # noqa: ANN001,F811
    factories.make_referral(api.client, api.service, api.counselor)
    db.session.commit()
    early, late = NO_UTC
    headers = api.h["counselor"]
    everything = client.get("/api/referrals", query_string={"since": early}, headers=headers)
    assert everything.status_code == 200 and everything.get_json()["total_items"] == 1
    nothing = client.get("/api/referrals", query_string={"since": late}, headers=headers)
    assert nothing.status_code == 200 and nothing.get_json()["total_items"] == 0


def test_nul_in_a_query_parameter_is_400(client, app) -> None:  # noqa: ANN001
    _is_problem(client.get("/api/services", query_string={"search": "a\x00b"}), 400, "search")


@pytest.mark.parametrize("name", ["q", "town", "near", "residence_town", "need", "documents"])
def test_nul_in_a_search_parameter_is_400(client, app, name) -> None:  # noqa: ANN001
    """A search with no results is recorded; PostgreSQL refused the NUL there (a 500)."""
    _is_problem(client.get("/api/search", query_string={name: "\x00x"}), 400, name)


# --- JSON bodies ----------------------------------------------------------------------------------


def _put(client, api, body, **kw):  # noqa: ANN001,ANN003,ANN202,F811
    url = f"/api/services/{api.service.id}/capacity"
    return client.put(url, json=body, headers=api.h["provider"], **kw)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": []}, "status"),
        ({"status": {}}, "status"),
        ({"action": ["update"]}, "action"),
        ({"unit": ["bed"]}, "unit"),
        ({"unit": "bed", "version": 1, "expected_wait": ["soon"]}, "expected_wait"),
        ({"unit": "bed", "version": 1, "expected_wait": 5}, "expected_wait"),
        ({"unit": "bed", "version": 1, "available": 10**20}, "available"),
        ({"unit": "bed", "version": 1, "maximum": 2**31}, "maximum"),
        ({"unit": "bed", "version": 1, "waitlist_length": 1.5}, "waitlist_length"),
        ({"unit": "bed", "version": 10**30}, "version"),
        ({"unit": "bed", "version": 1, "expected_wait": "a\x00b"}, "expected_wait"),
    ],
)
def test_capacity_body_of_the_wrong_shape_is_422(client, api, body, field) -> None:  # noqa: ANN001,F811
    _is_problem(_put(client, api, body), 422, field, key="field")


def test_deep_json_is_422_on_every_write(client, api) -> None:  # noqa: ANN001,F811
    referral = factories.make_referral(api.client, api.service, api.counselor)
    db.session.commit()
    writes = [
        ("PUT", f"/api/services/{api.service.id}/capacity", "provider"),
        ("POST", "/api/referrals", "counselor"),
        ("POST", f"/api/referrals/{referral.id}/transitions", "provider"),
    ]
    for method, url, who in writes:
        for body in (DEEP, '{"a":' * 100 + "1" + "}" * 100):
            response = client.open(
                url, method=method, data=body, content_type="application/json", headers=api.h[who]
            )
            _is_problem(response, 422, "body", key="field")


def test_nul_in_a_referral_body_is_422(client, api) -> None:  # noqa: ANN001,F811
    factories.make_consent(api.client, api.counselor, organization=api.org)
    db.session.commit()
    body = {"client_id": api.client.id, "service_id": api.service.id, "note_to_provider": "a\x00"}
    response = client.post("/api/referrals", json=body, headers=api.h["counselor"])
    _is_problem(response, 422, "note_to_provider", key="field")


@pytest.mark.parametrize("needed_by", ["9999-12-31", "0001-01-01"])
def test_implausible_needed_by_is_422(client, api, needed_by) -> None:  # noqa: ANN001,F811
    factories.make_consent(api.client, api.counselor, organization=api.org)
    db.session.commit()
    body = {"client_id": api.client.id, "service_id": api.service.id, "needed_by": needed_by}
    response = client.post("/api/referrals", json=body, headers=api.h["counselor"])
    _is_problem(response, 422, "needed_by", key="field")


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("intake_at", "9999-12-31T23:59:59-01:00"),  # no UTC equivalent
        ("intake_at", "0001-01-01T00:00:00+01:00"),
        ("intake_at", "9999-12-31T10:00:00+00:00"),  # representable, but no real intake
        ("expected_date", "9999-12-31"),
        ("version", 10**30),
        ("version", "1"),
        ("to", []),
        ("note", {"a": 1}),
    ],
)
def test_accept_step_with_an_impossible_member_is_422(client, api, member, value) -> None:  # noqa: ANN001,F811
    referral = factories.make_referral(api.client, api.service, api.counselor)
    db.session.commit()
    body = {"to": "accepted", "version": referral.version, member: value}
    url = f"/api/referrals/{referral.id}/transitions"
    response = client.post(url, json=body, headers=api.h["provider"])
    _is_problem(response, 422, member, key="field")
    assert factories.reload(referral).intake_at is None


@pytest.mark.parametrize(
    ("method", "path", "who"),
    [
        ("GET", "/api/referrals/{}", "counselor"),
        ("GET", "/api/referrals/{}/fhir", "counselor"),
        ("POST", "/api/referrals/{}/transitions", "provider"),
        ("PUT", "/api/services/{}/capacity", "provider"),
        ("POST", "/api/services/{}/verify", "provider"),
        ("GET", "/api/services/{}", "provider"),
    ],
)
def test_nul_or_overlong_id_in_the_path_is_404(client, api, method, path, who) -> None:  # noqa: ANN001,F811
    """PostgreSQL refuses NUL in a text parameter; the lookup must not even be tried."""
    for bad in ("a%00b", "x" * 5000):
        response = client.open(path.format(bad), method=method, json={}, headers=api.h[who])
        assert response.status_code == 404, response.get_data(as_text=True)[:300]


def test_one_requests_error_answer_never_answers_the_next(app, api) -> None:  # noqa: ANN001,F811
    """HSDS reads answer bad input 400 naming the parameter; the capacity write answers 422. Two
    requests sharing one app context (as a WSGI test transport or a CLI does) keep their own."""
    from flask.testing import FlaskClient

    shared = FlaskClient(app)  # no app context per request: both share the test's
    assert shared.get("/api/services").status_code == 200  # sets its 400-renderer, unused
    response = shared.put(
        f"/api/services/{api.service.id}/capacity", json={}, headers=api.h["provider"]
    )
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    assert "field" in response.get_json() and "parameter" not in response.get_json()
