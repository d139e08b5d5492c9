"""Plan pages for the care team (start, view, update, add, bad input kept at its field) and the
refusals for providers, analysts and counselors off the team."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.clock import local_today
from app.extensions import db
from app.plans import services
from app.plans.models import PlanItem, ReleasePlan
from app.plans.vocabulary import ItemKind, ItemStatus


def _plan_url(world) -> str:  # noqa: ANN001
    return f"/referrals/clients/{world.client.id}/plan"


def _started(world):  # noqa: ANN001,ANN202
    plan = services.start_plan(world.client, world.counselor)
    db.session.commit()
    return plan


def _housing(plan):  # noqa: ANN001,ANN202
    return next(i for i in plan.items if i.kind == ItemKind.HOUSING)


def _item_data(item, **fields) -> dict:  # noqa: ANN001,ANN003
    data = {"status": item.status.value, "version": str(item.version)} | fields
    return {f"item-{item.id}-{name}": value for name, value in data.items()}


def test_client_page_offers_to_start_then_links_to_the_plan(client, login, world) -> None:  # noqa: ANN001
    login(world.counselor)
    page = client.get(f"/referrals/clients/{world.client.id}").get_data(as_text=True)
    assert "Start the release plan" in page
    _started(world)
    page = client.get(f"/referrals/clients/{world.client.id}").get_data(as_text=True)
    assert "Start the release plan" not in page
    assert f'href="{_plan_url(world)}"' in page


def test_the_team_starts_a_plan_and_sees_the_checklist(client, login, world) -> None:  # noqa: ANN001
    login(world.counselor)
    before = client.get(_plan_url(world))
    assert before.status_code == 200
    assert "Start the release plan" in before.get_data(as_text=True)
    response = client.post(f"{_plan_url(world)}/start")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(_plan_url(world))
    page = client.get(_plan_url(world)).get_data(as_text=True)
    assert "0 of 7 essential items arranged" in page
    assert "In the facility" in page
    assert "Casey Counselor" in page  # the coordinator
    assert "Transportation on release day" in page
    days = (world.client.projected_release_date - local_today()).days
    assert f"{days} days to release" in page
    assert db.session.scalar(select(func.count()).select_from(ReleasePlan)) == 1


def test_a_second_start_answers_409_and_keeps_one_plan(client, login, world) -> None:  # noqa: ANN001
    _started(world)
    login(world.counselor)
    response = client.post(f"{_plan_url(world)}/start")
    assert response.status_code == 409
    assert "already has a release plan" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ReleasePlan)) == 1


def test_updating_an_item_saves_it_and_counts_it(client, login, world) -> None:  # noqa: ANN001
    item = _housing(_started(world))
    login(world.counselor)
    response = client.post(
        f"/plans/items/{item.id}",
        data=_item_data(item, status="arranged", owner="provider", notes="Bed at Harbor House"),
    )
    assert response.status_code == 303
    db.session.expire_all()
    item = db.session.get(PlanItem, item.id)
    assert (item.status, item.owner, item.notes) == (
        ItemStatus.ARRANGED,
        "provider",
        "Bed at Harbor House",
    )
    page = client.get(_plan_url(world)).get_data(as_text=True)
    assert "1 of 7 essential items arranged" in page
    assert "The provider" in page


def test_a_missing_reason_shows_at_the_field_keeps_the_input_and_saves_nothing(
    client, login, world
) -> None:  # noqa: ANN001
    item = _housing(_started(world))
    login(world.counselor)
    response = client.post(
        f"/plans/items/{item.id}",
        data=_item_data(item, status="not_needed", notes="Note kept on the form"),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="item-{item.id}-reason-err"' in page
    assert "Note kept on the form" in page
    db.session.expire_all()
    item = db.session.get(PlanItem, item.id)
    assert (item.status, item.notes, item.version) == (ItemStatus.TO_DO, None, 1)


def test_an_implausible_due_date_is_refused_at_its_field(client, login, world) -> None:  # noqa: ANN001
    item = _housing(_started(world))
    login(world.counselor)
    response = client.post(f"/plans/items/{item.id}", data=_item_data(item, due_on="2999-01-01"))
    assert response.status_code == 422
    assert f'id="item-{item.id}-due_on-err"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PlanItem, item.id).due_on == item.due_on


def test_a_stale_form_answers_409_and_saves_nothing(client, login, world) -> None:  # noqa: ANN001
    item = _housing(_started(world))
    services.update_item(item, world.counselor, status="in_progress", expected_version=1)
    db.session.commit()
    login(world.counselor)
    response = client.post(
        f"/plans/items/{item.id}", data=_item_data(item, status="arranged", version="1")
    )
    assert response.status_code == 409
    assert "Someone else changed this item" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PlanItem, item.id).status == ItemStatus.IN_PROGRESS


def test_overdue_items_are_marked_in_words(client, login, world) -> None:  # noqa: ANN001
    item = _housing(_started(world))
    item.due_on = local_today() - timedelta(days=2)
    db.session.commit()
    login(world.counselor)
    page = client.get(_plan_url(world)).get_data(as_text=True)
    assert page.count("Overdue:") == 1


def test_adding_an_item(client, login, world) -> None:  # noqa: ANN001
    plan = _started(world)
    login(world.counselor)
    response = client.post(
        f"/plans/{plan.id}/items", data={"title": "Reading glasses", "owner": "person"}
    )
    assert response.status_code == 303
    page = client.get(_plan_url(world)).get_data(as_text=True)
    assert "Reading glasses" in page
    assert "0 of 7 essential items arranged" in page


def test_adding_an_item_without_a_title_keeps_the_input(client, login, world) -> None:  # noqa: ANN001
    plan = _started(world)
    login(world.counselor)
    response = client.post(
        f"/plans/{plan.id}/items", data={"title": "  ", "notes": "Ask the family first"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="title-err"' in page
    assert "Ask the family first" in page
    assert db.session.scalar(select(func.count()).select_from(PlanItem)) == 10


@pytest.mark.parametrize("who", ["provider", "analyst", "outsider"])
def test_people_off_the_team_are_refused_everywhere(client, login, world, who) -> None:  # noqa: ANN001
    plan = _started(world)
    item = _housing(plan)
    login(getattr(world, who))
    assert client.get(_plan_url(world)).status_code == 403
    assert client.post(f"{_plan_url(world)}/start").status_code == 403
    update = client.post(f"/plans/items/{item.id}", data=_item_data(item, status="arranged"))
    assert update.status_code == 403
    assert client.post(f"/plans/{plan.id}/items", data={"title": "X"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(PlanItem, item.id).status == ItemStatus.TO_DO
    assert db.session.scalar(select(func.count()).select_from(PlanItem)) == 10


def test_an_admin_may_open_the_plan_and_unknown_ids_are_404(client, login, world) -> None:  # noqa: ANN001
    _started(world)
    login(world.admin)
    assert client.get(_plan_url(world)).status_code == 200
    missing = str(uuid.uuid4())
    assert client.get(f"/referrals/clients/{missing}/plan").status_code == 404
    assert client.post(f"/plans/items/{missing}", data={}).status_code == 404
    assert client.post(f"/plans/{missing}/items", data={}).status_code == 404


def test_days_to_release_and_overdue_use_the_local_calendar(
    client, login, world, time_machine
) -> None:  # noqa: ANN001,E501
    """At 8 pm in Hartford the UTC date is already tomorrow; the plan counts Hartford's days."""
    from datetime import UTC, date, datetime

    time_machine.move_to(datetime(2026, 12, 6, 1, 0, tzinfo=UTC), tick=False)  # Dec 5, 8 pm
    world.client.projected_release_date = None  # no default due dates
    db.session.commit()
    item = _housing(_started(world))
    item.due_on = date(2026, 12, 5)  # due today in Hartford: not overdue yet
    world.client.projected_release_date = date(2026, 12, 8)
    db.session.commit()
    login(world.counselor)
    page = client.get(_plan_url(world)).get_data(as_text=True)
    assert "3 days to release" in page
    assert "Overdue:" not in page
