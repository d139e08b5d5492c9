"""The plan's rules: the default checklist, one plan per person, item updates and added items."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.clock import local_today
from app.domain_errors import Conflict, FieldErrors, NotPermitted
from app.extensions import db
from app.plans import services
from app.plans.vocabulary import (
    DUE_DAYS_BEFORE_RELEASE,
    ESSENTIAL_KINDS,
    ItemKind,
    ItemStatus,
    PlanPhase,
)


def _start(world):  # noqa: ANN001,ANN202
    plan = services.start_plan(world.client, world.counselor)
    db.session.commit()
    return plan


def _item(plan, kind: ItemKind):  # noqa: ANN001,ANN202
    return next(i for i in plan.items if i.kind == kind)


# --- starting a plan ---------------------------------------------------------------------------


def test_start_prefills_every_kind_but_other_and_registration(world) -> None:  # noqa: ANN001
    plan = _start(world)
    kinds = [i.kind for i in plan.items]
    assert ItemKind.OTHER not in kinds
    assert ItemKind.REGISTRATION not in kinds
    assert set(kinds) == set(ItemKind) - {ItemKind.OTHER, ItemKind.REGISTRATION}
    assert all(i.status == ItemStatus.TO_DO for i in plan.items)
    assert _item(plan, ItemKind.HOUSING).title == "Housing"
    assert plan.phase == PlanPhase.IN_FACILITY
    assert plan.coordinator_id == world.counselor.id
    assert plan.started_by_id == world.counselor.id


def test_registration_item_only_when_the_profile_says_on_the_registry(world) -> None:  # noqa: ANN001
    world.client.eligibility = {"on_registry": True}
    db.session.commit()
    plan = _start(world)
    assert ItemKind.REGISTRATION in [i.kind for i in plan.items]


def test_registry_answer_no_gives_no_registration_item(world) -> None:  # noqa: ANN001
    world.client.eligibility = {"on_registry": False}
    db.session.commit()
    plan = _start(world)
    assert ItemKind.REGISTRATION not in [i.kind for i in plan.items]


def test_due_dates_count_back_from_the_projected_release_by_the_table(world) -> None:  # noqa: ANN001
    release = world.client.projected_release_date
    plan = _start(world)
    assert _item(plan, ItemKind.HOUSING).due_on == release - timedelta(days=30)
    assert _item(plan, ItemKind.ID_DOCUMENTS).due_on == release - timedelta(days=30)
    assert _item(plan, ItemKind.EMPLOYMENT).due_on == release - timedelta(days=14)
    assert _item(plan, ItemKind.CLOTHING).due_on == release - timedelta(days=7)
    for item in plan.items:
        assert item.due_on == release - timedelta(days=DUE_DAYS_BEFORE_RELEASE[item.kind])


def test_no_projected_release_date_means_no_due_dates(world) -> None:  # noqa: ANN001
    world.client.projected_release_date = None
    db.session.commit()
    plan = _start(world)
    assert plan.items and all(i.due_on is None for i in plan.items)


def test_starting_twice_is_a_409_conflict(world) -> None:  # noqa: ANN001
    _start(world)
    with pytest.raises(Conflict) as refused:
        services.start_plan(world.client, world.counselor)
    assert refused.value.status == 409


def test_only_the_care_team_may_start_a_plan(world) -> None:  # noqa: ANN001
    for actor in (world.outsider, world.provider, world.analyst):
        with pytest.raises(NotPermitted):
            services.start_plan(world.client, actor)
    assert services.plan_for(world.client) is None


def test_start_is_audited_with_codes_only(world) -> None:  # noqa: ANN001
    plan = _start(world)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "plan.start"))
    assert entry.object_id == plan.id
    assert entry.client_id == world.client.id
    assert entry.actor_id == world.counselor.id
    assert "housing" in entry.details["items"]


# --- updating an item --------------------------------------------------------------------------


def test_update_sets_every_field_and_bumps_the_version(world) -> None:  # noqa: ANN001
    item = _item(_start(world), ItemKind.HOUSING)
    due = local_today() + timedelta(days=10)
    services.update_item(
        item,
        world.counselor,
        status=ItemStatus.IN_PROGRESS,
        owner="provider",
        due_on=due,
        notes="Called the house",
        expected_version=1,
    )
    db.session.commit()
    assert (item.status, item.owner, item.due_on, item.notes) == (
        ItemStatus.IN_PROGRESS,
        "provider",
        due,
        "Called the house",
    )
    assert item.version == 2
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "plan.item.update"))
    assert set(entry.details["fields"]) == {"status", "owner", "due_on", "notes"}
    assert "Called the house" not in str(entry.details)


@pytest.mark.parametrize("status", [ItemStatus.NOT_NEEDED, ItemStatus.COULD_NOT_ARRANGE])
def test_a_reason_is_required_for_not_needed_and_could_not_arrange(world, status) -> None:  # noqa: ANN001
    item = _item(_start(world), ItemKind.HOUSING)
    with pytest.raises(FieldErrors) as refused:
        services.update_item(item, world.counselor, status=status, reason="  ", expected_version=1)
    assert refused.value.status == 422
    assert "reason" in refused.value.problems
    db.session.rollback()
    services.update_item(
        item, world.counselor, status=status, reason="Family takes him in", expected_version=1
    )
    assert item.reason == "Family takes him in"


def test_a_stale_version_is_a_409_and_changes_nothing(world) -> None:  # noqa: ANN001
    item = _item(_start(world), ItemKind.HOUSING)
    services.update_item(item, world.counselor, status="in_progress", expected_version=1)
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        services.update_item(item, world.counselor, status="arranged", expected_version=1)
    assert refused.value.status == 409
    db.session.rollback()
    assert item.status == ItemStatus.IN_PROGRESS


def test_an_implausible_due_date_is_a_422(world) -> None:  # noqa: ANN001
    item = _item(_start(world), ItemKind.HOUSING)
    with pytest.raises(FieldErrors) as refused:
        services.update_item(
            item, world.counselor, status="to_do", due_on=date(9999, 12, 31), expected_version=1
        )
    assert refused.value.status == 422
    assert "due_on" in refused.value.problems


def test_the_owner_must_be_on_the_team_or_the_person_or_the_provider(world) -> None:  # noqa: ANN001
    item = _item(_start(world), ItemKind.HOUSING)
    with pytest.raises(FieldErrors) as refused:
        services.update_item(
            item, world.counselor, status="to_do", owner=world.outsider.id, expected_version=1
        )
    assert "owner" in refused.value.problems
    db.session.rollback()
    services.update_item(
        item, world.counselor, status="to_do", owner=world.counselor.id, expected_version=1
    )
    assert item.owner == world.counselor.id


def test_someone_off_the_team_may_not_update_an_item(world) -> None:  # noqa: ANN001
    item = _item(_start(world), ItemKind.HOUSING)
    with pytest.raises(NotPermitted):
        services.update_item(item, world.outsider, status="arranged", expected_version=1)


def test_a_reason_is_dropped_when_the_status_no_longer_needs_one(world) -> None:  # noqa: ANN001
    item = _item(_start(world), ItemKind.HOUSING)
    services.update_item(
        item, world.counselor, status="not_needed", reason="Lives with sister", expected_version=1
    )
    db.session.commit()
    services.update_item(
        item, world.counselor, status="to_do", reason="Lives with sister", expected_version=2
    )
    assert item.reason is None


# --- added items, readiness, overdue -----------------------------------------------------------


def test_add_item_is_an_other_item_at_the_end(world) -> None:  # noqa: ANN001
    plan = _start(world)
    item = services.add_item(plan, world.counselor, " Glasses from the eye clinic ", owner="person")
    db.session.commit()
    assert (item.kind, item.title, item.owner) == (
        ItemKind.OTHER,
        "Glasses from the eye clinic",
        "person",
    )
    assert plan.items[-1] is item
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "plan.item.add"))


def test_add_item_needs_a_title(world) -> None:  # noqa: ANN001
    plan = _start(world)
    with pytest.raises(FieldErrors) as refused:
        services.add_item(plan, world.counselor, "   ")
    assert refused.value.status == 422 and "title" in refused.value.problems


def test_readiness_counts_arranged_of_the_essential_items_still_needed(world) -> None:  # noqa: ANN001
    plan = _start(world)
    essential = len([i for i in plan.items if i.kind in ESSENTIAL_KINDS])
    housing, funds = _item(plan, ItemKind.HOUSING), _item(plan, ItemKind.DISCHARGE_FUNDS)
    family = _item(plan, ItemKind.FAMILY)  # helps, but does not count toward readiness
    services.update_item(housing, world.counselor, status="arranged", expected_version=1)
    services.update_item(family, world.counselor, status="arranged", expected_version=1)
    services.update_item(
        funds, world.counselor, status="not_needed", reason="Has savings", expected_version=1
    )
    assert services.readiness(plan) == (1, essential - 1)


def test_arranging_an_item_stamps_when_and_undoing_clears_it(world) -> None:  # noqa: ANN001
    housing = _item(_start(world), ItemKind.HOUSING)
    services.update_item(housing, world.counselor, status="arranged", expected_version=1)
    assert housing.arranged_at is not None
    services.update_item(housing, world.counselor, status="in_progress", expected_version=2)
    assert housing.arranged_at is None


def test_an_open_item_past_its_due_date_is_overdue(world) -> None:  # noqa: ANN001
    item = _item(_start(world), ItemKind.HOUSING)
    today = local_today()
    item.due_on = today - timedelta(days=1)
    assert services.is_overdue(item, today)
    item.status = ItemStatus.ARRANGED
    assert not services.is_overdue(item, today)
    item.status, item.due_on = ItemStatus.TO_DO, today
    assert not services.is_overdue(item, today)


def test_days_to_release_counts_local_calendar_days(world) -> None:  # noqa: ANN001
    today = local_today()
    world.client.projected_release_date = today + timedelta(days=3)
    assert services.days_to_release(world.client, today) == 3
    world.client.released_on = today
    assert services.days_to_release(world.client, today) is None


def test_the_coordinator_is_the_primary_coordinator_not_the_starter(world) -> None:  # noqa: ANN001
    from app.referrals.services import add_team_member

    add_team_member(world.client, world.outsider, "Parole officer", world.counselor)
    db.session.commit()
    plan = services.start_plan(world.client, world.outsider)
    assert plan.coordinator_id == world.counselor.id
    assert plan.started_by_id == world.outsider.id


def test_a_lost_race_at_flush_is_a_409_not_a_crash(world) -> None:  # noqa: ANN001
    """Both requests passed the version check; the other one committed first."""
    from sqlalchemy import update

    from app.plans.models import PlanItem

    item = _item(_start(world), ItemKind.HOUSING)
    db.session.execute(
        update(PlanItem)
        .where(PlanItem.id == item.id)
        .values(version=PlanItem.version + 1)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(Conflict) as refused:
        services.update_item(item, world.counselor, status="arranged", expected_version=1)
    assert refused.value.status == 409
