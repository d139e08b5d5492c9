"""The shared referral page: who may open it, what each side sees, and every step's form."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.accounts.models import Role
from app.referrals.vocabulary import ReferralStatus
from tests import factories
from tests.referrals.conftest import FIRST_NAME, INMATE_NUMBER, LAST_NAME


@pytest.fixture
def referral(world):  # noqa: ANN001,ANN201
    return factories.make_referral(
        world.client, world.service, world.counselor, note_to_provider="Needs a ground-floor room"
    )


def step(client, referral, action: str, version: int | None = None, **fields):  # noqa: ANN001,ANN003,ANN201
    """Post one step's form as the page would (fields prefixed by the action)."""
    current = factories.reload(referral).version if version is None else version
    data = {f"{action}-version": str(current)}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return client.post(f"/referrals/{referral.id}/step/{action}", data=data)


def status_of(referral) -> ReferralStatus:  # noqa: ANN001
    return factories.reload(referral).status


# --- who may open it ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("counselor", 200),
        ("outsider", 403),
        ("provider", 200),
        ("other_provider", 403),
        ("analyst", 403),
        ("admin", 200),
    ],
)
def test_referral_page_access(client, login, world, referral, who, status):  # noqa: ANN001
    login(getattr(world, who))
    response = client.get(f"/referrals/{referral.id}")
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert (FIRST_NAME in html) == (status == 200)


def test_missing_referral_and_unknown_step_are_404(client, login, world, referral):  # noqa: ANN001
    login(world.provider)
    assert client.get("/referrals/no-such-id").status_code == 404
    assert client.post("/referrals/no-such-id/step/accept").status_code == 404
    assert client.post(f"/referrals/{referral.id}/step/teleport").status_code == 404


def test_provider_opening_marks_received_and_sees_only_consented_fields(client, login, world):  # noqa: ANN001
    factories.make_consent(
        world.client, world.counselor, organization=world.org, shares=["identity"]
    )
    referral = factories.make_referral(
        world.client, world.service, world.counselor, note_to_provider="Ground floor please"
    )
    login(world.provider)
    html = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert status_of(referral) == ReferralStatus.RECEIVED
    assert f"{FIRST_NAME} {LAST_NAME}" in html
    assert INMATE_NUMBER not in html  # never part of the provider's view
    assert "Ground floor please" not in html  # the note was not among the shares
    assert f"/referrals/clients/{world.client.id}" not in html  # no link to the client record
    # The timeline shows the opening to both sides.
    client.post("/account/logout")
    login(world.counselor)
    html = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "Sent → Received" in html
    assert status_of(referral) == ReferralStatus.RECEIVED
    assert "Ground floor please" in html


