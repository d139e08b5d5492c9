"""Administrators list, create, edit, deactivate and reactivate accounts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select

from app.accounts.models import Role, User
from app.notify.models import OutboxMessage
from tests import factories
from tests.accounts.conftest import link_in


@pytest.fixture
def admin(login):  # noqa: ANN001, ANN201
    user = factories.make_user(Role.ADMIN, name="Ada Admin")
    login(user)
    return user


def _user(db, email: str) -> User | None:  # noqa: ANN001
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def _new(client, **fields):  # noqa: ANN001, ANN003, ANN202
    data = {"name": "Sam Rivera", "email": "sam@example.org", "role": "analyst", "facility": ""}
    data.update(fields)
    return client.post("/account/users/new", data=data)


@pytest.mark.parametrize("role", [Role.COUNSELOR, Role.PROVIDER, Role.ANALYST])
def test_only_admins_manage_users(client, login, role):
    org = factories.make_organization()
    login(factories.make_user(role, organizations=[org] if role == Role.PROVIDER else []))
    for path in ("/account/users/", "/account/users/new", "/account/facilities/"):
        assert client.get(path).status_code == 403
    assert _new(client).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/account/users/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def test_list_shows_each_account_with_its_memberships(client, admin):
    facility = factories.make_facility(name="Bridgeport Correctional Center")
    org = factories.make_organization(name="Harbor Housing")
    factories.make_user(Role.COUNSELOR, facility=facility, name="Cal Counselor")
    factories.make_user(Role.PROVIDER, organizations=[org], name="Pat Provider", active=False)
    page = client.get("/account/users/").get_data(as_text=True)
    for text in (
        "Cal Counselor",
        "Bridgeport Correctional Center",
        "Pat Provider",
        "Harbor Housing",
        "Provider staff",
        "Deactivated",
        "Never",
        admin.email,
    ):
        assert text in page


def test_list_query_count_does_not_grow_with_users(client, admin, db):
    def queries_for_list() -> int:
        statements = []

        def count(*args):  # noqa: ANN002
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get("/account/users/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    factories.make_user(Role.PROVIDER, organizations=[factories.make_organization()])
    factories.make_user(Role.COUNSELOR, facility=factories.make_facility())
    few = queries_for_list()
    for _ in range(6):
        factories.make_user(Role.PROVIDER, organizations=[factories.make_organization()])
        factories.make_user(Role.COUNSELOR, facility=factories.make_facility())
    assert queries_for_list() == few


def test_admin_creates_a_counselor_with_a_password(client, admin, db):
    facility = factories.make_facility()
    response = _new(
        client,
        email="  Sam@Example.ORG ",
        role="counselor",
        facility=facility.id,
        password="a long enough password",
    )
    assert response.status_code == 302
    user = _user(db, "sam@example.org")
    assert user.role == Role.COUNSELOR and user.facility_id == facility.id and user.active
    assert user.check_password("a long enough password")
    assert db.session.scalars(select(OutboxMessage)).all() == []  # no e-mail needed


def test_admin_creates_provider_staff_in_several_organizations(client, admin, db):
    one, two, other = (factories.make_organization() for _ in range(3))
    response = _new(client, role="provider", organizations=[one.id, two.id])
    assert response.status_code == 302
    assert _user(db, "sam@example.org").organization_ids == {one.id, two.id}


def test_blank_password_sends_a_set_password_link(client, admin, db, smtp):
    response = _new(client, name="Noa New")
    assert response.status_code == 302
    [body] = smtp.bodies_to("sam@example.org")
    assert body.startswith("Hello Noa New,")
    path = link_in(body)
    client.post("/account/logout")
    assert client.post(path, data={"password": "my own password!", "confirm": "my own password!"})
    assert _user(db, "sam@example.org").check_password("my own password!")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"role": "counselor"}, "Choose the facility this counselor works at."),
        (
            {"role": "analyst", "facility": "FACILITY"},
            "Only re-entry counselors belong to a facility.",
        ),
        ({"role": "provider"}, "Choose at least one organization."),
        (
            {"role": "admin", "organizations": ["ORG"]},
            "Only provider staff belong to organizations.",
        ),
        ({"email": "ADA.TAKEN@example.org"}, "Another account already uses this e-mail address."),
        ({"password": "short"}, "Use at least 12 characters."),
        ({"name": ""}, "Enter the person&#39;s name."),
    ],
)
def test_create_refuses_broken_rules_and_keeps_entries(client, admin, db, fields, message):
    factories.make_user(Role.ANALYST, email="ada.taken@example.org")
    facility, org = factories.make_facility(), factories.make_organization()
    if fields.get("facility") == "FACILITY":
        fields["facility"] = facility.id
    if fields.get("organizations") == ["ORG"]:
        fields["organizations"] = [org.id]
    before = db.session.scalars(select(User)).all()
    response = _new(client, **fields)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    if "email" not in fields:
        assert 'value="sam@example.org"' in page
    db.session.expire_all()
    assert len(db.session.scalars(select(User)).all()) == len(before)


def test_edit_form_is_prefilled_and_saves_changes(client, admin, db):
    org = factories.make_organization(name="Harbor Housing")
    other = factories.make_organization(name="Other Org")
    facility = factories.make_facility()
    user = factories.make_user(Role.PROVIDER, organizations=[org], name="Pat Provider")
    page = client.get(f"/account/users/{user.id}/edit").get_data(as_text=True)
    assert 'value="Pat Provider"' in page
    assert re.search(rf'<input checked id="organizations-\d" [^>]*value="{org.id}"', page)
    assert not re.search(rf'<input checked [^>]*value="{other.id}"', page)
    assert '<option selected value="provider">' in page

    response = client.post(
        f"/account/users/{user.id}/edit",
        data={
            "name": "Pat Counselor",
            "email": user.email,
            "role": "counselor",
            "facility": facility.id,
        },
    )
    assert response.status_code == 302
    user = factories.reload(user)
    assert (user.name, user.role, user.facility_id) == (
        "Pat Counselor",
        Role.COUNSELOR,
        facility.id,
    )
    assert user.organizations == []


def test_edit_refuses_a_duplicate_email_and_unknown_user(client, admin, db):
    other = factories.make_user(Role.ANALYST)
    user = factories.make_user(Role.ANALYST)
    response = client.post(
        f"/account/users/{user.id}/edit",
        data={"name": user.name, "email": other.email.upper(), "role": "analyst", "facility": ""},
    )
    assert response.status_code == 422
    assert factories.reload(user).email != other.email
    assert client.get("/account/users/no-such-id/edit").status_code == 404
    assert client.post("/account/users/no-such-id/toggle-active").status_code == 404


def test_admin_cannot_remove_own_admin_role(client, admin):
    response = client.post(
        f"/account/users/{admin.id}/edit",
        data={"name": admin.name, "email": admin.email, "role": "analyst", "facility": ""},
    )
    assert response.status_code == 422
    assert "You cannot remove your own administrator role." in response.get_data(as_text=True)
    assert factories.reload(admin).role == Role.ADMIN


def test_deactivate_and_reactivate(client, admin):
    user = factories.make_user(Role.COUNSELOR)
    assert client.get(f"/account/users/{user.id}/toggle-active").status_code == 405
    response = client.post(f"/account/users/{user.id}/toggle-active", follow_redirects=True)
    assert "can no longer sign in" in response.get_data(as_text=True)
    assert factories.reload(user).active is False
    client.post(f"/account/users/{user.id}/toggle-active")
    assert factories.reload(user).active is True


def test_admin_cannot_deactivate_themselves(client, admin):
    response = client.post(f"/account/users/{admin.id}/toggle-active", follow_redirects=True)
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    assert factories.reload(admin).active is True
    assert client.get("/account/users/").status_code == 200  # still signed in
