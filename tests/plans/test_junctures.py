"""Junctures keep dated, numbered versions of the plan that say what changed and never change."""

from __future__ import annotations

import pytest

from app.domain_errors import NotPermitted
from app.extensions import db
from app.plans import services
from app.plans.junctures import record_juncture
from app.plans.vocabulary import ItemKind, Juncture


def _plan(world):  # noqa: ANN001,ANN202
    plan = services.start_plan(world.client, world.counselor)
    db.session.commit()
    return plan


def test_each_review_is_numbered_and_says_what_changed(world) -> None:  # noqa: ANN001
    plan = _plan(world)
    first = record_juncture(plan, Juncture.INTAKE, world.counselor, note="Met at intake")
    housing = next(i for i in plan.items if i.kind == ItemKind.HOUSING)
    services.update_item(
        housing, world.counselor, status="arranged", due_on=housing.due_on, expected_version=1
    )
    second = record_juncture(plan, "before_release", world.counselor)
    db.session.commit()
    assert (first.number, second.number) == (1, 2)
    assert first.changes == [f"First review: {len(plan.items)} items on the checklist."]
    assert second.changes == ["Housing: to do → arranged."]
    assert [v.juncture for v in plan.versions] == [Juncture.INTAKE, Juncture.BEFORE_RELEASE]
    assert first.items[0]["status"] == "to_do"  # the copy kept what it saw


def test_a_version_cannot_be_rewritten(world) -> None:  # noqa: ANN001
    version = record_juncture(_plan(world), Juncture.INTAKE, world.counselor)
    db.session.commit()
    version.note = "rewritten"
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()


def test_only_the_team_reviews(world) -> None:  # noqa: ANN001
    plan = _plan(world)
    with pytest.raises(NotPermitted):
        record_juncture(plan, Juncture.INTAKE, world.outsider)


@pytest.mark.parametrize(
    "statement", ["UPDATE plan_version SET note = 'rewritten'", "DELETE FROM plan_version"]
)
def test_the_database_itself_refuses_to_rewrite_a_version(world, statement: str) -> None:  # noqa: ANN001
    """Raw SQL past the ORM, on SQLite and (with TEST_DATABASE_URL) PostgreSQL: refused."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    version = record_juncture(_plan(world), Juncture.INTAKE, world.counselor, note="kept")
    db.session.commit()
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement))
    db.session.expire_all()
    assert db.session.get(type(version), version.id).note == "kept"
