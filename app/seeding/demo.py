"""`flask seed demo`: sample providers, facilities, users and site visits. Idempotent.

`make run` calls it on every start, so a second run must change nothing: organizations,
facilities, site visits and users are created only when missing (found by their fixed uuid5 id,
facility name or user e-mail) and never updated. A demo user whose password was changed keeps
it. Editing a template in demo_data.py therefore reaches only databases that lack that
organization; delete the sample organization (or the database) to reload it.

load_demo() only flushes; the command commits once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.accounts.models import Facility, Role, User
from app.clock import local_date
from app.common import utcnow
from app.directory.models import (
    EligibilityRule,
    Organization,
    Service,
    ServiceCapacity,
    SiteVisit,
    TaxonomyTerm,
    Unit,
)
from app.directory.vocabulary import Rating, SiteVisitOverall
from app.extensions import db
from app.seeding.demo_acceptance import load_demo_acceptance
from app.seeding.demo_build import Refs, build_organization, demo_id
from app.seeding.demo_conditions import load_demo_conditions
from app.seeding.demo_data import ORGANIZATIONS, PROVIDER2_ORG, PROVIDER_ORG, SITE_VISITS
from app.seeding.demo_plans import load_demo_plans
from app.seeding.demo_referrals import load_demo_referrals
from app.seeding.demo_residency import load_demo_residency
from app.seeding.taxonomy import load_taxonomies

HARTFORD_FACILITY = "Sample Correctional Institution — Hartford"
FACILITIES = (
    (HARTFORD_FACILITY, "Hartford", "prison"),
    ("Sample Community Release Center — New Haven", "New Haven", "community release center"),
)


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: Role
    password: str
    facility: str | None = None
    organization: str | None = None  # template name in demo_data.ORGANIZATIONS


DEMO_USERS = (
    DemoUser("admin@example.org", "Demo Administrator", Role.ADMIN, "demo-admin-2026"),  # noqa: S106
    DemoUser(
        "counselor@example.org",
        "Demo Counselor",
        Role.COUNSELOR,
        "demo-counselor-2026",  # noqa: S106
        facility=HARTFORD_FACILITY,
    ),
    DemoUser(
        "provider@example.org",
        "Demo Housing Provider",
        Role.PROVIDER,
        "demo-provider-2026",  # noqa: S106
        organization=PROVIDER_ORG,
    ),
    DemoUser(
        "provider2@example.org",
        "Demo Treatment Provider",
        Role.PROVIDER,
        "demo-provider2-2026",  # noqa: S106
        organization=PROVIDER2_ORG,
    ),
    DemoUser("analyst@example.org", "Demo Analyst", Role.ANALYST, "demo-analyst-2026"),  # noqa: S106
)


@dataclass
class DemoSummary:
    organizations_created: int = 0
    organizations_existing: int = 0
    users: list[tuple[DemoUser, bool]] = field(default_factory=list)  # (user, created now)
    counts: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [
            f"Sample organizations: {self.organizations_created} created, "
            f"{self.organizations_existing} already present.",
            "Totals: " + ", ".join(f"{n} {name}" for name, n in self.counts.items()) + ".",
            "Demo users (sample data only; never use these passwords for real accounts):",
        ]
        for user, created in self.users:
            note = "" if created else "  (already existed: password left as it was)"
            out.append(f"  {user.role.value:<10} {user.email:<24} {user.password}{note}")
        return out


def load_demo(now: datetime | None = None) -> DemoSummary:
    """Load taxonomies and every missing piece of demo data; flush, do not commit."""
    now = now or utcnow()
    summary = DemoSummary()
    load_taxonomies()
    refs = Refs(
        units={u.identifier: u for u in db.session.scalars(select(Unit)) if u.identifier},
        terms={t.id: t for t in db.session.scalars(select(TaxonomyTerm))},
    )
    facilities = _ensure_facilities()

    wanted = {demo_id("org", spec.name) for spec in ORGANIZATIONS}
    existing = set(db.session.scalars(select(Organization.id).where(Organization.id.in_(wanted))))
    for index, spec in enumerate(ORGANIZATIONS):
        if demo_id("org", spec.name) in existing:
            summary.organizations_existing += 1
            continue
        build_organization(index, spec, refs, now)
        summary.organizations_created += 1
    db.session.flush()

    summary.users = _ensure_users(facilities)
    db.session.flush()
    _ensure_site_visits(now)
    db.session.flush()
    load_demo_referrals(now)
    load_demo_plans(now)
    load_demo_acceptance(now)
    load_demo_residency()
    load_demo_conditions(now)
    summary.counts = _counts()
    return summary


def _ensure_facilities() -> dict[str, Facility]:
    facilities = {}
    for name, town, kind in FACILITIES:
        facility = db.session.scalar(select(Facility).where(Facility.name == name))
        if facility is None:
            facility = Facility(
                id=demo_id("facility", name), name=name, town=town, kind=kind, is_sample=True
            )
            db.session.add(facility)
        facilities[name] = facility
    return facilities


def _ensure_users(facilities: dict[str, Facility]) -> list[tuple[DemoUser, bool]]:
    """Create missing demo users; an existing account is left exactly as it is."""
    result = []
    for spec in DEMO_USERS:
        user = db.session.scalar(select(User).where(func.lower(User.email) == spec.email))
        if user is not None:
            result.append((spec, False))
            continue
        user = User(
            id=demo_id("user", spec.email),
            email=spec.email,
            name=spec.name,
            role=spec.role,
            facility=facilities[spec.facility] if spec.facility else None,
        )
        user.set_password(spec.password)
        if spec.organization:
            org = db.session.get(Organization, demo_id("org", spec.organization))
            user.organizations = [org] if org is not None else []
        db.session.add(user)
        result.append((spec, True))
    return result


def _ensure_site_visits(now: datetime) -> None:
    """The demo counselor's internal notes on a few houses (skipped if present)."""
    service_ids = {
        svc.name: demo_id("service", spec.name, svc.name)
        for spec in ORGANIZATIONS
        for svc in spec.services
    }
    counselor = db.session.scalar(select(User).where(User.email == "counselor@example.org"))
    for visit in SITE_VISITS:
        visit_id = demo_id("visit", visit["service"])
        service = db.session.get(Service, service_ids[visit["service"]])
        if service is None or db.session.get(SiteVisit, visit_id) is not None:
            continue
        db.session.add(
            SiteVisit(
                id=visit_id,
                service=service,
                location=service.locations[0] if service.locations else None,
                visited_on=local_date(now - timedelta(days=visit["days_ago"])),
                visitor=counselor,
                visitor_name=counselor.name if counselor else "Demo Counselor",
                safety=Rating(visit["safety"]),
                cleanliness=Rating(visit["cleanliness"]),
                staff_responsiveness=Rating(visit["staff"]),
                house_rules=visit.get("house_rules"),
                fees=visit.get("fees"),
                mat_policy_in_practice=visit.get("mat"),
                overall=SiteVisitOverall(visit["overall"]),
                notes=visit["notes"],
                follow_up_needed="follow_up" in visit,
                follow_up_note=visit.get("follow_up"),
                created_at=now,
            )
        )


def _counts() -> dict[str, int]:
    def count(model: type, *where: object) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    return {
        "sample organizations": count(Organization, Organization.is_sample.is_(True)),
        "services": count(Service),
        "capacity figures": count(ServiceCapacity),
        "eligibility rules": count(EligibilityRule),
        "site visits": count(SiteVisit),
        "facilities": count(Facility),
        "users": count(User),
    }
