"""“Released today” in the pages: the button for the team, one POST to the page the card is
handed over from, the gaps shown, the public card page by code, refusals kept readable."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.clock import local_today
from app.extensions import db
from app.plans import services
from app.plans.models import PlanVersion
from app.public.cards import format_code
from app.public.models import DischargeCard
from tests import factories
from tests.plans.release_helpers import near_release
from tests.referrals.conftest import FIRST_NAME, INMATE_NUMBER, LAST_NAME


def _plan_url(world) -> str:  # noqa: ANN001
    return f"/referrals/clients/{world.client.id}/plan"


def _versions() -> int:
    return db.session.scalar(select(func.count()).select_from(PlanVersion))


def test_the_team_sees_the_button_on_the_plan_and_client_pages(client, login, world) -> None:  # noqa: ANN001
    near_release(world)
    login(world.counselor)
    for path in (_plan_url(world), f"/referrals/clients/{world.client.id}"):
        page = client.get(path).get_data(as_text=True)
        assert f'action="{_plan_url(world)}/release"' in page, path
        assert ">Released today</button>" in page
        assert f'value="{local_today().isoformat()}"' in page  # the date field starts at today


def test_one_post_ends_on_the_card_page_with_what_was_not_arranged(client, login, world) -> None:  # noqa: ANN001
    setting = near_release(world)
    login(world.counselor)
    response = client.post(f"{_plan_url(world)}/release", data={})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{_plan_url(world)}/released")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    gaps = "Not arranged at release:</strong> Discharge funds, Transportation on release day"
    assert gaps in page
    assert "ID and vital documents" in page
    card = db.session.scalar(select(DischargeCard))
    code = format_code(card.code)
    assert f"Discharge card {code}" in page
    assert "<svg" in page  # the QR code
    assert f'href="/card/{code}/print?lang=en"' in page
    assert "Transitional Housing" in page and setting.benefits.name in page
    assert factories.reload(world.client).released_on == local_today()
    assert _versions() == 1
    # the plan page now links here instead of offering the button again
    plan_page = client.get(_plan_url(world)).get_data(as_text=True)
    assert ">Released today</button>" not in plan_page
    assert f'href="{_plan_url(world)}/released"' in plan_page


def test_the_public_card_page_shows_the_entries_and_no_name(client, login, world) -> None:  # noqa: ANN001
    setting = near_release(world)
    login(world.counselor)
    client.post(f"{_plan_url(world)}/release", data={})
    client.post("/account/logout")
    code = db.session.scalar(select(DischargeCard.code))
    page = client.get(f"/card/{code}").get_data(as_text=True)
    assert "Transitional Housing" in page
    assert "Job Readiness Program" in page
    assert setting.benefits.name in page
    for secret in (FIRST_NAME, LAST_NAME, INMATE_NUMBER):
        assert secret not in page


def test_no_plan_yet_the_client_page_button_starts_it_and_releases(client, login, world) -> None:  # noqa: ANN001
    login(world.counselor)
    response = client.post(f"{_plan_url(world)}/release", data={})
    assert response.status_code == 303
    assert services.plan_for(world.client) is not None
    page = client.get(f"{_plan_url(world)}/released").get_data(as_text=True)
    assert "Housing" in page and "Not arranged at release" in page


def test_a_second_release_is_a_409_with_a_clear_message(client, login, world) -> None:  # noqa: ANN001
    near_release(world)
    login(world.counselor)
    client.post(f"{_plan_url(world)}/release", data={})
    response = client.post(f"{_plan_url(world)}/release", data={})
    assert response.status_code == 409
    assert "release was already recorded" in response.get_data(as_text=True)
    assert _versions() == 1
    assert db.session.scalar(select(func.count()).select_from(DischargeCard)) == 1


def test_a_date_too_far_back_is_shown_at_its_field_and_nothing_saved(client, login, world) -> None:  # noqa: ANN001
    near_release(world)
    login(world.counselor)
    old = (local_today() - timedelta(days=30)).isoformat()
    response = client.post(f"{_plan_url(world)}/release", data={"released_on": old})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="released_on-err"' in page and "within the last 7 days" in page
    assert f'value="{old}"' in page  # what was typed stays in the field
    assert factories.reload(world.client).released_on is None
    assert _versions() == 0


def test_a_date_in_the_future_is_a_422(client, login, world) -> None:  # noqa: ANN001
    login(world.counselor)
    tomorrow = (local_today() + timedelta(days=2)).isoformat()
    response = client.post(f"{_plan_url(world)}/release", data={"released_on": tomorrow})
    assert response.status_code == 422
    assert "cannot be in the future" in response.get_data(as_text=True)


def test_someone_off_the_team_is_refused_and_sees_no_button(client, login, world) -> None:  # noqa: ANN001
    near_release(world)
    login(world.outsider)
    assert client.post(f"{_plan_url(world)}/release", data={}).status_code == 403
    assert client.get(f"/referrals/clients/{world.client.id}").status_code == 403
    assert factories.reload(world.client).released_on is None


def test_the_release_page_is_404_before_a_release(client, login, world) -> None:  # noqa: ANN001
    near_release(world)
    login(world.counselor)
    assert client.get(f"{_plan_url(world)}/released").status_code == 404
