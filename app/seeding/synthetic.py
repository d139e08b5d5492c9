"""`flask seed synthetic --services N [--seed S]`: invented services at scale, fast and repeatable.

Same N and seed give the same rows (names, ids, order): every choice and every id comes from one
random generator seeded with S. Timestamps are relative to `now`, so only they move between runs
on different days. Rows go in with Core bulk INSERTs in batches (no ORM object per row), which
is what makes 50,000 services take seconds rather than minutes.

A second run with a seed already loaded is refused (SyntheticAlreadyPresent: "synthetic data
with seed S already present"), whatever N was: the first organization of a seed is always the
same row, so its presence marks the seed. Use another --seed to add more. Only flushes; the
command commits once.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import datetime, timedelta

from sqlalchemy import JSON, Table, select

from app.common import utcnow
from app.directory.models import (
    Address,
    EligibilityRule,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    Unit,
    service_taxonomy_term,
)
from app.directory.vocabulary import Answer, CapacityStatus, Criterion, Document
from app.extensions import db
from app.seeding.demo_build import SAMPLE_NOTE, SAMPLE_SUFFIX, SIZES, WAITS, slugify
from app.seeding.demo_profiles import PROFILES, SCHEDULES, RuleSpec, rule
from app.seeding.demo_towns import TOWNS, fictional_phone, invent_place
from app.seeding.taxonomy import load_taxonomies, need_area_term_id, oe_term_id

# fmt: off
FIRST = ("Maple", "Cedar", "Granite", "River", "Harbor", "Summit", "Willow", "Birch", "Stone",
         "Lantern", "Meadow", "Oak", "Bright", "North", "Clear", "Hill", "Elm", "Pine", "Aspen",
         "Bay", "Copper", "Fern", "Golden", "Iron", "Juniper", "Laurel", "Mill", "Orchard")
SECOND = ("Ridge", "Crossing", "Brook", "Field", "Gate", "Hollow", "Point", "View", "Grove",
          "Bend", "Landing", "Path", "Square", "Haven", "Springs", "Valley", "Commons", "Row")
ORG_KINDS = ("Community Services", "Reentry Network", "Family Center", "Health Partners",
             "Housing Collaborative", "Works", "Outreach", "Recovery Programs", "Alliance",
             "Resource Center")
# fmt: on
SERVICE_NAMES: dict[str, tuple[str, ...]] = {
    "housing": ("Housing Search Help", "Housing Navigation"),
    "housing.emergency_shelter": ("Emergency Shelter", "Overnight Beds"),
    "housing.transitional": ("Halfway House", "Transitional Residence"),
    "housing.recovery": ("Sober House", "Recovery Residence"),
    "housing.permanent": ("Supportive Apartments", "Rental Assistance"),
    "substance_use": ("Outpatient Treatment", "MAT Clinic", "Recovery Groups"),
    "mental_health": ("Counseling", "Psychiatric Clinic"),
    "healthcare": ("Primary Care Clinic", "Dental Clinic"),
    "employment": ("Job Placement", "Job Readiness Workshop"),
    "entitlements": ("ID Document Help", "Benefits Sign-up"),
    "mentoring": ("Mentoring Program", "Peer Support Group"),
    "family": ("Parenting Class", "Family Reunification"),
    "transportation": ("Bus Passes", "Ride Program"),
    "education": ("GED Classes", "Adult Literacy"),
    "legal": ("Record Clearing Clinic", "Legal Aid Intake"),
    "food": ("Food Pantry", "Community Meals"),
    "clothing": ("Clothing Closet", "Work Clothes"),
}
NEEDS = tuple(SERVICE_NAMES)
# Added to every need area's pool so each service can get 2–4 distinct criteria.
GENERIC_RULES = (
    rule(Criterion.SEX_OFFENSE_REGISTRY, Answer.NO),
    rule(Criterion.SEX_OFFENSE_REGISTRY, Answer.CASE_BY_CASE),
    rule(Criterion.VIOLENT_CONVICTION, Answer.CASE_BY_CASE),
    rule(Criterion.ARSON_CONVICTION, Answer.NO),
    rule(Criterion.MEDICAID_ACCEPTED, Answer.YES),
    rule(Criterion.DOCUMENTS, Answer.YES, Document.STATE_ID),
    rule(Criterion.RESIDENCE, Answer.YES, "{county}"),
    rule(Criterion.VETERANS_ONLY, Answer.NO),
)
STATUSES = (
    CapacityStatus.HAS_CAPACITY,
    CapacityStatus.HAS_CAPACITY,
    CapacityStatus.NO_CAPACITY,
    CapacityStatus.WAITLIST,
    CapacityStatus.ASSESSMENT_REQUIRED,
)
OTHER_LANGUAGES = (("pt", "Portuguese"), ("ht", "Haitian Creole"), ("pl", "Polish"),
                   ("ar", "Arabic"), ("vi", "Vietnamese"), ("zh", "Chinese"))  # fmt: skip

# Insert order respects foreign keys.
TABLES: tuple[Table, ...] = tuple(
    model if isinstance(model, Table) else model.__table__
    for model in (
        Organization,
        Location,
        Address,
        Service,
        ServiceAtLocation,
        Phone,
        Schedule,
        service_taxonomy_term,
        ServiceCapacity,
        EligibilityRule,
        Language,
    )
)


class SyntheticAlreadyPresent(Exception):
    """This seed was loaded before; loading it again would only duplicate or collide."""


class _Generator:
    """Builds rows into per-table buffers and flushes them with bulk INSERTs."""

    def __init__(self, seed: int, now: datetime, units: dict[str, str]) -> None:
        self.seed = seed
        self.rng = random.Random(f"partners-synthetic:{seed}")
        self.now = now
        self.units = units
        self.rows: dict[str, list[dict]] = {t.name: [] for t in TABLES}
        self.counts: dict[str, int] = {t.name: 0 for t in TABLES}

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def organization(self, org_id: str, n_services: int) -> None:
        rng, now = self.rng, self.now
        location_id = self.uid()
        stem = f"{rng.choice(FIRST)} {rng.choice(SECOND)}"
        name = f"{stem} {rng.choice(ORG_KINDS)}"
        town = rng.choice(TOWNS)
        place = invent_place(town, rng)
        self.rows["organization"].append({
            "id": org_id, "name": name + SAMPLE_SUFFIX, "is_sample": True,
            "description": f"{SAMPLE_NOTE} Synthetic scale-test data (seed {self.seed}).",
            "email": f"{slugify(stem)}@example.org", "website": f"https://example.org/{slugify(name)}",
            "created_at": now, "updated_at": now,
        })  # fmt: skip
        self.rows["location"].append({
            "id": location_id, "organization_id": org_id, "location_type": "physical",
            "name": f"{name} — {town}", "latitude": place.latitude, "longitude": place.longitude,
        })  # fmt: skip
        self.rows["address"].append({
            "id": self.uid(), "location_id": location_id, "address_1": place.street, "city": town,
            "region": place.county, "state_province": "CT", "postal_code": place.postal_code,
            "country": "US", "address_type": "physical",
        })  # fmt: skip
        for _ in range(n_services):
            self.service(org_id, location_id, stem, place.town, place.county)

    def service(self, org_id: str, location_id: str, stem: str, town: str, county: str) -> None:
        rng, now = self.rng, self.now
        service_id = self.uid()
        need = rng.choice(NEEDS)
        profile = PROFILES[need]
        verified = None if rng.random() < 0.25 else now - timedelta(days=rng.randint(0, 400))
        self.rows["service"].append({
            "id": service_id, "organization_id": org_id, "status": "active",
            "name": f"{stem} {rng.choice(SERVICE_NAMES[need])}", "description": profile.blurb,
            "application_process": profile.process, "fees": "Free",
            "last_verified_at": verified, "created_at": now, "updated_at": now,
        })  # fmt: skip
        self.rows["service_at_location"].append(
            {"id": self.uid(), "service_id": service_id, "location_id": location_id}
        )
        self.rows["phone"].append({
            "id": self.uid(), "service_id": service_id, "type": "voice",
            "number": fictional_phone(town, rng.randrange(200)),
        })  # fmt: skip
        for day, opens, closes in SCHEDULES[rng.choice(profile.hours)]:
            self.rows["schedule"].append({
                "id": self.uid(), "service_id": service_id, "freq": "WEEKLY", "byday": day,
                "opens_at": opens, "closes_at": closes,
            })  # fmt: skip
        terms = [need_area_term_id(need), oe_term_id(profile.oe)]
        if "." in need:
            terms.append(need_area_term_id(need.split(".")[0]))
        self.rows["service_taxonomy_term"].extend(
            {"service_id": service_id, "taxonomy_term_id": term} for term in terms
        )
        self.capacity(service_id, profile.unit or "appointment")
        self.rules(service_id, need, town, county)
        languages = [("en", "English")]
        if rng.random() < 0.5:
            languages.append(("es", "Spanish"))
        if rng.random() < 0.1:
            languages.append(rng.choice(OTHER_LANGUAGES))
        self.rows["language"].extend(
            {"id": self.uid(), "service_id": service_id, "code": code, "name": name}
            for code, name in languages
        )

    def capacity(self, service_id: str, unit: str) -> None:
        rng = self.rng
        low, high = SIZES[unit]
        maximum = rng.randint(low, high)
        status = rng.choice(STATUSES)
        has_room = status == CapacityStatus.HAS_CAPACITY
        waiting = status == CapacityStatus.WAITLIST
        self.rows["service_capacity"].append({
            "id": self.uid(), "service_id": service_id, "unit_id": self.units[unit],
            "maximum": maximum,
            "available": rng.randint(1, max(1, maximum // 2)) if has_room else 0,
            "status": status.value, "waitlist_length": rng.randint(1, 30) if waiting else None,
            "expected_wait": rng.choice(WAITS) if waiting else None,
            "updated": self.now - timedelta(days=rng.uniform(0, 60)), "version": 1,
        })  # fmt: skip

    def rules(self, service_id: str, need: str, town: str, county: str) -> None:
        rng = self.rng
        wanted = rng.randint(2, 4)
        candidates: list[RuleSpec] = [*PROFILES[need].rules, *GENERIC_RULES]
        rng.shuffle(candidates)
        taken: set[Criterion] = set()
        for spec in candidates:
            if spec.criterion in taken:
                continue
            taken.add(spec.criterion)
            self.rows["eligibility_rule"].append({
                "id": self.uid(), "service_id": service_id, "criterion": spec.criterion.value,
                "answer": spec.answer.value, "min_age": spec.min_age, "max_age": spec.max_age,
                "values": [v.replace("{town}", town).replace("{county}", county)
                           for v in spec.values],
                "note": None,
            })  # fmt: skip
            if len(taken) == wanted:
                break

    def flush(self) -> None:
        for table in TABLES:
            rows = self.rows[table.name]
            if rows:
                bulk_insert(table, rows)
                self.counts[table.name] += len(rows)
                self.rows[table.name] = []


def bulk_insert(table: Table, rows: list[dict]) -> None:
    """executemany everywhere; COPY on PostgreSQL, where it is several times faster."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(table.insert(), rows)
        return
    # COPY skips SQLAlchemy's type processing: our datetimes are already aware UTC, enums are
    # passed as their values, and JSON columns are serialized here.
    columns = list(rows[0])
    as_json = {c for c in columns if isinstance(table.c[c].type, JSON)}
    names = ", ".join(f'"{c}"' for c in columns)
    from app.content_version import wrote_table

    wrote_table(connection, table.name)  # COPY goes past SQLAlchemy's events
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    with cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c in as_json else row[c] for c in columns])


def generate_synthetic(
    n: int, seed: int = 1, batch: int = 5000, now: datetime | None = None
) -> dict[str, int]:
    """Insert n invented services (about one organization per three); return rows per table."""
    if n < 1:
        raise ValueError("n must be at least 1")
    load_taxonomies()
    units = {u.identifier: u.id for u in db.session.scalars(select(Unit)) if u.identifier}
    gen = _Generator(seed, now or utcnow(), units)
    first_org = str(uuid.UUID(int=random.Random(f"partners-synthetic:{seed}").getrandbits(128),
                              version=4))  # fmt: skip
    if db.session.get(Organization, first_org) is not None:
        raise SyntheticAlreadyPresent(f"synthetic data with seed {seed} already present")
    remaining = n
    while remaining:
        org_id = gen.uid()  # the first one marks the seed (see above)
        size = min(remaining, gen.rng.choice((2, 3, 3, 4)))
        gen.organization(org_id, size)
        remaining -= size
        if len(gen.rows["service"]) >= batch:
            gen.flush()
    gen.flush()
    return gen.counts
