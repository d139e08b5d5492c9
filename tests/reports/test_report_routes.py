"""Each reports route answers every role as intended (mirrors the lead's route walk)."""

from __future__ import annotations

import pytest

from app.accounts.models import Role
from tests import factories

ROLES = ("anonymous", "provider", "counselor", "analyst", "admin")
LOGIN = "login"


@pytest.fixture
def users(db):  # noqa: ANN001,ANN201
    org = factories.make_organization()
    factories.make_service(org)
    return {
        "provider": factories.make_user(Role.PROVIDER, organizations=[org]),
        "counselor": factories.make_user(Role.COUNSELOR, facility=factories.make_facility()),
        "analyst": factories.make_user(Role.ANALYST),
        "admin": factories.make_user(Role.ADMIN),
    }


def _expect(**yes: int) -> dict:
    return {r: yes.get(r, LOGIN if r == "anonymous" else 403) for r in ROLES}


CASES = [
    ("GET", "/reports/", _expect(analyst=200, admin=200)),
    ("GET", "/reports/network.zip", _expect(analyst=200, admin=200)),
    ("GET", "/reports/network/referrals.csv", _expect(analyst=200, admin=200)),
    ("GET", "/reports/scorecard", _expect(provider=200, admin=200)),
    ("GET", "/reports/freshness", _expect(admin=200)),
    ("GET", "/reports/confirm/not-a-token", dict.fromkeys(ROLES, 404)),
    ("POST", "/reports/confirm/not-a-token", dict.fromkeys(ROLES, 404)),
]


@pytest.mark.parametrize("role", ROLES)
def test_reports_routes_answer_each_role(users, client, login, role):  # noqa: ANN001
    if role != "anonymous":
        login(users[role])
    for method, path, expected in CASES:
        response = client.open(path, method=method)
        want = expected[role]
        if want == LOGIN:
            assert response.status_code == 302, path
            assert "/account/login" in response.headers["Location"], path
        else:
            assert response.status_code == want, (method, path, role)
