"""Turn one demo organization template into ORM objects, deterministically.

Each organization draws from its own random generator seeded by its name, so skipping an
organization that already exists never shifts what the others get, and every run builds the
same data. Ids are uuid5 of a fixed namespace and the template names.
"""

from __future__ import annotations

import random
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.directory.models import (
    Address,
    CapacityHistory,
    EligibilityRule,
    Language,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    TaxonomyTerm,
    Unit,
)
from app.directory.vocabulary import CapacityStatus, ServiceStatus
from app.extensions import db
from app.public.models import ServiceTranslation
from app.seeding.demo_data import Org, Svc
from app.seeding.demo_profiles import PROFILES, SCHEDULES, RuleSpec
from app.seeding.demo_spanish import spanish_wording
from app.seeding.demo_towns import Place, fictional_phone, invent_place
from app.seeding.taxonomy import need_area_term_id, oe_term_id

NAMESPACE = uuid.UUID("5a3c1f0e-7b2d-4c59-9e1a-2d6f0b8c4e71")
SAMPLE_NOTE = "Sample data — invented for demonstration."
SAMPLE_SUFFIX = " (Sample)"

LANGUAGES = {
    "en": "English",
    "es": "Spanish",
    "pt": "Portuguese",
    "ht": "Haitian Creole",
    "pl": "Polish",
    "ar": "Arabic",
    "vi": "Vietnamese",
    "zh": "Chinese",
    "ase": "American Sign Language",
}
OTHER_LANGUAGES = ("pt", "ht", "pl", "ar", "vi", "zh", "ase")

# Capacity size ranges per unit: (smallest maximum, largest maximum).
SIZES = {"bed": (6, 40), "program_slot": (10, 30), "job_opening": (2, 12), "appointment": (5, 20)}
WAITS = ("about 1 week", "about 2 weeks", "3 to 4 weeks", "1 to 2 months", "about 3 months")


def demo_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(("demo", *parts))))


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@dataclass(frozen=True)
class Refs:
    """Reference rows the builder links to, loaded once: units and taxonomy terms by id."""

    units: dict[str, Unit]
    terms: dict[str, TaxonomyTerm]


def build_organization(index: int, spec: Org, refs: Refs, now: datetime) -> Organization:
    """The organization with its location, phone and services (added to the session)."""
    rng = random.Random(f"partners-demo:{spec.name}")
    slug = slugify(spec.name)
    place = invent_place(spec.town, rng)
    org = Organization(
        id=demo_id("org", spec.name),
        name=spec.name + SAMPLE_SUFFIX,
        description=f"{SAMPLE_NOTE} {spec.about} This is not a real organization.",
        email=f"{slug}@example.org",
        website=f"https://example.org/{slug}",
        year_incorporated=rng.randint(1978, 2021),
        tax_status="501(c)(3)",
        is_sample=True,
        created_at=now,
        updated_at=now,
    )
    org.phones.append(
        Phone(
            id=demo_id("org-phone", spec.name),
            number=fictional_phone(spec.town, index * 3),
            type="voice",
            description="Main line",
        )
    )
    location = Location(
        id=demo_id("location", spec.name),
        name=f"{spec.name} — {spec.town}",
        latitude=place.latitude,
        longitude=place.longitude,
        transportation=f"Near a CTtransit bus stop on {place.street.split(' ', 1)[1]}.",
    )
    location.addresses.append(
        Address(
            id=demo_id("address", spec.name),
            address_1=place.street,
            city=place.town,
            region=place.county,
            state_province="CT",
            postal_code=place.postal_code,
            country="US",
        )
    )
    org.locations.append(location)
    for position, svc in enumerate(spec.services):
        service = _build_service(spec, svc, rng, place, refs, now)
        service.service_at_locations.append(
            ServiceAtLocation(id=demo_id("sal", spec.name, svc.name), location=location)
        )
        service.phones.append(
            Phone(
                id=demo_id("phone", spec.name, svc.name),
                number=fictional_phone(spec.town, index * 3 + 1 + position),
                type="voice",
            )
        )
        org.services.append(service)
    db.session.add(org)
    return org


def _build_service(
    spec: Org, svc: Svc, rng: random.Random, place: Place, refs: Refs, now: datetime
) -> Service:
    profile = PROFILES[svc.need]
    languages = _languages(svc, rng)
    service = Service(
        id=demo_id("service", spec.name, svc.name),
        name=svc.name,
        description=svc.blurb or profile.blurb,
        url=f"https://example.org/{slugify(spec.name)}/{slugify(svc.name)}",
        email=f"{slugify(spec.name)}@example.org",
        status=ServiceStatus(svc.status),
        alert=svc.alert,
        application_process=profile.process,
        fees="Free" if rng.random() < 0.8 or profile.unit != "bed" else "A share of income",
        interpretation_services=(
            "Staff speak " + ", ".join(LANGUAGES[c] for c in languages[1:]) + "."
            if len(languages) > 1
            else "Phone interpreters on request."
        ),
        last_verified_at=_verified(svc, rng, now),
        created_at=now,
        updated_at=now,
    )
    terms = [need_area_term_id(svc.need), oe_term_id(profile.oe)]
    if "." in svc.need:  # housing types also count as housing
        terms.append(need_area_term_id(svc.need.split(".")[0]))
    service.taxonomy_terms = [refs.terms[term_id] for term_id in terms]
    hours = svc.hours or rng.choice(profile.hours)
    for day, opens, closes in SCHEDULES[hours]:
        service.schedules.append(
            Schedule(
                id=demo_id("schedule", spec.name, svc.name, day),
                freq="WEEKLY",
                byday=day,
                opens_at=opens,
                closes_at=closes,
            )
        )
    for code in languages:
        service.languages.append(
            Language(
                id=demo_id("language", spec.name, svc.name, code), name=LANGUAGES[code], code=code
            )
        )
    bring = svc.bring or tuple(rng.sample(profile.bring, k=min(2, len(profile.bring))))
    for text in bring:
        service.required_documents.append(
            RequiredDocument(id=demo_id("document", spec.name, svc.name, text), document=text)
        )
    spanish = spanish_wording(bring, service.fees)
    if any(spanish.values()):
        service.translations.append(
            ServiceTranslation(
                id=demo_id("translation", spec.name, svc.name, "es"), language="es", **spanish
            )
        )
    for spec_rule in _rules(svc, rng):
        service.eligibility_rules.append(
            EligibilityRule(
                id=demo_id("rule", spec.name, svc.name, spec_rule.criterion.value),
                criterion=spec_rule.criterion,
                answer=spec_rule.answer,
                values=[
                    v.replace("{town}", place.town).replace("{county}", place.county)
                    for v in spec_rule.values
                ],
                min_age=spec_rule.min_age,
                max_age=spec_rule.max_age,
                note=spec_rule.note,
                strict=spec_rule.strict,
            )
        )
    mode = svc.capacity or (rng.choice(profile.capacity) if profile.capacity else None)
    if mode and profile.unit:
        service.capacities.append(
            _capacity(
                demo_id("capacity", spec.name, svc.name), mode, refs.units[profile.unit], rng, now
            )
        )
    return service


