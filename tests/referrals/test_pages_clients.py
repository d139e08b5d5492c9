"""Counselor pages about people: list, new client with the duplicate check, client page, profile
editing, care team and consent — and who may open each."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.clock import local_today
from app.common import utcnow
from app.extensions import db
from app.referrals.models import CareTeamMember, Client, Consent
from tests import factories
from tests.referrals.conftest import DATE_OF_BIRTH, FIRST_NAME, LAST_NAME


def client_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Client))


def new_client_form(**overrides) -> dict:  # noqa: ANN003
    data = {
        "first_name": "Rosalind",
        "last_name": "Okafor",
        "date_of_birth": "1990-04-02",
        "projected_release_date": (local_today() + timedelta(days=30)).isoformat(),
        "preferred_language": "es",
        "contact_method": "phone",
        "contact_phone": "860-555-0144",
        "destination_town": "New Haven",
        "documents_held": ["state_id", "social_security_card"],
        "on_registry": "no",
        "veteran": "yes",
        "sober": "",
        "gender": "female",
        "supervision": "parole",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- the client list ---------------------------------------------------------------------------


def test_client_list_shows_own_team_clients_with_release_and_referral_status(client, login, world):  # noqa: ANN001
    soon = factories.make_client(
        world.counselor,
        first_name="Soonest",
        projected_release_date=local_today() + timedelta(days=5),
    )
    factories.make_client(world.outsider, first_name="Notmine")
    factories.make_consent(
        world.client, world.counselor, organization=world.org, signed_on=date(2020, 1, 1)
    )
    overdue = factories.make_referral(
        world.client, world.service, world.counselor, now=utcnow() - timedelta(days=10)
    )
    assert overdue.status.value == "sent"
    login(world.counselor)
    page = client.get("/referrals/clients")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Soonest" in html and FIRST_NAME in html
    assert "Notmine" not in html
    assert html.index("Soonest") < html.index(FIRST_NAME)  # soonest release first
    assert "5 days left" in html
    assert "Overdue" in html and "1 waiting past the deadline" in html
    assert "Sent</span> 1" in html
    assert soon.id in html


@pytest.mark.parametrize(
    ("who", "status"),
    [("provider", 403), ("analyst", 403), ("admin", 200), ("outsider", 200)],
)
def test_client_list_access(client, login, world, who, status):  # noqa: ANN001
    login(getattr(world, who))
    page = client.get("/referrals/clients")
    assert page.status_code == status
    if who == "outsider":  # a counselor not on the team sees an empty list, not the client
        assert FIRST_NAME not in page.get_data(as_text=True)


# --- new client and the duplicate check --------------------------------------------------------


def test_new_client_is_saved_with_profile_and_creator_as_coordinator(client, login, world):  # noqa: ANN001
    login(world.counselor)
    response = client.post("/referrals/clients/new", data=new_client_form())
    assert response.status_code == 302
    person = db.session.scalar(select(Client).where(Client.last_name == "Okafor"))
    assert response.headers["Location"].endswith(f"/referrals/clients/{person.id}")
    assert person.eligibility == {
        "on_registry": False,
        "veteran": True,
        "gender": "female",
        "supervision": "parole",
    }
    assert sorted(person.documents_held) == ["social_security_card", "state_id"]
    assert person.facility_id == world.counselor.facility_id
    member = db.session.scalar(select(CareTeamMember).where(CareTeamMember.client_id == person.id))
    assert member.user_id == world.counselor.id and member.is_coordinator
    page = client.get(f"/referrals/clients/{person.id}").get_data(as_text=True)
    assert "(primary coordinator)" in page
    assert "State ID or driver" in page


def test_new_client_from_refer_a_client_goes_on_to_the_referral(client, login, world):  # noqa: ANN001
    """Refer a client → Add a new client first: the chosen service is not lost."""
    login(world.counselor)
    pick = client.get(f"/referrals/refer?service={world.service.id}").get_data(as_text=True)
    assert f"/referrals/clients/new?service={world.service.id}" in pick
    form = client.get(f"/referrals/clients/new?service={world.service.id}").get_data(as_text=True)
    assert f"the referral to <strong>{world.service.name}</strong> opens" in form
    response = client.post(
        f"/referrals/clients/new?service={world.service.id}", data=new_client_form()
    )
    person = db.session.scalar(select(Client).where(Client.last_name == "Okafor"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/referrals/clients/{person.id}/refer?service={world.service.id}"
    )


def test_new_client_with_bad_input_is_422_and_keeps_values(client, login, world):  # noqa: ANN001
    login(world.counselor)
    before = client_count()
    response = client.post(
        "/referrals/clients/new", data=new_client_form(first_name="", contact_phone="")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter the first name." in html
    assert "Enter the phone number" in html
    assert 'value="Okafor"' in html
    assert client_count() == before


def test_possible_duplicate_is_shown_and_needs_explicit_confirmation(client, login, world):  # noqa: ANN001
    login(world.counselor)
    before = client_count()
    same = new_client_form(
        first_name=FIRST_NAME.upper(), last_name=LAST_NAME, date_of_birth=DATE_OF_BIRTH.isoformat()
    )
    response = client.post("/referrals/clients/new", data=same)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This person may already be recorded" in html
    assert f"/referrals/clients/{world.client.id}" in html  # a link to the match
    assert "This is a different person" in html
    assert client_count() == before

    response = client.post("/referrals/clients/new", data={**same, "allow_duplicate": "y"})
    assert response.status_code == 302
    assert client_count() == before + 1


def test_duplicate_on_someone_elses_team_is_flagged_without_a_link(client, login, world):  # noqa: ANN001
    login(world.outsider)
    same = new_client_form(
        first_name=FIRST_NAME, last_name=LAST_NAME, date_of_birth=DATE_OF_BIRTH.isoformat()
    )
    html = client.post("/referrals/clients/new", data=same).get_data(as_text=True)
    assert "This person may already be recorded" in html
    assert f"/referrals/clients/{world.client.id}" not in html
    assert "another counselor" in html


# --- the client page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("counselor", 200),
        ("outsider", 403),
        ("provider", 403),
        ("other_provider", 403),
        ("analyst", 403),
        ("admin", 200),
    ],
)
def test_client_page_access(client, login, world, who, status):  # noqa: ANN001
    factories.make_referral(world.client, world.service, world.counselor)
    login(getattr(world, who))
    response = client.get(f"/referrals/clients/{world.client.id}")
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert (FIRST_NAME in html) == (status == 200)


def test_missing_client_is_404(client, login, world):  # noqa: ANN001
    login(world.counselor)
    assert client.get("/referrals/clients/no-such-id").status_code == 404
    assert client.get("/referrals/clients/no-such-id/edit").status_code == 404


def test_client_page_shows_timeline_of_all_referrals_newest_first(client, login, world):  # noqa: ANN001
    second = factories.make_service(world.org, name="Job Readiness")
    factories.make_consent(
        world.client, world.counselor, organization=world.org, signed_on=date(2020, 1, 1)
    )
    factories.make_referral(
        world.client, world.service, world.counselor, now=utcnow() - timedelta(days=3)
    )
    factories.make_referral(world.client, second, world.counselor)
    login(world.counselor)
    html = client.get(f"/referrals/clients/{world.client.id}").get_data(as_text=True)
    timeline = html.split("<h3>Timeline</h3>", 1)[1]
    assert timeline.index("Job Readiness") < timeline.index("Transitional Housing")


def test_edit_profile_sets_and_clears_tri_state_answers(client, login, world):  # noqa: ANN001
    login(world.counselor)
    url = f"/referrals/clients/{world.client.id}/edit"
    page = client.get(url)
    assert page.status_code == 200
    assert f'value="{FIRST_NAME}"' in page.get_data(as_text=True)
    data = new_client_form(
        first_name=FIRST_NAME,
        last_name=LAST_NAME,
        date_of_birth=DATE_OF_BIRTH.isoformat(),
        on_registry="yes",
        veteran="",
        documents_held=None,
        no_documents="y",
    )
    assert client.post(url, data=data).status_code == 302
    person = factories.reload(world.client)
    assert person.eligibility["on_registry"] is True
    assert "veteran" not in person.eligibility  # "not known" is stored as absent
    assert person.documents_held == []
    html = client.get(f"/referrals/clients/{person.id}").get_data(as_text=True)
    assert "None of the listed documents" in html


def test_edit_by_counselor_not_on_team_is_refused(client, login, world):  # noqa: ANN001
    login(world.outsider)
    url = f"/referrals/clients/{world.client.id}/edit"
    assert client.get(url).status_code == 403
    assert client.post(url, data=new_client_form()).status_code == 403
    assert factories.reload(world.client).first_name == FIRST_NAME


# --- the care team -----------------------------------------------------------------------------


def test_coordinator_adds_member_hands_over_and_removes(client, login, world):  # noqa: ANN001
    mentor = factories.make_user(Role.COUNSELOR, email="mentor@example.org", name="Morgan Mentor")
    login(world.counselor)
    base = f"/referrals/clients/{world.client.id}/team"
    response = client.post(base, data={"email": "MENTOR@example.org", "title": "Mentor"})
    assert response.status_code == 302
    member = db.session.scalar(select(CareTeamMember).where(CareTeamMember.user_id == mentor.id))
    assert member.title == "Mentor"
    html = client.get(f"/referrals/clients/{world.client.id}").get_data(as_text=True)
    assert "Morgan Mentor, Mentor" in html

    assert client.post(f"{base}/{member.id}/coordinator").status_code == 302
    assert factories.reload(member).is_coordinator
    # The old coordinator is now a plain member and may no longer change the team.
    own = db.session.scalar(
        select(CareTeamMember).where(CareTeamMember.user_id == world.counselor.id)
    )
    assert client.post(f"{base}/{own.id}/remove").status_code == 403


NO_SUCH_COUNSELOR = "No active counselor account uses that e-mail address."


def test_team_add_unknown_email_or_provider_is_refused_with_one_message(client, login, world):  # noqa: ANN001
    """Unknown, provider, inactive: the same answer, so nobody can probe which addresses exist."""
    inactive = factories.make_user(Role.COUNSELOR, email="gone@example.org")
    inactive.active = False
    db.session.commit()
    login(world.counselor)
    base = f"/referrals/clients/{world.client.id}/team"
    for email in ("nobody@example.org", world.provider.email, "gone@example.org"):
        response = client.post(base, data={"email": email}, follow_redirects=True)
        html = response.get_data(as_text=True)
        assert NO_SUCH_COUNSELOR in html, email
        assert "Only active counselor" not in html
    assert len(factories.reload(world.client).team) == 1


@pytest.mark.parametrize(
    "pattern", ["ana_lopez@example.org", "%3@example.org", "%LOPEZ@example.org"]
)
def test_team_add_matches_the_exact_address_never_a_pattern(client, login, world, pattern):  # noqa: ANN001
    factories.make_user(Role.COUNSELOR, email="ana.lopez@example.org")
    factories.make_user(Role.COUNSELOR, email="unknown3@example.org")
    login(world.counselor)
    base = f"/referrals/clients/{world.client.id}/team"
    response = client.post(base, data={"email": pattern}, follow_redirects=True)
    assert NO_SUCH_COUNSELOR in response.get_data(as_text=True)
    assert len(factories.reload(world.client).team) == 1


def test_team_member_who_is_not_coordinator_cannot_manage_team(client, login, world):  # noqa: ANN001
    from app.referrals.services import add_team_member

    add_team_member(world.client, world.outsider, "Parole officer", world.counselor)
    db.session.commit()
    login(world.outsider)
    html = client.get(f"/referrals/clients/{world.client.id}").get_data(as_text=True)
    assert FIRST_NAME in html  # a member sees the client...
    assert "Add a team member" not in html  # ...but only the coordinator manages the team
    response = client.post(
        f"/referrals/clients/{world.client.id}/team", data={"email": world.admin.email}
    )
    assert response.status_code == 403


def test_team_member_of_another_client_is_404(client, login, world):  # noqa: ANN001
    other = factories.make_client(world.counselor)
    member = other.team[0]
    login(world.counselor)
    url = f"/referrals/clients/{world.client.id}/team/{member.id}/remove"
    assert client.post(url).status_code == 404


# --- consent -----------------------------------------------------------------------------------


def test_record_consent_then_revoke_hides_details_from_the_provider(client, login, world):  # noqa: ANN001
    login(world.counselor)
    url = f"/referrals/clients/{world.client.id}/consents/new"
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        data={
            "organization_id": world.org.id,
            "shares": ["identity", "contact"],
            "signed_on": local_today().isoformat(),
            "expires_on": (local_today() + timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 302
    consent = db.session.scalar(select(Consent).where(Consent.client_id == world.client.id))
    assert consent.shares == ["identity", "contact"]
    referral = factories.make_referral(world.client, world.service, world.counselor)

    client.post("/account/logout")
    login(world.provider)
    html = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert FIRST_NAME in html
    assert "Details withheld" not in html

    client.post("/account/logout")
    login(world.counselor)
    revoke = f"/referrals/consents/{consent.id}/revoke"
    assert client.get(revoke).status_code == 200
    response = client.post(revoke, data={"note": "Withdrew consent by phone"})
    assert response.status_code == 302
    assert factories.reload(consent).revoked_at is not None
    html = client.get(f"/referrals/clients/{world.client.id}").get_data(as_text=True)
    assert "Revoked" in html and "Withdrew consent by phone" in html

    client.post("/account/logout")
    login(world.provider)
    html = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert FIRST_NAME not in html and LAST_NAME not in html
    assert "Details withheld — consent revoked or expired" in html


def test_consent_form_errors_are_422_and_save_nothing(client, login, world):  # noqa: ANN001
    login(world.counselor)
    url = f"/referrals/clients/{world.client.id}/consents/new"
    response = client.post(
        url,
        data={
            "organization_id": world.org.id,
            "need_area_code": "housing",
            "signed_on": local_today().isoformat(),
            "expires_on": (local_today() - timedelta(days=1)).isoformat(),
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose either one organization or one need area." in html
    assert "Tick at least one thing that may be shared." in html
    assert "The expiry date cannot be before the date signed." in html
    assert db.session.scalar(select(func.count()).select_from(Consent)) == 0


def test_consent_for_a_need_area_covers_services_in_it(client, login, world):  # noqa: ANN001
    login(world.counselor)
    response = client.post(
        f"/referrals/clients/{world.client.id}/consents/new",
        data={
            "need_area_code": "housing",
            "shares": ["identity"],
            "signed_on": local_today().isoformat(),
            "expires_on": (local_today() + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    html = client.get(
        f"/referrals/clients/{world.client.id}/refer?service={world.service.id}"
    ).get_data(as_text=True)
    assert "No consent" not in html


@pytest.mark.parametrize("who", ["outsider", "provider", "analyst"])
def test_others_cannot_record_or_revoke_consent(client, login, world, who):  # noqa: ANN001
    consent = factories.make_consent(world.client, world.counselor, organization=world.org)
    login(getattr(world, who))
    assert client.get(f"/referrals/clients/{world.client.id}/consents/new").status_code == 403
    assert client.post(f"/referrals/consents/{consent.id}/revoke").status_code == 403
    assert factories.reload(consent).revoked_at is None


def test_revoke_missing_consent_is_404(client, login, world):  # noqa: ANN001
    login(world.counselor)
    assert client.post("/referrals/consents/nope/revoke").status_code == 404
