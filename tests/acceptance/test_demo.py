"""The demo shows acceptance figures to the demo counselor and has a person who agreed to texts."""

from __future__ import annotations

from sqlalchemy import select

from app.referrals.acceptance import (
    acceptance_boosts,
    acceptance_evidence,
    boost,
    person_flags,
)
from app.referrals.models import Client
from app.referrals.services import visible_clients_query
from app.seeding.demo_acceptance import TEXTS_CLIENT
from app.seeding.demo_build import demo_id
from app.seeding.demo_referrals import MEN_HALFWAY, OUTPATIENT
from app.sms.consent import active_consent
from app.sms.models import SmsMessage
from tests.referrals.test_demo_referrals import counts, run_demo, user


def test_demo_services_show_figures_and_a_person_agreed_to_texts(app, db) -> None:  # noqa: ANN001
    run_demo(app)
    first = counts(db)
    halfway = demo_id("service", *MEN_HALFWAY)
    outpatient = demo_id("service", *OUTPATIENT)

    found = acceptance_evidence([halfway, outpatient], ["on_registry", "violent_conviction"])

    [registry] = found[halfway]
    assert registry.flag == "on_registry" and (registry.accepted, registry.answered) == (6, 7)
    assert 1 <= registry.median_days <= 3.2
    [violent] = found[outpatient]
    assert violent.flag == "violent_conviction" and violent.answered >= 6
    # a demo person on the counselor's caseload has each answer, so both figures show
    maria = db.session.get(Client, demo_id("client", "h"))
    assert person_flags(maria) == ["violent_conviction"]
    assert acceptance_boosts(person_flags(maria))[outpatient] == boost(found[outpatient])
    counselor = user(db, "counselor@example.org")
    assert len(db.session.scalars(visible_clients_query(counselor)).all()) == 8  # not crowded
    kevin = db.session.get(Client, demo_id("client", TEXTS_CLIENT))
    assert active_consent(kevin) is not None
    assert db.session.scalars(select(SmsMessage)).all() == []  # nobody is texted by the demo

    run_demo(app)
    assert counts(db) == first
