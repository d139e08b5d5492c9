"""`flask seed demo` gives the demo counselor a caseload of release plans in every phase."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.clock import local_today
from app.plans.models import PlanItem, ReleasePlan
from app.plans.services import days_to_release
from app.plans.vocabulary import ItemStatus, Juncture, PlanPhase
from app.public.models import DischargeCard


def _seed(app) -> None:  # noqa: ANN001
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output


def test_demo_caseload_covers_every_phase_status_and_release_distance(app, db) -> None:  # noqa: ANN001
    _seed(app)
    counselor = db.session.scalar(select(User).where(User.email == "counselor@example.org"))
    plans = db.session.scalars(select(ReleasePlan)).all()
    assert all(p.coordinator_id == counselor.id for p in plans)
    assert {p.phase for p in plans} == set(PlanPhase)
    statuses = set(db.session.scalars(select(PlanItem.status)))
    assert statuses == set(ItemStatus)
    today = local_today()
    days = {days_to_release(p.client, today) for p in plans}
    assert {3, 20, 60} <= days
    released_today = [p for p in plans if p.client.released_on == today]
    assert len(released_today) == 1
    assert [v.juncture for v in released_today[0].versions][-1] == Juncture.RETURN_TO_COMMUNITY
    cards = db.session.scalars(
        select(DischargeCard).where(DischargeCard.client_id == released_today[0].client_id)
    ).all()
    assert len(cards) == 1 and cards[0].entries  # the card built from the plan at release
    assert any(i.referral_id for p in plans for i in p.items)  # items served by referrals

    _seed(app)  # idempotent
    assert len(db.session.scalars(select(ReleasePlan)).all()) == len(plans)
