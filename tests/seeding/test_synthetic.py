"""`flask seed synthetic`: exactly N invented services, the same ones for the same seed."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.directory.models import (
    EligibilityRule,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceCapacity,
)
from app.seeding.synthetic import SyntheticAlreadyPresent, generate_synthetic

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def services_in_order(db) -> list[tuple[str, str, str]]:  # noqa: ANN001
    rows = db.session.execute(
        select(Service.id, Service.name, Organization.name).join(Organization).order_by(Service.id)
    )
    return [tuple(r) for r in rows]


def clear_all(db) -> None:  # noqa: ANN001
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def test_creates_exactly_n_complete_sample_services(app, db):
    counts = generate_synthetic(300, seed=7, batch=100, now=NOW)
    db.session.commit()
    assert counts["service"] == 300
    assert db.session.scalar(select(func.count()).select_from(Service)) == 300
    orgs = db.session.scalars(select(Organization)).all()
    assert 75 <= len(orgs) <= 150  # about one per three services
    assert all(o.is_sample and o.name.endswith(" (Sample)") for o in orgs)
    assert all(o.description.startswith("Sample data — invented") for o in orgs)

    services = db.session.scalars(select(Service)).all()
    for service in services:
        assert len(service.capacities) == 1
        assert 2 <= len(service.eligibility_rules) <= 4
        assert len({r.criterion for r in service.eligibility_rules}) == len(
            service.eligibility_rules
        )
        assert service.schedules and service.languages and service.phones
        assert service.need_areas
        assert any(t.id.startswith("oe-") for t in service.taxonomy_terms)
        address = service.locations[0].address
        assert address.state_province == "CT" and address.region.endswith(" County")
    assert len({a.code for s in services for a in s.need_areas}) == 17
    numbers = db.session.scalars(select(Phone.number)).all()
    assert all(re.match(r"^\((203|860|475|959)\) 555-01\d\d$", n) for n in numbers)
    per_service = Counter(db.session.scalars(select(Schedule.service_id)))
    assert set(per_service) == {s.id for s in services}


def test_same_seed_gives_the_same_services_and_another_seed_does_not(app, db):
    generate_synthetic(300, seed=11, now=NOW)
    db.session.commit()
    first = services_in_order(db)
    first_rules = db.session.execute(
        select(
            EligibilityRule.service_id, EligibilityRule.criterion, EligibilityRule.answer
        ).order_by(EligibilityRule.id)
    ).all()
    clear_all(db)
    assert services_in_order(db) == []

    generate_synthetic(300, seed=11, batch=77, now=NOW)  # batch size must not matter
    db.session.commit()
    assert services_in_order(db) == first
    assert (
        db.session.execute(
            select(
                EligibilityRule.service_id, EligibilityRule.criterion, EligibilityRule.answer
            ).order_by(EligibilityRule.id)
        ).all()
        == first_rules
    )

    generate_synthetic(300, seed=12, now=NOW)
    db.session.commit()
    second_ids = {sid for sid, _, _ in services_in_order(db)} - {sid for sid, _, _ in first}
    assert len(second_ids) == 300


def test_second_run_with_same_seed_is_refused_and_adds_nothing(app, db):
    generate_synthetic(30, seed=5, now=NOW)
    db.session.commit()
    with pytest.raises(SyntheticAlreadyPresent, match="synthetic data with seed 5 already present"):
        generate_synthetic(60, seed=5, now=NOW)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Service)) == 30


def test_cli_generates_and_refuses_a_repeat(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed", "synthetic", "--services", "40", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "40 service," in result.output
    assert db.session.scalar(select(func.count()).select_from(ServiceCapacity)) == 40

    again = runner.invoke(args=["seed", "synthetic", "--services", "40", "--seed", "3"])
    assert again.exit_code == 1
    assert "synthetic data with seed 3 already present" in again.output
    assert db.session.scalar(select(func.count()).select_from(Service)) == 40
