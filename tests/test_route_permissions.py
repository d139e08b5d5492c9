"""Walks every route for every role and checks who gets in.

A new route fails `test_every_route_is_in_the_table` until it is added to ROUTES below with the
answer each role should get, and `test_every_view_declares_a_permission` until it carries
@requires(...). Statuses: 200 page shown, LOGIN redirect to sign-in, 403 refused, 404 not
found. For POSTs, ALLOWED means the permission check let the request through (the form then
answers 200/302/303/409/422 depending on the empty payload, never 401/403/404/500).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import pytest

from app.accounts.models import Role
from app.directory.models import SiteVisit
from app.directory.vocabulary import Answer, Criterion, Rating, SiteVisitOverall
from app.extensions import db
from tests import factories

ROLES = ("anonymous", "provider_a", "provider_b", "counselor", "analyst", "admin")
LOGIN = "login"
ALLOWED = "allowed"


def _only(*roles: str, yes: object = 200) -> dict[str, object]:
    return {r: (LOGIN if r == "anonymous" else yes if r in roles else 403) for r in ROLES}


PUBLIC_PAGE = {r: 200 for r in ROLES}
STAFF_PAGE = _only("provider_a", "provider_b", "counselor", "analyst", "admin")
ORG_A_PAGE = _only("provider_a", "admin")
ORG_A_POST = _only("provider_a", "admin", yes=ALLOWED)
ADMIN_PAGE = _only("admin")
ADMIN_POST = _only("admin", yes=ALLOWED)
VISIT_PAGE = _only("counselor", "admin")
VISIT_POST = _only("counselor", "admin", yes=ALLOWED)
STAFF_POST = _only("provider_a", "provider_b", "counselor", "analyst", "admin", yes=ALLOWED)
PROVIDER_PAGE = _only("provider_a", "provider_b", "admin")


@dataclass
class World:
    org_a: object
    org_b: object
    service_a: object
    location_a: object
    capacity_a: object
    visit_a: object
    facility: object
    users: dict
    target_user: object


@pytest.fixture
def world(app) -> World:  # noqa: ANN001
    org_a = factories.make_organization(name="Org A")
    org_b = factories.make_organization(name="Org B")
    location_a = factories.make_location(org_a)
    service_a = factories.make_service(org_a, location=location_a)
    capacity_a = factories.make_capacity(service_a)
    factories.make_rule(service_a, Criterion.SEX_OFFENSE_REGISTRY, Answer.NO)
    facility = factories.make_facility()
    users = {
        "provider_a": factories.make_user(Role.PROVIDER, organizations=[org_a]),
        "provider_b": factories.make_user(Role.PROVIDER, organizations=[org_b]),
        "counselor": factories.make_user(Role.COUNSELOR, facility=facility),
        "analyst": factories.make_user(Role.ANALYST),
        "admin": factories.make_user(Role.ADMIN),
    }
    visit = SiteVisit(
        service=service_a,
        visited_on=date(2026, 1, 5),
        visitor_name="A Counselor",
        safety=Rating.GOOD,
        cleanliness=Rating.ADEQUATE,
        staff_responsiveness=Rating.GOOD,
        overall=SiteVisitOverall.WITH_CONCERNS,
        notes="Internal note about the house",
    )
    db.session.add(visit)
    db.session.commit()
    target = factories.make_user(Role.ANALYST, email="target@example.org")
    return World(org_a, org_b, service_a, location_a, capacity_a, visit, facility, users, target)


# endpoint -> (method, path builder, expected status per role)
ROUTES: dict[str, tuple[str, object, dict]] = {
    "public.home": ("GET", lambda w: "/", PUBLIC_PAGE),
    "public.health": ("GET", lambda w: "/healthz", PUBLIC_PAGE),
    "accounts.login": ("GET", lambda w: "/account/login", PUBLIC_PAGE),
    "accounts.logout": ("POST", lambda w: "/account/logout", STAFF_POST),
    "directory.browse": ("GET", lambda w: "/directory/", STAFF_PAGE),
}


def _login(client, user) -> None:  # noqa: ANN001
    response = client.post(
        "/account/login", data={"email": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302


def _check(response, expected: object) -> None:  # noqa: ANN001
    status = response.status_code
    if expected == LOGIN:
        assert status == 302 and "/account/login" in response.headers["Location"], status
    elif expected == ALLOWED:
        assert status in {200, 302, 303, 409, 422}, status
        if status in {302, 303}:
            assert "/account/login" not in response.headers["Location"]
    else:
        assert status == expected, f"got {status}, expected {expected}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_route_answers_each_role(app, client, world, endpoint, role):  # noqa: ANN001
    method, path, expected = ROUTES[endpoint]
    if role != "anonymous":
        _login(client, world.users[role])
    url = path(world)
    response = client.get(url) if method == "GET" else client.post(url, data={})
    _check(response, expected[role])


def test_every_route_is_in_the_table(app):  # noqa: ANN001
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints - set(ROUTES) == set(), "add these routes to ROUTES with their expectations"
    assert set(ROUTES) - endpoints == set(), "ROUTES names endpoints the app does not have"


def test_every_view_declares_a_permission(app):  # noqa: ANN001
    undeclared = [
        name
        for name, view in app.view_functions.items()
        if name != "static" and not hasattr(view, "permission")
    ]
    assert undeclared == []


def test_unknown_ids_give_404(app, client, world):  # noqa: ANN001
    """Every route with an id, asked by an admin with an id that does not exist, answers 404."""
    _login(client, world.users["admin"])
    missing = str(uuid.uuid4())
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.arguments or rule.endpoint == "static":
            continue
        values = {arg: missing for arg in rule.arguments}
        url = rule.build(values)[1]
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.get(url) if method == "GET" else client.post(url, data={})
        assert response.status_code == 404, f"{rule.endpoint} {url} -> {response.status_code}"
        checked += 1
    assert checked >= 0
