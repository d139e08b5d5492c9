"""NUL and control characters, deep JSON and huge bodies answer 4xx before any view runs.

Run with TEST_DATABASE_URL set as well: on PostgreSQL a NUL that reached a query was a 500.
"""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app.accounts.api_tokens import create_token
from app.extensions import db
from app.input_guard import has_control, json_clean
from app.public.models import ProblemReport
from app.referrals.models import Client
from tests.test_route_permissions import _login


def _bearer(user) -> dict:  # noqa: ANN001
    _, plaintext = create_token(user, "guard test")
    db.session.commit()
    return {"Authorization": f"Bearer {plaintext}"}


def test_has_control_allows_only_tab_cr_lf_in_values():
    assert has_control("a\x00b")
    assert has_control("a\x1bb")
    assert has_control("a\x7fb")
    assert not has_control("line one\r\n\tline two")
    assert has_control("a\tb", in_value=False)
    assert not has_control("Ünïcödé – fine")


def test_json_clean_walks_keys_values_and_depth():
    assert json_clean({"a": ["b", {"c": 1}]})
    assert not json_clean({"a": ["b", {"c": "\x00"}]})
    assert not json_clean({"a\x00": 1})
    deep: list = []
    for _ in range(100):
        deep = [deep]
    assert not json_clean(deep)


def test_nul_in_a_public_path_is_a_400_page(client, world):  # noqa: ANN001
    for url in ("/services/%00", f"/services/{world.service_a.id}%00", "/card/%00"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "control character" in response.get_data(as_text=True)
        assert response.mimetype == "text/html"


def test_nul_in_search_queries_is_a_400(client, world):  # noqa: ANN001
    assert client.get("/search?q=shelter%00").status_code == 400
    assert client.get("/search?near=%00Hartford").status_code == 400
    _login(client, world.users["counselor"])
    assert client.get("/staff/search?q=%00").status_code == 400
    assert client.get("/directory/?town=%01").status_code == 400


def test_nul_in_the_api_is_a_problem_body(client, world):  # noqa: ANN001
    response = client.get("/api/services/%00")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 400
    response = client.get("/api/services?search=%00")
    assert response.status_code == 400
    headers = _bearer(world.users["counselor"])
    body = {"client_id": str(world.client.id), "service_id": str(world.service_a.id)}
    body["note"] = "hello\x00world"
    response = client.post("/api/referrals", json=body, headers=headers)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_problem_report_with_a_nul_is_refused_and_nothing_is_stored(client, world):  # noqa: ANN001
    url = f"/services/{world.service_a.id}/report"
    response = client.post(url, data={"kind": "other", "description": "wrong\x00phone"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(ProblemReport)) == 0
    response = client.post(url, data={"kind": "other", "description": "line one\r\n\tline two"})
    assert response.status_code in {200, 302, 303}
    assert db.session.scalar(select(func.count()).select_from(ProblemReport)) == 1


def test_client_form_with_a_control_character_is_refused(client, world):  # noqa: ANN001
    _login(client, world.users["counselor"])
    before = db.session.scalar(select(func.count()).select_from(Client))
    response = client.post(
        "/referrals/clients/new",
        data={"first_name": "Ann\x00", "last_name": "Lee", "date_of_birth": "1980-01-01"},
    )
    assert response.status_code == 400
    response = client.post(
        "/referrals/clients/new",
        data={"first_name\x00": "Ann", "last_name": "Lee", "date_of_birth": "1980-01-01"},
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Client)) == before


def test_json_nested_past_what_the_parser_can_take_is_a_400(client, world):  # noqa: ANN001
    headers = _bearer(world.users["counselor"])
    deep = "[" * 5000 + "]" * 5000
    response = client.post(
        "/api/referrals",
        data=deep,
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_huge_bodies_are_413_with_a_clear_answer(client, world):  # noqa: ANN001
    big = "x" * (2 * 1024 * 1024)
    url = f"/services/{world.service_a.id}/report"
    response = client.post(url, data={"kind": "other", "description": big})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
    many_fields = {f"f{i}": "y" * 100 for i in range(30_000)}
    assert client.post(url, data=many_fields).status_code == 413
    headers = _bearer(world.users["counselor"])
    response = client.post(
        "/api/referrals",
        data=json.dumps({"note": big}),
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
