"""The demo shows the conditions: a demo client with a curfew gets the warnings on the
referral form of an evening service, and a second run adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User
from app.conditions.models import SupervisionConditions
from app.directory.models import Schedule, Service
from app.referrals.models import Client
from app.referrals.sending import referral_warnings
from app.seeding.demo_build import demo_id


def test_demo_clients_have_conditions_that_warn(app, db) -> None:  # noqa: ANN001
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    rows = db.session.scalars(select(SupervisionConditions)).all()
    assert len(rows) == 2 and all(r.has_curfew for r in rows)
    marcus = db.session.get(Client, demo_id("client", "a"))
    evening = db.session.scalars(
        select(Service)
        .join(Schedule, Schedule.service_id == Service.id)
        .where(Schedule.opens_at >= rows[0].curfew_start.replace(hour=18))
    ).first()
    assert evening is not None
    messages = [w.message for w in referral_warnings(marcus, evening)]
    assert any("curfew" in m for m in messages), messages

    again = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert again.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(SupervisionConditions)) == 2
    assert db.session.scalar(select(func.count()).select_from(User)) >= 5


def test_demo_has_a_strictly_required_document(app, db) -> None:  # noqa: ANN001
    """Evergreen Key Rental Assistance strictly requires proof of income: a demo person without
    it is not eligible there (not just "needs documents")."""
    from app.directory.eligibility import Status, match
    from app.referrals.clients import client_profile

    assert app.test_cli_runner().invoke(args=["seed", "demo"]).exit_code == 0
    rental = db.session.scalars(
        select(Service).where(Service.name == "Evergreen Key Rental Assistance")
    ).one()
    [rule] = [r for r in rental.eligibility_rules if r.strict]
    assert rule.values == ["proof_of_income"]
    kevin = db.session.get(Client, demo_id("client", "g"))
    verdict = match(client_profile(kevin), rental)
    assert verdict.status == Status.NOT_ELIGIBLE
    assert any("proof of income" in message for _, message in verdict.reasons)