def _languages(svc: Svc, rng: random.Random) -> list[str]:
    if svc.languages is not None:
        return ["en", *svc.languages]
    codes = ["en"]
    if rng.random() < 0.6:
        codes.append("es")
    if rng.random() < 0.12:
        codes.append(rng.choice(OTHER_LANGUAGES))
    return codes


def _rules(svc: Svc, rng: random.Random) -> list[RuleSpec]:
    """The pinned rules, plus 0–2 from the profile's pool on criteria not yet answered."""
    rules = list(svc.rules)
    taken = {r.criterion for r in rules}
    pool = [r for r in PROFILES[svc.need].rules if r.criterion not in taken]
    for extra in rng.sample(pool, k=min(len(pool), rng.randint(0, 2))):
        if extra.criterion not in taken:
            rules.append(extra)
            taken.add(extra.criterion)
    return rules


def _verified(svc: Svc, rng: random.Random, now: datetime) -> datetime | None:
    if svc.verified_days != "draw":
        return None if svc.verified_days is None else now - timedelta(days=svc.verified_days)
    roll = rng.random()
    if roll < 0.2:
        return None
    low, high = (1, 30) if roll < 0.6 else (31, 120) if roll < 0.85 else (200, 420)
    return now - timedelta(days=rng.randint(low, high), hours=rng.randint(0, 9))


def _capacity(
    capacity_id: str, mode: str, unit: Unit, rng: random.Random, now: datetime
) -> ServiceCapacity:
    """A capacity figure in one of five states: fresh, full, waitlist, assessment or stale."""
    low, high = SIZES[unit.identifier]
    maximum = rng.randint(low, high)
    available: int | None = 0
    waitlist, wait = None, None
    if mode == "fresh":
        status, age = CapacityStatus.HAS_CAPACITY, rng.uniform(0.05, 3)
        available = rng.randint(1, max(1, maximum // 3))
    elif mode == "full":
        status, age = CapacityStatus.NO_CAPACITY, rng.uniform(0.1, 5)
    elif mode == "waitlist":
        status, age = CapacityStatus.WAITLIST, rng.uniform(0.5, 7)
        waitlist, wait = rng.randint(3, 25), rng.choice(WAITS)
    elif mode == "assessment":
        status, age = CapacityStatus.ASSESSMENT_REQUIRED, rng.uniform(1, 10)
        available = None
    elif mode == "stale":
        status, age = CapacityStatus.HAS_CAPACITY, rng.uniform(20, 60)
        available = rng.randint(1, max(1, maximum // 3))
    else:
        raise ValueError(f"unknown capacity mode {mode!r}")
    updated = now - timedelta(days=age)
    capacity = ServiceCapacity(
        id=capacity_id,
        unit=unit,
        available=available,
        maximum=maximum,
        status=status,
        waitlist_length=waitlist,
        expected_wait=wait,
        updated=updated,
        description="Call for an intake assessment before referring."
        if status == CapacityStatus.ASSESSMENT_REQUIRED
        else None,
    )
    if rng.random() < 0.4 or mode == "stale":
        _history(capacity, capacity_id, rng, updated)
    return capacity


def _history(capacity: ServiceCapacity, capacity_id: str, rng: random.Random, at: datetime) -> None:
    """A create row some days earlier, then the change that led to today's figure."""
    first_available = min(capacity.maximum or 0, (capacity.available or 0) + rng.randint(1, 4))
    created_at = at - timedelta(days=rng.randint(5, 30))
    capacity.history.append(
        CapacityHistory(
            id=demo_id("history", capacity_id, "create"),
            changed_at=created_at,
            action="create",
            new_available=first_available,
            new_maximum=capacity.maximum,
            new_status=CapacityStatus.HAS_CAPACITY.value,
        )
    )
    capacity.history.append(
        CapacityHistory(
            id=demo_id("history", capacity_id, "update"),
            changed_at=at,
            action="mark_full" if capacity.status == CapacityStatus.NO_CAPACITY else "update",
            old_available=first_available,
            new_available=capacity.available,
            old_maximum=capacity.maximum,
            new_maximum=capacity.maximum,
            old_status=CapacityStatus.HAS_CAPACITY.value,
            new_status=capacity.status.value,
        )
    )
