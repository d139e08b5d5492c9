"""An item served by a referral follows it through every referral status; items set by hand,
and the team's own "not needed" / "could not arrange", stay as the team set them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.plans import services
from app.plans.follow import FOLLOWS
from app.plans.vocabulary import ItemKind, ItemStatus
from app.referrals.steps import transition
from app.referrals.vocabulary import ReferralStatus
from tests import factories

# The steps that bring a fresh (sent) referral to each status, with what each step needs.
PATHS: dict[str, list[tuple[str, str, dict]]] = {
    "accepted": [("accept", "provider", {})],
    "enrolled": [("accept", "provider", {}), ("enroll", "provider", {})],
    "completed": [
        ("accept", "provider", {}),
        ("enroll", "provider", {}),
        ("complete", "provider", {"outcome": "Moved in"}),
    ],
    "waitlisted": [("waitlist", "provider", {"reason_text": "Full until March"})],
    "declined": [("decline", "provider", {"reason_code": "no_capacity"})],
    "not_enrolled": [
        ("accept", "provider", {}),
        ("not_enrolled", "provider", {"reason_code": "no_show"}),
    ],
    "cancelled": [("cancel", "counselor", {"reason_text": "Found another place"})],
    "entered_in_error": [("entered_in_error", "counselor", {"reason_text": "Wrong person"})],
}

EXPECTED = {
    "accepted": ItemStatus.ARRANGED,
    "enrolled": ItemStatus.ARRANGED,
    "completed": ItemStatus.ARRANGED,
    "waitlisted": ItemStatus.IN_PROGRESS,
    "declined": ItemStatus.TO_DO,
    "not_enrolled": ItemStatus.TO_DO,
    "cancelled": ItemStatus.TO_DO,
    "entered_in_error": ItemStatus.TO_DO,
}


def _linked_housing(world, status: ItemStatus = ItemStatus.IN_PROGRESS):  # noqa: ANN001,ANN202
    """The housing item, linked to a new referral and put in progress (as "refer" does)."""
    plan = services.start_plan(world.client, world.counselor)
    referral = factories.make_referral(world.client, world.service, world.counselor)
    housing = next(i for i in plan.items if i.kind == ItemKind.HOUSING)
    housing.referral_id = referral.id
    housing.status = status
    if status.needs_reason:
        housing.reason = "Family will host"
    db.session.commit()
    return housing, referral


def _walk(world, referral, steps) -> None:  # noqa: ANN001
    for action, who, fields in steps:
        actor = world.provider if who == "provider" else world.counselor
        transition(referral, action, actor, expected_version=referral.version, **fields)
    db.session.commit()


def test_every_status_the_table_names_has_a_walk() -> None:
    assert {s.value for s in FOLLOWS} == set(PATHS) == set(EXPECTED)


@pytest.mark.parametrize("target", sorted(PATHS))
def test_the_item_follows_its_referral(world, target: str) -> None:  # noqa: ANN001
    housing, referral = _linked_housing(world)
    _walk(world, referral, PATHS[target])
    db.session.refresh(housing)
    assert referral.status == ReferralStatus(target)
    assert housing.status == EXPECTED[target]
    assert (housing.arranged_at is not None) == (EXPECTED[target] == ItemStatus.ARRANGED)
    assert housing.referral_id == referral.id  # the page still shows the referral and its reason
    assert housing.reason is None


def test_sent_and_opened_change_nothing(world) -> None:  # noqa: ANN001
    housing, referral = _linked_housing(world)
    version = housing.version
    _walk(world, referral, [("receive", "provider", {})])
    db.session.refresh(housing)
    assert (housing.status, housing.version) == (ItemStatus.IN_PROGRESS, version)


def test_accepting_stamps_arranged_at_once_and_bumps_the_version(world) -> None:  # noqa: ANN001
    housing, referral = _linked_housing(world)
    version = housing.version
    _walk(world, referral, [("accept", "provider", {})])
    db.session.refresh(housing)
    arranged_at = housing.arranged_at
    assert housing.version == version + 1  # a form opened before the answer is now stale
    assert housing.updated_by_id == world.provider.id
    _walk(world, referral, [("enroll", "provider", {})])
    db.session.refresh(housing)
    assert housing.arranged_at == arranged_at  # still arranged: the first date stands
    assert housing.version == version + 1


def test_a_waitlisted_referral_then_declined_goes_back_to_to_do(world) -> None:  # noqa: ANN001
    housing, referral = _linked_housing(world)
    _walk(world, referral, PATHS["waitlisted"])
    assert db.session.get(type(housing), housing.id).status == ItemStatus.IN_PROGRESS
    _walk(world, referral, [("decline", "provider", {"reason_code": "not_eligible"})])
    db.session.refresh(housing)
    assert housing.status == ItemStatus.TO_DO
    assert referral.reason_code == "not_eligible"


@pytest.mark.parametrize("status", [ItemStatus.NOT_NEEDED, ItemStatus.COULD_NOT_ARRANGE])
def test_the_teams_own_decision_stays(world, status: ItemStatus) -> None:  # noqa: ANN001
    housing, referral = _linked_housing(world, status)
    _walk(world, referral, PATHS["accepted"])
    db.session.refresh(housing)
    assert (housing.status, housing.reason) == (status, "Family will host")


def test_items_without_the_referral_stay_as_set_by_hand(world) -> None:  # noqa: ANN001
    housing, referral = _linked_housing(world)
    others = [i for i in housing.plan.items if i.id != housing.id]
    before = {i.id: (i.status, i.version) for i in others}
    _walk(world, referral, PATHS["accepted"])
    for item in others:
        db.session.refresh(item)
        assert (item.status, item.version) == before[item.id]


def test_the_follow_is_audited_with_codes_only(world) -> None:  # noqa: ANN001
    housing, referral = _linked_housing(world)
    _walk(world, referral, PATHS["declined"])
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "plan.item.follow")
    ).one()
    assert entry.object_id == housing.id
    assert entry.actor_id == world.provider.id
    assert entry.client_id == world.client.id
    assert entry.details == {
        "referral_id": referral.id,
        "referral_status": "declined",
        "from": "in_progress",
        "to": "to_do",
        "kind": "housing",
    }