def test_provider_pages_never_carry_the_client_id_without_identity(client, login, world):  # noqa: ANN001
    factories.make_consent(
        world.client, world.counselor, organization=world.org, shares=["eligibility"]
    )
    referral = factories.make_referral(world.client, world.service, world.counselor)
    login(world.provider)
    for path in (f"/referrals/{referral.id}", "/referrals/inbox"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert world.client.id not in html and FIRST_NAME not in html, path


def test_counselor_opening_does_not_mark_received(client, login, world, referral):  # noqa: ANN001
    login(world.counselor)
    client.get(f"/referrals/{referral.id}")
    assert status_of(referral) == ReferralStatus.SENT


def test_each_side_sees_only_its_own_buttons(client, login, world, referral):  # noqa: ANN001
    login(world.provider)
    html = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "/step/accept" in html and "/step/decline" in html and "/step/waitlist" in html
    assert "/step/cancel" not in html
    client.post("/account/logout")
    login(world.counselor)
    html = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "/step/cancel" in html and "/step/entered_in_error" in html
    assert "/step/accept" not in html


# --- every step through the page --------------------------------------------------------------


def test_accept_enroll_complete(client, login, world, referral):  # noqa: ANN001
    login(world.provider)
    client.get(f"/referrals/{referral.id}")
    response = step(
        client,
        referral,
        "accept",
        intake_date="2030-01-16",
        intake_time="10:30",
        what_to_bring="State ID",
    )
    assert response.status_code == 302
    accepted = factories.reload(referral)
    assert accepted.status == ReferralStatus.ACCEPTED
    # Entered in the network's time zone (New York; EST in January), stored in UTC.
    assert accepted.intake_at.astimezone(UTC) == datetime(2030, 1, 16, 15, 30, tzinfo=UTC)
    assert accepted.what_to_bring == "State ID"
    html = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "What to bring" in html and "State ID" in html
    assert "Jan 16, 2030, 10:30 AM EST" in html

    assert step(client, referral, "enroll").status_code == 302
    assert status_of(referral) == ReferralStatus.ENROLLED
    response = step(client, referral, "complete", outcome="")
    assert response.status_code == 422
    assert "Describe the outcome." in response.get_data(as_text=True)
    assert status_of(referral) == ReferralStatus.ENROLLED
    assert step(client, referral, "complete", outcome="Moved to own flat").status_code == 302
    done = factories.reload(referral)
    assert done.status == ReferralStatus.COMPLETED and done.outcome == "Moved to own flat"


def test_waitlist_then_decline_with_reason(client, login, world, referral):  # noqa: ANN001
    login(world.provider)
    response = step(client, referral, "waitlist", reason_text="")
    assert response.status_code == 422
    assert "Give a reason." in response.get_data(as_text=True)
    response = step(
        client, referral, "waitlist", reason_text="Full until March", expected_date="2030-03-01"
    )
    assert response.status_code == 302
    waiting = factories.reload(referral)
    assert waiting.status == ReferralStatus.WAITLISTED
    assert waiting.expected_date == date(2030, 3, 1)

    response = step(client, referral, "decline", reason_code="", reason_text="")
    assert response.status_code == 422
    assert "Choose a reason." in response.get_data(as_text=True)
    response = step(client, referral, "decline", reason_code="other", reason_text="")
    assert response.status_code == 422
    assert "Say what the other reason is." in response.get_data(as_text=True)
    assert step(client, referral, "decline", reason_code="no_capacity").status_code == 302
    declined = factories.reload(referral)
    assert declined.status == ReferralStatus.DECLINED and declined.reason_code == "no_capacity"
    html = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "Reason: No room" in html


def test_not_enrolled_needs_a_reason_code(client, login, world, referral):  # noqa: ANN001
    login(world.provider)
    assert step(client, referral, "accept").status_code == 302
    response = step(client, referral, "not_enrolled", reason_code="")
    assert response.status_code == 422
    assert status_of(referral) == ReferralStatus.ACCEPTED
    assert step(client, referral, "not_enrolled", reason_code="no_show").status_code == 302
    assert status_of(referral) == ReferralStatus.NOT_ENROLLED


def test_counselor_cancels_with_a_reason(client, login, world, referral):  # noqa: ANN001
    login(world.counselor)
    response = step(client, referral, "cancel", reason_text="")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Give a reason." in html
    assert status_of(referral) == ReferralStatus.SENT
    assert step(client, referral, "cancel", reason_text="Released early").status_code == 302
    assert status_of(referral) == ReferralStatus.CANCELLED


def test_entered_in_error(client, login, world, referral):  # noqa: ANN001
    login(world.counselor)
    assert step(client, referral, "entered_in_error", reason_text="Wrong person").status_code == 302
    assert status_of(referral) == ReferralStatus.ENTERED_IN_ERROR


def test_stale_version_is_409_with_current_status(client, login, world, referral):  # noqa: ANN001
    login(world.provider)
    old_version = factories.reload(referral).version
    assert step(client, referral, "accept", version=old_version).status_code == 302
    # A colleague's page still holds the old version.
    response = step(client, referral, "decline", version=old_version, reason_code="no_capacity")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else changed this referral" in html and "It is now accepted" in html
    assert status_of(referral) == ReferralStatus.ACCEPTED


def test_missing_version_is_409(client, login, world, referral):  # noqa: ANN001
    login(world.provider)
    response = client.post(f"/referrals/{referral.id}/step/accept", data={})
    assert response.status_code == 409
    assert status_of(referral) == ReferralStatus.SENT


def test_step_not_possible_from_this_status_is_409(client, login, world, referral):  # noqa: ANN001
    login(world.provider)
    response = step(client, referral, "enroll")
    assert response.status_code == 409
    assert "it cannot be moved to enrolled now" in response.get_data(as_text=True)
    assert status_of(referral) == ReferralStatus.SENT


@pytest.mark.parametrize(
    ("who", "action", "fields"),
    [
        ("counselor", "accept", {}),
        ("provider", "cancel", {"reason_text": "no"}),
        ("other_provider", "accept", {}),
        ("other_provider", "decline", {"reason_code": "no_capacity"}),
        ("outsider", "cancel", {"reason_text": "no"}),
        ("analyst", "accept", {}),
    ],
)
def test_wrong_side_is_403(client, login, world, referral, who, action, fields):  # noqa: ANN001
    login(getattr(world, who))
    response = step(client, referral, action, **fields)
    assert response.status_code == 403
    assert FIRST_NAME not in response.get_data(as_text=True)
    assert status_of(referral) == ReferralStatus.SENT


def test_admin_can_act_for_both_sides(client, login, world, referral):  # noqa: ANN001
    login(world.admin)
    assert step(client, referral, "accept").status_code == 302
    assert step(client, referral, "cancel", reason_text="Duplicate").status_code == 302
    assert status_of(referral) == ReferralStatus.CANCELLED


def test_provider_of_another_org_never_sees_the_name(client, login, world, referral):  # noqa: ANN001
    """Every page provider B can open shows nothing about org A's client."""
    factories.make_user(Role.PROVIDER, organizations=[world.other_org])
    login(world.other_provider)
    for url in (
        "/referrals/inbox",
        "/referrals/inbox?status=all",
        "/referrals/notifications",
        f"/referrals/{referral.id}",
        f"/referrals/clients/{world.client.id}",
        "/referrals/clients",
    ):
        html = client.get(url).get_data(as_text=True)
        assert FIRST_NAME not in html and LAST_NAME not in html, url
        assert INMATE_NUMBER not in html, url
