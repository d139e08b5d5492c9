"""`flask seed demo`: a clearly labelled sample network that is safe to load on every start."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Facility, Role, User
from app.common import utcnow
from app.directory.models import (
    Address,
    EligibilityRule,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceCapacity,
    SiteVisit,
)
from app.directory.taxonomy import need_areas
from app.directory.vocabulary import CapacityStatus, Criterion, ServiceStatus, SiteVisitOverall
from app.permissions import can
from app.public.models import DischargeCard
from app.seeding.demo_towns import ct_towns
from tests import factories

FICTIONAL_PHONE = re.compile(r"^\((203|860|475|959)\) 555-01\d\d$")


def run_demo(app):  # noqa: ANN001,ANN201
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    return result


def count(db, model) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_prints_summary_and_every_demo_login(app, db):
    output = run_demo(app).output
    assert "64 created" in output
    for email, password in [
        ("admin@example.org", "demo-admin-2026"),
        ("counselor@example.org", "demo-counselor-2026"),
        ("provider@example.org", "demo-provider-2026"),
        ("provider2@example.org", "demo-provider2-2026"),
        ("analyst@example.org", "demo-analyst-2026"),
    ]:
        assert email in output and password in output


def test_every_organization_is_marked_sample_and_contacts_are_fictional(app, db):
    run_demo(app)
    orgs = db.session.scalars(select(Organization)).all()
    assert len(orgs) >= 60
    for org in orgs:
        assert org.is_sample
        assert org.name.endswith(" (Sample)")
        assert org.description.startswith("Sample data — invented for demonstration.")
        assert org.email.endswith("@example.org")
        assert org.website.startswith("https://example.org/")
        assert 1 <= len(org.services) <= 3
    numbers = db.session.scalars(select(Phone.number)).all()
    assert numbers and all(FICTIONAL_PHONE.match(n) for n in numbers), numbers
    towns = ct_towns()
    addresses = db.session.scalars(select(Address)).all()
    assert len({a.city for a in addresses}) >= 18
    for address in addresses:
        town = towns[address.city]
        assert address.region == town.county
        assert address.postal_code in {z for z, _, _ in town.zips}
        lat, lon = next((la, lo) for z, la, lo in town.zips if z == address.postal_code)
        location = address.location
        assert abs(location.latitude - lat) < 0.01 and abs(location.longitude - lon) < 0.01


def test_every_need_area_has_an_active_service(app, db):
    run_demo(app)
    areas = need_areas()
    assert len(areas) == 17
    for area in areas:
        active = [
            s
            for s in db.session.scalars(
                select(Service).where(Service.taxonomy_terms.contains(area))
            )
            if s.status == ServiceStatus.ACTIVE
        ]
        assert active, f"no active service for {area.code}"
        assert all(any(t.id.startswith("oe-") for t in s.taxonomy_terms) for s in active), (
            f"{area.code} service without an Open Eligibility term"
        )


def test_demo_users_have_their_roles_and_memberships(app, db):
    run_demo(app)
    users = {u.email: u for u in db.session.scalars(select(User))}
    assert users["admin@example.org"].role == Role.ADMIN
    assert users["analyst@example.org"].role == Role.ANALYST
    counselor = users["counselor@example.org"]
    assert counselor.role == Role.COUNSELOR
    assert counselor.facility.name == "Sample Correctional Institution — Hartford"
    assert counselor.facility.is_sample
    assert counselor.check_password("demo-counselor-2026")
    assert count(db, Facility) == 2
    provider, provider2 = users["provider@example.org"], users["provider2@example.org"]
    assert provider.role == provider2.role == Role.PROVIDER
    assert len(provider.organizations) == len(provider2.organizations) == 1
    assert provider.organization_ids.isdisjoint(provider2.organization_ids)
    housing_org = provider.organizations[0]
    assert any(
        area.code.startswith("housing") for s in housing_org.services for area in s.need_areas
    )


def test_provider_org_has_capacity_including_a_stale_figure(app, db):
    run_demo(app)
    provider = db.session.scalar(select(User).where(User.email == "provider@example.org"))
    capacities = [c for s in provider.organizations[0].services for c in s.capacities]
    assert len(capacities) >= 2
    now = utcnow()
    assert any(now - c.updated > timedelta(days=20) for c in capacities)
    assert any(now - c.updated < timedelta(days=3) for c in capacities)
    assert {c.unit.identifier for c in capacities} >= {"bed"}


def test_capacity_schedules_rules_and_visits_are_varied(app, db):
    run_demo(app)
    capacities = db.session.scalars(select(ServiceCapacity)).all()
    assert {c.status for c in capacities} == set(CapacityStatus)
    now = utcnow()
    stale = [c for c in capacities if now - c.updated > timedelta(days=14)]
    assert stale and all(timedelta(days=20) <= now - c.updated <= timedelta(days=61) for c in stale)
    waitlisted = [c for c in capacities if c.status == CapacityStatus.WAITLIST]
    assert all(c.waitlist_length and c.expected_wait for c in waitlisted)
    assert any(c.history for c in capacities)
    for capacity in capacities:
        needs = {a.code for a in capacity.service.need_areas}
        if any(code.startswith("housing.") for code in needs):
            assert capacity.unit.identifier == "bed"
        if "employment" in needs:
            assert capacity.unit.identifier == "job_opening"

    schedules = db.session.scalars(select(Schedule)).all()
    assert any(s.is_24_hours for s in schedules)
    assert any(s.closes_at < s.opens_at for s in schedules)  # runs past midnight
    assert any(s.byday in ("SA", "SU") for s in schedules)

    criteria = set(db.session.scalars(select(EligibilityRule.criterion)))
    assert criteria == set(Criterion)
    rules = db.session.scalars(select(EligibilityRule)).all()
    assert any(r.criterion == Criterion.AGE and (r.min_age, r.max_age) == (18, 24) for r in rules)
    genders = [r.values for r in rules if r.criterion == Criterion.GENDER]
    assert ["female"] in genders and ["male"] in genders
    assert any(r.answer == "unknown" for r in rules)

    services = db.session.scalars(select(Service)).all()
    assert any(s.last_verified_at is None for s in services)
    assert any(s.last_verified_at is not None for s in services)
    assert all("en" in {lang.code for lang in s.languages} for s in services)
    assert sum("es" in {lang.code for lang in s.languages} for s in services) >= 20
    assert all(s.required_documents for s in services)

    visits = db.session.scalars(select(SiteVisit)).all()
    counselor = db.session.scalar(select(User).where(User.email == "counselor@example.org"))
    assert {v.overall for v in visits} == set(SiteVisitOverall)
    assert all(v.visitor_id == counselor.id for v in visits)
    assert any(v.overall == SiteVisitOverall.DO_NOT_REFER and v.follow_up_needed for v in visits)


def test_second_run_changes_nothing_and_keeps_a_changed_password(app, db):
    run_demo(app)
    models = (Organization, Service, ServiceCapacity, EligibilityRule, SiteVisit, User, Facility)
    before = {m.__name__: count(db, m) for m in models}
    provider = db.session.scalar(select(User).where(User.email == "provider@example.org"))
    provider.set_password("my own new password")
    db.session.commit()

    output = run_demo(app).output
    assert "0 created" in output
    assert {m.__name__: count(db, m) for m in models} == before
    factories.reload(provider)
    assert provider.check_password("my own new password")
    assert not provider.check_password("demo-provider-2026")


def test_taxonomy_command_loads_need_areas(app, db):
    result = app.test_cli_runner().invoke(args=["seed", "taxonomy"])
    assert result.exit_code == 0, result.output
    assert "17 need areas" in result.output
    assert len(need_areas()) == 17


def test_demo_prints_the_sample_card_and_its_public_page_works(app, db, client):
    output = run_demo(app).output
    assert "Sample discharge card: code SAMP2-CARD2" in output
    page = client.get("/card/SAMP2-CARD2")
    assert page.status_code == 200
    cards = count(db, DischargeCard)  # the sample card, and the card of the person released today
    run_demo(app)  # a second run keeps the same cards
    assert count(db, DischargeCard) == cards == 2
    card = db.session.scalar(select(DischargeCard).where(DischargeCard.client_id.is_(None)))
    assert f"Sample card for administrators to manage: /cards/{card.id}" in output
    # No client owns it: counselors may not touch it, the demo admin manages it.
    admin = db.session.scalar(select(User).where(User.role == Role.ADMIN))
    counselor = db.session.scalar(select(User).where(User.role == Role.COUNSELOR))
    assert admin is not None and can(admin, "client.view", card.client)
    assert counselor is not None and not can(counselor, "client.view", card.client)


@pytest.mark.usefixtures("whoosh_search")  # the Whoosh index folder itself
def test_demo_builds_a_missing_search_index_so_the_first_search_is_ready(app, db):
    from app.search.index import index_exists

    assert not index_exists()
    output = run_demo(app).output
    assert "Search index built: 84 services." in output
    assert index_exists()
    assert "Search index built" not in run_demo(app).output  # an existing index is kept
