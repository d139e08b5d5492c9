"""The "refer" page: warnings before sending, and what each warning requires."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.directory.vocabulary import Answer, Criterion
from app.extensions import db
from app.referrals.models import Referral
from tests import factories
from tests.referrals.conftest import FIRST_NAME


def referral_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Referral))


def refer_url(world, service=None) -> str:  # noqa: ANN001
    return f"/referrals/clients/{world.client.id}/refer?service={(service or world.service).id}"


def test_refer_page_prefills_and_sends(client, login, world):  # noqa: ANN001
    factories.make_consent(world.client, world.counselor, organization=world.org)
    login(world.counselor)
    page = client.get(refer_url(world))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Eligibility by this person's answers: Eligible" in html
    assert 'value="2030-01-15"' in html  # needed-by defaults to the release date
    assert '<option selected value="housing.transitional">' in html
    response = client.post(
        refer_url(world),
        data={
            "priority": "urgent",
            "needed_by": "2030-01-10",
            "need_area_code": "housing.transitional",
            "note_to_provider": "Needs a ground-floor room",
        },
    )
    assert response.status_code == 302
    referral = db.session.scalar(select(Referral))
    assert response.headers["Location"].endswith(f"/referrals/{referral.id}")
    assert referral.priority.value == "urgent"
    assert referral.note_to_provider == "Needs a ground-floor room"
    assert str(referral.needed_by) == "2030-01-10"


def test_refused_without_consent_with_a_link_to_record_one(client, login, world):  # noqa: ANN001
    login(world.counselor)
    html = client.get(refer_url(world)).get_data(as_text=True)
    consent_link = f"/referrals/clients/{world.client.id}/consents/new?service={world.service.id}"
    assert "No consent" in html and consent_link in html
    response = client.post(refer_url(world), data={"priority": "routine"})
    assert response.status_code == 422
    assert "Not sent: consent needed" in response.get_data(as_text=True)
    assert referral_count() == 0

    # Recording consent from that link comes back to the referral.
    response = client.post(
        consent_link,
        data={
            "organization_id": world.org.id,
            "shares": ["identity"],
            "signed_on": "2020-01-01",
            "expires_on": "2099-01-01",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(refer_url(world))


def test_not_eligible_requires_an_override_reason(client, login, world):  # noqa: ANN001
    factories.make_rule(world.service, Criterion.SEX_OFFENSE_REGISTRY, Answer.NO)
    world.client.eligibility = {"on_registry": True}
    db.session.commit()
    factories.make_consent(world.client, world.counselor, organization=world.org)
    login(world.counselor)
    html = client.get(refer_url(world)).get_data(as_text=True)
    assert "Not eligible" in html
    assert "Does not accept people on the sex-offense registry" in html
    assert 'name="eligibility_override_reason"' in html

    response = client.post(refer_url(world), data={"priority": "routine", "note_to_provider": "x"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Say why you are sending the referral anyway." in html
    assert "\nx</textarea>" in html  # entered values kept
    assert referral_count() == 0

    response = client.post(
        refer_url(world),
        data={"priority": "routine", "eligibility_override_reason": "Provider agreed by phone"},
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Referral.eligibility_override_reason)) == (
        "Provider agreed by phone"
    )


def test_no_fresh_capacity_requires_acknowledgement(client, login, world):  # noqa: ANN001
    stale = factories.make_service(world.org, name="Stale Beds")
    factories.make_capacity(stale, available=2, age_days=60)
    factories.make_consent(world.client, world.counselor, organization=world.org)
    login(world.counselor)
    html = client.get(refer_url(world, stale)).get_data(as_text=True)
    assert "No current room" in html
    assert 'name="acknowledge_no_capacity"' in html

    response = client.post(refer_url(world, stale), data={"priority": "routine"})
    assert response.status_code == 422
    assert "Confirm you want to send anyway." in response.get_data(as_text=True)
    assert referral_count() == 0

    response = client.post(
        refer_url(world, stale), data={"priority": "routine", "acknowledge_no_capacity": "y"}
    )
    assert response.status_code == 302
    assert referral_count() == 1


def test_unknown_eligibility_is_shown_as_questions_to_ask(client, login, world):  # noqa: ANN001
    factories.make_rule(world.service, Criterion.VETERANS_ONLY, Answer.YES)
    login(world.counselor)
    html = client.get(refer_url(world)).get_data(as_text=True)
    assert "Check eligibility" in html
    assert "Ask whether the person is a veteran" in html


@pytest.mark.parametrize(
    ("who", "status"),
    [("outsider", 403), ("provider", 403), ("analyst", 403), ("admin", 200)],
)
def test_refer_page_access(client, login, world, who, status):  # noqa: ANN001
    login(getattr(world, who))
    response = client.get(refer_url(world))
    assert response.status_code == status
    assert (FIRST_NAME in response.get_data(as_text=True)) == (status == 200)


def test_refer_page_unknown_service_or_client_is_404(client, login, world):  # noqa: ANN001
    login(world.counselor)
    assert client.get(f"/referrals/clients/{world.client.id}/refer").status_code == 404
    assert client.get(f"/referrals/clients/{world.client.id}/refer?service=x").status_code == 404
    assert (
        client.get(f"/referrals/clients/nope/refer?service={world.service.id}").status_code == 404
    )


def test_refer_pick_lists_only_my_clients(client, login, world):  # noqa: ANN001
    mine = factories.make_client(world.counselor, first_name="Alsomine")
    factories.make_client(world.outsider, first_name="Notmine")
    login(world.counselor)
    response = client.get(f"/referrals/refer?service={world.service.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert FIRST_NAME in html and "Alsomine" in html and "Notmine" not in html
    assert f"/referrals/clients/{mine.id}/refer?service={world.service.id}" in html
    assert client.get("/referrals/refer").status_code == 404


def test_refer_pick_is_for_counselors_and_admins(client, login, world):  # noqa: ANN001
    for user, status in ((world.provider, 403), (world.analyst, 403), (world.admin, 200)):
        login(user)
        assert client.get(f"/referrals/refer?service={world.service.id}").status_code == status
        client.post("/account/logout")


def test_sent_referral_date_default_when_needed_by_left_blank(client, login, world):  # noqa: ANN001
    factories.make_consent(world.client, world.counselor, organization=world.org)
    login(world.counselor)
    client.post(refer_url(world), data={"priority": "routine", "needed_by": ""})
    referral = db.session.scalar(select(Referral))
    assert referral.needed_by == world.client.projected_release_date
    assert referral.due_at - referral.sent_at >= timedelta(days=2)
