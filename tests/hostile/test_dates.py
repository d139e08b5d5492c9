"""Dates no person means (year 1, year 9999, born next year) are refused with a field message,
on the forms and in the services the API shares; never stored, never a 500."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.common import utcnow
from app.extensions import db
from app.plausible import DateKind, date_range, problem_with
from app.referrals.data import ClientData, ConsentData
from app.referrals.errors import ReferralValidationError
from app.referrals.models import Client, Consent
from app.referrals.services import create_client, record_consent, transition
from app.referrals.vocabulary import ReferralStatus
from tests import factories
from tests.test_route_permissions import _login

YEAR_ONE = date(1, 1, 1)
LAST_DAY = date(9999, 12, 31)
TODAY = utcnow().date()


@pytest.mark.parametrize("kind", list(DateKind))
def test_every_kind_refuses_year_one_and_year_9999_and_takes_today(kind):  # noqa: ANN001
    assert problem_with(kind, YEAR_ONE)
    assert problem_with(kind, LAST_DAY)
    earliest, latest = date_range(kind)
    assert earliest <= TODAY - timedelta(days=1) and latest >= TODAY
    assert problem_with(kind, earliest) is None and problem_with(kind, latest) is None


def test_never_in_the_future_kinds_accept_the_utc_day_but_not_the_next():
    utc_today = utcnow().date()
    for kind in (DateKind.BIRTH, DateKind.CONSENT_SIGNED, DateKind.SITE_VISIT):
        assert problem_with(kind, utc_today) is None
        assert "future" in problem_with(kind, utc_today + timedelta(days=2))


def _step(client, referral, action: str, **fields):  # noqa: ANN001,ANN003,ANN202
    data = {f"{action}-version": str(factories.reload(referral).version)}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return client.post(f"/referrals/{referral.id}/step/{action}", data=data)


def test_accept_with_intake_on_9999_12_31_is_a_field_message(client, world):  # noqa: ANN001
    _login(client, world.users["provider_a"])
    response = _step(
        client, world.referral, "accept", intake_date="9999-12-31", intake_time="23:30"
    )
    assert response.status_code == 422
    assert "Enter a date no later than" in response.get_data(as_text=True)
    assert factories.reload(world.referral).status == ReferralStatus.SENT


def test_waitlist_expected_in_year_one_is_a_field_message(client, world):  # noqa: ANN001
    _login(client, world.users["provider_a"])
    response = _step(
        client, world.referral, "waitlist", reason_text="Full", expected_date="0001-01-01"
    )
    assert response.status_code == 422
    assert "Enter a date no earlier than" in response.get_data(as_text=True)
    assert factories.reload(world.referral).status == ReferralStatus.SENT


@pytest.mark.parametrize(
    "period",
    [{"end": "9999-12-31"}, {"start": "0001-01-01"}, {"start": "0001-01-01", "end": "0001-01-02"}],
)
def test_report_period_at_the_ends_of_the_calendar_is_a_field_message(client, world, period):  # noqa: ANN001
    _login(client, world.users["analyst"])
    response = client.get("/reports/", query_string=period)
    assert response.status_code == 422
    assert "Enter a date no" in response.get_data(as_text=True)
    for download in ("/reports/network.zip", "/reports/network/referrals.csv"):
        assert client.get(download, query_string=period).status_code < 500


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date_of_birth": "0001-01-01"}, "no earlier than"),
        ({"date_of_birth": (TODAY + timedelta(days=400)).isoformat()}, "future"),
        ({"released_on": "9999-12-31"}, "future"),
        ({"projected_release_date": "0001-01-01"}, "no earlier than"),
    ],
)
def test_client_form_refuses_impossible_dates(client, world, fields, message):  # noqa: ANN001
    _login(client, world.users["counselor"])
    data = {"first_name": "Ann", "last_name": "Lee", "date_of_birth": "1980-01-01", **fields}
    before = db.session.scalar(select(func.count()).select_from(Client))
    response = client.post("/referrals/clients/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Client)) == before


@pytest.mark.parametrize(
    ("signed", "expires", "message"),
    [
        ((TODAY + timedelta(days=30)).isoformat(), "9999-12-30", "future"),
        ("0001-01-01", "0001-02-01", "no earlier than"),
        (TODAY.isoformat(), "9999-12-31", "no later than"),
    ],
)
def test_consent_form_refuses_impossible_dates(client, world, signed, expires, message):  # noqa: ANN001
    _login(client, world.users["counselor"])
    before = db.session.scalar(select(func.count()).select_from(Consent))
    response = client.post(
        f"/referrals/clients/{world.client.id}/consents/new",
        data={
            "organization_id": world.org_a.id,
            "shares": ["identity"],
            "signed_on": signed,
            "expires_on": expires,
        },
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Consent)) == before


def test_site_visit_in_year_one_is_refused(client, world):  # noqa: ANN001
    _login(client, world.users["counselor"])
    response = client.post(
        f"/directory/services/{world.service_a.id}/visits/new",
        data={"visited_on": "0001-01-01", "visitor_name": "A", "overall": "recommended"},
    )
    assert response.status_code == 422
    assert "no earlier than" in response.get_data(as_text=True)


# --- the services the API calls refuse the same dates ---------------------------------------


def test_services_refuse_implausible_dates(world):  # noqa: ANN001
    counselor = world.users["counselor"]
    with pytest.raises(ReferralValidationError) as caught:
        create_client(ClientData(first_name="A", last_name="B", date_of_birth=YEAR_ONE), counselor)
    assert caught.value.field == "date_of_birth"
    consent = ConsentData(world.org_a.id, None, ["identity"], YEAR_ONE, date(1, 6, 1))
    with pytest.raises(ReferralValidationError) as caught:
        record_consent(world.client, consent, counselor)
    assert caught.value.field == "signed_on"
    db.session.rollback()
    referral = factories.reload(world.referral)
    with pytest.raises(ReferralValidationError) as caught:
        transition(
            referral,
            "accept",
            world.users["provider_a"],
            expected_version=referral.version,
            intake_at=datetime(9999, 12, 31, 9, tzinfo=UTC),
        )
    assert caught.value.field == "intake_at"
