"""Facilities (admin) and the signed-in user's own account page."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import Facility, Role
from tests import factories

NEW = "a fresh long password"


def _facility_count(db) -> int:  # noqa: ANN001
    db.session.expire_all()
    return db.session.scalar(select(func.count(Facility.id)))


def test_admin_adds_a_facility_and_sees_it_listed(client, login, db):
    login(factories.make_user(Role.ADMIN))
    response = client.post(
        "/account/facilities/new",
        data={"name": " Garner Correctional Institution ", "town": "Newtown", "kind": "prison"},
    )
    assert response.status_code == 302
    facility = db.session.scalar(select(Facility))
    assert (facility.name, facility.town, facility.kind) == (
        "Garner Correctional Institution",
        "Newtown",
        "prison",
    )
    factories.make_user(Role.COUNSELOR, facility=facility)
    page = client.get("/account/facilities/").get_data(as_text=True)
    assert "Garner Correctional Institution" in page and "Newtown" in page
    assert "<td>1</td>" in page  # one counselor works there


def test_facility_names_are_unique_regardless_of_case(client, login, db):
    login(factories.make_user(Role.ADMIN))
    factories.make_facility(name="Hartford Correctional Center")
    response = client.post(
        "/account/facilities/new", data={"name": "HARTFORD correctional center", "kind": ""}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "A facility with this name already exists." in page
    assert 'value="HARTFORD correctional center"' in page
    assert _facility_count(db) == 1


def test_facility_needs_a_name(client, login, db):
    login(factories.make_user(Role.ADMIN))
    response = client.post("/account/facilities/new", data={"name": "  ", "kind": ""})
    assert response.status_code == 422
    assert _facility_count(db) == 0


def test_me_shows_the_account(client, login):
    facility = factories.make_facility(name="York Correctional Institution")
    user = factories.make_user(Role.COUNSELOR, facility=facility, name="Cal Counselor")
    login(user)
    page = client.get("/account/me").get_data(as_text=True)
    assert "Cal Counselor" in page and "York Correctional Institution" in page
    assert "Re-entry counselor" in page


def test_me_requires_sign_in(client):
    response = client.get("/account/me")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def test_change_own_password(client, login):
    user = factories.make_user(Role.PROVIDER, organizations=[factories.make_organization()])
    login(user)
    response = client.post(
        "/account/me",
        data={"current_password": factories.PASSWORD, "new_password": NEW, "confirm": NEW},
        follow_redirects=True,
    )
    assert "Your password has been changed." in response.get_data(as_text=True)
    user = factories.reload(user)
    assert user.check_password(NEW) and not user.check_password(factories.PASSWORD)


def test_change_own_password_needs_the_current_one_and_a_good_new_one(client, login):
    user = factories.make_user(Role.ANALYST)
    login(user)
    cases = [
        (
            {"current_password": "wrong password", "new_password": NEW, "confirm": NEW},
            "That is not your current password.",
        ),
        (
            {"current_password": factories.PASSWORD, "new_password": "short", "confirm": "short"},
            "Use at least 12 characters.",
        ),
        (
            {"current_password": factories.PASSWORD, "new_password": NEW, "confirm": NEW + "!"},
            "The two passwords do not match.",
        ),
    ]
    for data, message in cases:
        response = client.post("/account/me", data=data)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert factories.reload(user).check_password(factories.PASSWORD)


def _signed_in_browser(app, user, *, remember: bool = False):  # noqa: ANN001,ANN202
    browser = app.test_client()
    data = {"email": user.email, "password": factories.PASSWORD}
    if remember:
        data["remember"] = "y"
    assert browser.post("/account/login", data=data).status_code == 302
    assert browser.get("/account/me").status_code == 200
    return browser


def test_a_new_password_signs_out_every_other_session(app, client, login):  # noqa: ANN001
    user = factories.make_user(Role.COUNSELOR)
    login(user)
    other = _signed_in_browser(app, user)
    remembered = _signed_in_browser(app, user, remember=True)
    remember_cookie = remembered.get_cookie("remember_token")
    assert remember_cookie is not None
    response = client.post(
        "/account/me",
        data={"current_password": factories.PASSWORD, "new_password": NEW, "confirm": NEW},
    )
    assert response.status_code == 302
    assert client.get("/account/me").status_code == 200  # this browser stays signed in
    for browser in (other, remembered):
        response = browser.get("/account/me")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/login")
    # An old remember-me cookie alone (no session) does not sign anyone in either.
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember_cookie.value)
    assert fresh.get("/account/me").status_code == 302


def test_a_password_reset_signs_out_existing_sessions(app, client):  # noqa: ANN001
    from app.accounts.services import reset_password
    from app.extensions import db

    user = factories.make_user(Role.PROVIDER, organizations=[factories.make_organization()])
    browser = _signed_in_browser(app, user)
    reset_password(factories.reload(user), NEW)
    db.session.commit()
    assert browser.get("/account/me").status_code == 302
    again = app.test_client()
    assert (
        again.post("/account/login", data={"email": user.email, "password": NEW}).status_code == 302
    )
    assert again.get("/account/me").status_code == 200


def test_changing_your_password_keeps_you_remembered_in_this_browser(app):  # noqa: ANN001
    user = factories.make_user(Role.ANALYST)
    browser = _signed_in_browser(app, user, remember=True)
    old_cookie = browser.get_cookie("remember_token").value
    response = browser.post(
        "/account/me",
        data={"current_password": factories.PASSWORD, "new_password": NEW, "confirm": NEW},
    )
    assert response.status_code == 302
    new_cookie = browser.get_cookie("remember_token").value
    assert new_cookie != old_cookie
    # The cookie names the account and a stamp of the new password hash, nothing more.
    assert new_cookie.split("|")[0] == f"{user.id}.{factories.reload(user).session_stamp}"
    after_restart = app.test_client()  # the session cookie is gone; only the remember cookie
    after_restart.set_cookie("remember_token", new_cookie)
    assert after_restart.get("/account/me").status_code == 200
