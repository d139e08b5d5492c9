"""Freshness view, `flask directory remind` and the signed confirm link."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.common import utcnow
from app.extensions import db
from app.notify.models import OutboxMessage
from app.public.models import ProblemReport
from app.reports.models import VerificationReminder
from tests import factories


@pytest.fixture
def listings(db):  # noqa: ANN001,ANN201
    org = factories.make_organization(name="Freshness Test Org", email="Office@Example.org")
    staff = factories.make_user(Role.PROVIDER, organizations=[org], email="staff@example.org")
    never = factories.make_service(org, name="Never Checked Shelter")
    old_capacity = factories.make_service(
        org, name="Old Figure House", last_verified_at=utcnow(), email="house@example.org"
    )
    factories.make_capacity(old_capacity, age_days=30)
    fine = factories.make_service(
        org, name="All Good Pantry", last_verified_at=utcnow(), email="pantry@example.org"
    )
    factories.make_capacity(fine, age_days=1)
    reported = factories.make_service(
        org, name="Reported Clinic", last_verified_at=utcnow(), email="clinic@example.org"
    )
    db.session.add(ProblemReport(service_id=reported.id, kind="wrong_phone"))
    db.session.commit()
    return {"org": org, "staff": staff, "never": never, "old": old_capacity, "fine": fine}


def test_freshness_lists_each_reason(listings, client, login):  # noqa: ANN001
    login(factories.make_user(Role.ADMIN))
    response = client.get("/reports/freshness")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Never Checked Shelter" in html
    assert "1 old" in html  # Old Figure House
    assert "1 open" in html  # Reported Clinic
    assert "All Good Pantry" not in html
    assert "3 listings" in html


@pytest.mark.parametrize("role", [Role.COUNSELOR, Role.ANALYST, Role.PROVIDER])
def test_freshness_is_for_admins(listings, client, login, role):  # noqa: ANN001
    orgs = [listings["org"]] if role == Role.PROVIDER else []
    login(factories.make_user(role, organizations=orgs))
    assert client.get("/reports/freshness").status_code == 403


def _run_remind(app) -> str:  # noqa: ANN001
    result = app.test_cli_runner().invoke(args=["directory", "remind"])
    assert result.exit_code == 0, result.output
    return result.output


def _token(body: str) -> str:
    match = re.search(r"/reports/confirm/(\S+)", body)
    assert match, body
    return match.group(1)


def test_remind_emails_each_contact_once_per_period(app, listings):  # noqa: ANN001
    assert "2 verification reminders queued" in _run_remind(app)
    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.recipient)).all()
    assert [m.recipient for m in messages] == ["office@example.org", "staff@example.org"]
    body = messages[0].body
    assert "Never Checked Shelter" in body and "Old Figure House" in body
    assert "All Good Pantry" not in body and "Reported Clinic" not in body
    assert "/reports/confirm/" in body
    assert "0 verification reminders queued" in _run_remind(app)
    assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage)) == 2


def test_remind_again_after_the_quiet_period(app, listings):  # noqa: ANN001
    for email in ("office@example.org", "staff@example.org"):
        db.session.add(
            VerificationReminder(
                email=email,
                organization_id=listings["org"].id,
                sent_at=utcnow() - timedelta(days=31),
            )
        )
    db.session.commit()
    assert "2 verification reminders queued" in _run_remind(app)


def test_signed_link_confirms_without_signing_in(app, listings, client):  # noqa: ANN001
    _run_remind(app)
    token = _token(db.session.scalars(select(OutboxMessage)).first().body)
    page = client.get(f"/reports/confirm/{token}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Never Checked Shelter" in html and "Freshness Test Org" in html
    response = client.post(f"/reports/confirm/{token}")
    assert response.status_code == 302
    never = factories.reload(listings["never"])
    assert never.last_verified_at is not None
    assert never.verified_by_id is None
    assert factories.reload(listings["old"]).last_verified_at > utcnow() - timedelta(minutes=5)
    confirmed = db.session.scalars(
        select(VerificationReminder).where(VerificationReminder.confirmed_at.is_not(None))
    ).all()
    assert len(confirmed) == 1
    login_free = client.get(f"/reports/confirm/{token}").get_data(as_text=True)
    assert "Confirmed on" in login_free


def test_tampered_or_expired_links_are_refused(app, listings, client):  # noqa: ANN001
    from itsdangerous import URLSafeTimedSerializer

    _run_remind(app)
    token = _token(db.session.scalars(select(OutboxMessage)).first().body)
    # Change the signature's first character (its last one carries padding bits, so
    # rewriting the tail can leave the signature as it was about once in 256 runs).
    body, _, signature = token.rpartition(".")
    swapped = ("B" if signature[0] == "A" else "A") + signature[1:]
    assert client.get(f"/reports/confirm/{body}.{swapped}").status_code == 404
    other_salt = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="other").dumps({"r": "x"})
    assert client.post(f"/reports/confirm/{other_salt}").status_code == 404
    old = app.config["VERIFY_LINK_MAX_AGE"]
    app.config["VERIFY_LINK_MAX_AGE"] = -1
    try:
        response = client.post(f"/reports/confirm/{token}")
    finally:
        app.config["VERIFY_LINK_MAX_AGE"] = old
    assert response.status_code == 404
    assert "expired" in response.get_data(as_text=True)
    assert factories.reload(listings["never"]).last_verified_at is None
