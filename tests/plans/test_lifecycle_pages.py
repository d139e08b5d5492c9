"""The plan page over the plan's life: "Review the plan", "Move to the next phase", the History,
and the referral that serves an item; bad input at its field (422), a stale form (409), the team
only."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.plans import services
from app.plans.models import PlanItem, PlanVersion, ReleasePlan
from app.plans.vocabulary import ItemKind, ItemStatus, PlanPhase
from app.referrals.steps import transition
from tests import factories


def _plan_url(world) -> str:  # noqa: ANN001
    return f"/referrals/clients/{world.client.id}/plan"


def _started(world):  # noqa: ANN001,ANN202
    plan = services.start_plan(world.client, world.counselor)
    db.session.commit()
    return plan


def _versions() -> int:
    return db.session.scalar(select(func.count()).select_from(PlanVersion))


def _phase_data(plan, **fields) -> dict:  # noqa: ANN001,ANN003
    data = {"phase": "releasing", "coordinator_id": plan.coordinator_id, "version": plan.version}
    return {f"phase-{k}": v for k, v in (data | fields).items()}


def test_the_page_offers_a_review_of_the_current_phase_and_the_next_phase(
    client, login, world
) -> None:  # noqa: ANN001
    _started(world)
    login(world.counselor)
    page = client.get(_plan_url(world)).get_data(as_text=True)
    assert "Review the plan" in page
    assert '<option selected value="intake">At intake</option>' in page
    assert "Move to the next phase" in page
    assert '<option selected value="releasing">Being released</option>' in page
    assert "No review recorded yet." in page


def test_recording_a_review_shows_it_in_the_history(client, login, world) -> None:  # noqa: ANN001
    plan = _started(world)
    login(world.counselor)
    response = client.post(
        f"/plans/{plan.id}/reviews",
        data={"review-juncture": "intake", "review-note": "Met with the person and family"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{_plan_url(world)}#history")
    page = client.get(_plan_url(world)).get_data(as_text=True)
    assert "Review 1 recorded." in page
    assert "Review 1: At intake" in page
    assert "Met with the person and family" in page
    assert "First review: 10 items on the checklist." in page
    assert "The checklist as it stood" in page
    assert "Recorded by</dt><dd>Casey Counselor" in page


def test_the_history_is_newest_first_with_the_items_as_they_stood(client, login, world) -> None:  # noqa: ANN001
    from app.plans.junctures import record_juncture

    plan = _started(world)
    record_juncture(plan, "intake", world.counselor)
    housing = next(i for i in plan.items if i.kind == ItemKind.HOUSING)
    services.update_item(
        housing, world.counselor, status="arranged", due_on=housing.due_on, expected_version=1
    )
    record_juncture(plan, "before_release", world.counselor)
    db.session.commit()
    login(world.counselor)
    page = client.get(_plan_url(world)).get_data(as_text=True)
    history = page[page.index('id="history"') :]
    assert history.index("Review 2: Before release") < history.index("Review 1: At intake")
    assert "Housing: to do → arranged." in history
    first = history[history.index('id="version-1"') :]
    assert "<td>Housing</td><td>To do</td>" in first  # as it stood then, not as it is now


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"review-juncture": "sometime"}, "review-juncture"),
        ({"review-juncture": "intake", "review-note": "x" * 2001}, "review-note"),
    ],
)
def test_a_bad_review_is_shown_at_its_field(client, login, world, data, field) -> None:  # noqa: ANN001
    plan = _started(world)
    login(world.counselor)
    response = client.post(f"/plans/{plan.id}/reviews", data=data)
    assert response.status_code == 422
    assert f'id="{field}-err"' in response.get_data(as_text=True)
    assert _versions() == 0


def test_moving_the_plan_hands_it_to_the_parole_officer(client, login, world) -> None:  # noqa: ANN001
    from app.accounts.models import Role
    from app.referrals.services import add_team_member

    officer = factories.make_user(Role.COUNSELOR, name="Robin Parole")
    add_team_member(world.client, officer, "Parole officer", world.counselor)
    plan = _started(world)
    plan.phase = PlanPhase.RELEASING
    db.session.commit()
    login(world.counselor)
    page = client.get(_plan_url(world)).get_data(as_text=True)
    assert f'<option selected value="{officer.id}">Robin Parole, Parole officer</option>' in page
    response = client.post(
        f"/plans/{plan.id}/phase",
        data=_phase_data(plan, phase="community_supervision", coordinator_id=officer.id),
    )
    assert response.status_code == 303
    page = client.get(_plan_url(world)).get_data(as_text=True)
    assert "The plan moved to “In the community under supervision”. Review 1 recorded." in page
    assert "Coordinator</dt><dd>Robin Parole" in page
    assert "Review 1: On return to the community" in page
    db.session.expire_all()
    assert db.session.get(ReleasePlan, plan.id).coordinator_id == officer.id


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"phase": "discharged"}, "phase-phase", "Choose the next phase from the list."),
        ({"phase": "releasing", "coordinator_id": "nobody"}, "phase-coordinator_id", "care team"),
        ({"phase": "releasing", "note": "x" * 2001}, "phase-note", "2000 characters"),
    ],
)
def test_a_bad_move_is_shown_at_its_field_and_changes_nothing(
    client, login, world, fields, field, message
) -> None:  # noqa: ANN001
    plan = _started(world)
    login(world.counselor)
    response = client.post(f"/plans/{plan.id}/phase", data=_phase_data(plan, **fields))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-err"' in page
    assert message in page
    db.session.expire_all()
    assert db.session.get(ReleasePlan, plan.id).phase == PlanPhase.IN_FACILITY
    assert _versions() == 0


def test_a_stale_move_answers_409_and_changes_nothing(client, login, world) -> None:  # noqa: ANN001
    plan = _started(world)
    stale = _phase_data(plan)  # the form as it was opened
    login(world.counselor)
    assert client.post(f"/plans/{plan.id}/phase", data=stale).status_code == 303
    stale["phase-phase"] = "community_supervision"
    response = client.post(f"/plans/{plan.id}/phase", data=stale)
    assert response.status_code == 409
    assert "Someone else changed this plan" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ReleasePlan, plan.id).phase == PlanPhase.RELEASING
    assert _versions() == 1


@pytest.mark.parametrize("who", ["provider", "analyst", "outsider"])
def test_people_off_the_team_cannot_review_or_move(client, login, world, who) -> None:  # noqa: ANN001
    plan = _started(world)
    login(getattr(world, who))
    review = client.post(f"/plans/{plan.id}/reviews", data={"review-juncture": "intake"})
    assert review.status_code == 403
    assert client.post(f"/plans/{plan.id}/phase", data=_phase_data(plan)).status_code == 403
    db.session.expire_all()
    assert db.session.get(ReleasePlan, plan.id).phase == PlanPhase.IN_FACILITY
    assert _versions() == 0


def test_an_item_shows_its_referral_and_why_it_went_back_to_to_do(client, login, world) -> None:  # noqa: ANN001
    plan = _started(world)
    referral = factories.make_referral(world.client, world.service, world.counselor)
    housing = next(i for i in plan.items if i.kind == ItemKind.HOUSING)
    housing.referral_id, housing.status = referral.id, ItemStatus.IN_PROGRESS
    db.session.commit()
    opened_version = housing.version
    login(world.counselor)
    page = client.get(_plan_url(world)).get_data(as_text=True)
    assert f'href="/referrals/{referral.id}">Transitional Housing</a>' in page
    assert "Sent, waiting for an answer" in page
    transition(
        referral,
        "decline",
        world.provider,
        expected_version=referral.version,
        reason_code="no_capacity",
    )
    db.session.commit()
    page = client.get(_plan_url(world)).get_data(as_text=True)
    card = page[page.index(f'id="item-{housing.id}"') :]
    card = card[: card.index("</li>")]
    assert "<strong>Declined</strong> · Reason: No room" in card
    assert 'id="group-to_do"' in page and page.index('id="group-to_do"') < page.index(card)
    # a form opened before the provider's answer is now stale
    response = client.post(
        f"/plans/items/{housing.id}",
        data={
            f"item-{housing.id}-status": "arranged",
            f"item-{housing.id}-version": str(opened_version),
        },
    )
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(PlanItem, housing.id).status == ItemStatus.TO_DO
