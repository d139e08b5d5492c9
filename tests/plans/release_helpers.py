"""A plan near release: housing arranged through an accepted referral, another accepted referral
not tied to an item, benefits/ID offices in and far from the destination town."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from app.directory.models import NEED_AREA_TAXONOMY, TaxonomyTerm
from app.extensions import db
from app.plans import services
from app.plans.vocabulary import ItemKind
from app.referrals.vocabulary import ReferralStatus
from tests import factories

INTAKE = datetime(2031, 5, 6, 18, 30, tzinfo=UTC)  # 2:30 pm in Hartford


def accept(referral, intake_at: datetime | None = None):  # noqa: ANN001,ANN201
    """The provider's answer, as its end state (the workflow is the referral team's)."""
    referral.status = ReferralStatus.ACCEPTED
    referral.intake_at = intake_at
    db.session.commit()
    return referral


def benefits_office(name: str, town: str):  # noqa: ANN201
    """An active service in the "entitlements" need area (benefits and ID documents)."""
    term = db.session.get(TaxonomyTerm, "need-entitlements")
    if term is None:
        term = TaxonomyTerm(
            id="need-entitlements",
            code="entitlements",
            name="Benefits and ID",
            taxonomy=NEED_AREA_TAXONOMY,
        )
        db.session.add(term)
    org = factories.make_organization(name=f"{name} Org")
    service = factories.make_service(
        org, location=factories.make_location(org, town=town), name=name
    )
    service.taxonomy_terms = [term]
    db.session.commit()
    return service


def near_release(world):  # noqa: ANN001,ANN201
    """The plan, its arranged housing referral, the other accepted referral and the offices."""
    plan = services.start_plan(world.client, world.counselor)
    housing_referral = accept(
        factories.make_referral(world.client, world.service, world.counselor), INTAKE
    )
    housing = next(i for i in plan.items if i.kind == ItemKind.HOUSING)
    services.update_item(housing, world.counselor, status="arranged", expected_version=1)
    housing.referral_id = housing_referral.id
    jobs_org = factories.make_organization(name="Jobs Org")
    jobs = factories.make_service(
        jobs_org, location=factories.make_location(jobs_org), name="Job Readiness Program"
    )
    # an earlier intake than the housing one: the card still lists the arranged item first
    jobs_referral = accept(
        factories.make_referral(world.client, jobs, world.counselor), INTAKE - timedelta(days=2)
    )
    db.session.commit()
    return SimpleNamespace(
        plan=plan,
        housing=housing,
        housing_referral=housing_referral,
        jobs_referral=jobs_referral,
        benefits=benefits_office("Hartford ID and Benefits Office", "Hartford"),
        far_benefits=benefits_office("Faraway Benefits Office", "Norwich"),
    )
