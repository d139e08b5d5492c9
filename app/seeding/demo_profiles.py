"""What a typical service in each need area looks like: unit, hours, what to bring, rule pool.

The demo table (demo_data.py) names organizations and services and pins the rules that make a
demo interesting; everything it leaves open is drawn from these profiles with a seeded random
generator, so the result is varied but identical on every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import NamedTuple

from app.directory.models.location import WEEKDAYS
from app.directory.vocabulary import Answer, Criterion, Document, Gender, Supervision

A = Answer
C = Criterion


class RuleSpec(NamedTuple):
    """One eligibility answer; "{town}" / "{county}" in values become the service's own."""

    criterion: Criterion
    answer: Answer
    values: tuple[str, ...] = ()
    min_age: int | None = None
    max_age: int | None = None
    note: str | None = None
    strict: bool = False  # a documents rule: the provider marked them strictly required


def rule(
    criterion: Criterion,
    answer: Answer,
    *values: str,
    min_age: int | None = None,
    max_age: int | None = None,
    note: str | None = None,
    strict: bool = False,
) -> RuleSpec:
    return RuleSpec(criterion, answer, tuple(values), min_age, max_age, note, strict)


@dataclass(frozen=True)
class Svc:
    name: str
    need: str  # need-area code
    rules: tuple[RuleSpec, ...] = ()  # pinned rules; the profile adds 0–2 more
    capacity: str | None = None  # fresh | full | waitlist | assessment | stale | none
    hours: str | None = None
    languages: tuple[str, ...] | None = None  # language codes; English is always added
    bring: tuple[str, ...] | None = None
    verified_days: int | None | str = "draw"  # days since verified, None = never
    status: str = "active"
    alert: str | None = None
    blurb: str | None = None


@dataclass(frozen=True)
class Org:
    name: str
    town: str
    about: str
    services: tuple[Svc, ...] = field(default_factory=tuple)


def org(name: str, town: str, about: str, *services: Svc) -> Org:
    return Org(name, town, about, services)


MEN = rule(C.GENDER, A.YES, Gender.MALE)
WOMEN = rule(C.GENDER, A.YES, Gender.FEMALE)
NO_REGISTRY = rule(C.SEX_OFFENSE_REGISTRY, A.NO)
NO_ARSON = rule(C.ARSON_CONVICTION, A.NO, note="Required by the building's insurance.")
VETERANS = rule(C.VETERANS_ONLY, A.YES)
YOUNG_ADULTS = rule(C.AGE, A.YES, min_age=18, max_age=24)
MAT_YES = rule(C.MAT_ALLOWED, A.YES, note="Medication is kept in a locked box; staff help.")
MAT_NO = rule(C.MAT_ALLOWED, A.NO)
SOBER = rule(C.SOBRIETY_REQUIRED, A.YES)
MEDICAID = rule(C.MEDICAID_ACCEPTED, A.YES)
PAROLE_TS = rule(C.SUPERVISION, A.YES, Supervision.PAROLE, Supervision.TRANSITIONAL)
IN_TOWN = rule(C.RESIDENCE, A.YES, "{town}")
IN_COUNTY = rule(C.RESIDENCE, A.YES, "{county}")
ID_AND_SSN = rule(C.DOCUMENTS, A.YES, Document.STATE_ID, Document.SOCIAL_SECURITY_CARD)
UNKNOWN_REGISTRY = rule(C.SEX_OFFENSE_REGISTRY, A.UNKNOWN)
FAMILIES = rule(C.FAMILIES, A.YES, note="Family rooms; children of any age stay with a parent.")
ADULTS_ONLY = rule(C.FAMILIES, A.NO)

# What to bring, in plain words.
BRING_ID = "A photo ID if you have one (you can still come without it)"
BRING_RELEASE = "Your release papers from the facility"
BRING_SSN = "Your Social Security card or number"
BRING_INCOME = "Proof of income, such as a pay stub or a benefits letter"
BRING_MEDICAID = "Your HUSKY (Medicaid) card if you have one"
BRING_MEDS = "A list of your medicines, or the bottles"
BRING_NOTHING = "Nothing — just come in"
BRING_RESUME = "A résumé if you have one (we can help you write one)"
BRING_DD214 = "Military discharge papers (DD-214)"
BRING_ADDRESS = "Something with your address on it, such as a letter"
BRING_PAPERS = "Any court papers or letters about your case"


@dataclass(frozen=True)
class Profile:
    oe: str  # the matching Open Eligibility term id
    unit: str | None  # Unit.identifier of the capacity figure, None = no capacity row
    hours: tuple[str, ...]  # schedule kinds (see demo.SCHEDULES)
    bring: tuple[str, ...]
    rules: tuple[RuleSpec, ...]  # pool: 1–3 are drawn for each service
    capacity: tuple[str, ...]  # capacity modes to draw from
    blurb: str
    process: str


CAP_ALL = ("fresh", "fresh", "full", "waitlist", "assessment", "stale")

PROFILES: dict[str, Profile] = {
    "housing": Profile(
        "1136",
        "appointment",
        ("office", "office_late"),
        (BRING_ID, BRING_INCOME, BRING_RELEASE),
        (IN_COUNTY, rule(C.DOCUMENTS, A.NO), UNKNOWN_REGISTRY),
        ("fresh", "waitlist", "stale"),
        "Help finding a place to live: housing lists, applications and landlord contacts.",
        "Call to book an appointment with a housing navigator.",
    ),
    "housing.emergency_shelter": Profile(
        "1121",
        "bed",
        ("24h", "24h", "overnight"),
        (BRING_ID, BRING_MEDS, BRING_NOTHING),
        (
            rule(C.SEX_OFFENSE_REGISTRY, A.CASE_BY_CASE),
            rule(C.SOBRIETY_REQUIRED, A.NO),
            rule(C.VIOLENT_CONVICTION, A.CASE_BY_CASE),
            UNKNOWN_REGISTRY,
        ),
        ("fresh", "full", "full", "stale"),
        "A safe bed for tonight, a shower and a hot meal. Beds are given first come, first served.",
        "Walk in or call the shelter line; call 2-1-1 if we are full.",
    ),
    "housing.transitional": Profile(
        "1152",
        "bed",
        ("office", "office_early"),
        (BRING_ID, BRING_RELEASE, BRING_MEDS),
        (
            NO_REGISTRY,
            rule(C.SEX_OFFENSE_REGISTRY, A.CASE_BY_CASE),
            NO_ARSON,
            rule(C.VIOLENT_CONVICTION, A.CASE_BY_CASE),
            PAROLE_TS,
            rule(C.DOCUMENTS, A.YES, Document.STATE_ID),
        ),
        CAP_ALL,
        "A furnished room for up to 12 months with a case manager, house meetings and help "
        "finding work and a permanent home.",
        "Your counselor or parole officer sends a referral; we call within two business days.",
    ),
    "housing.recovery": Profile(
        "1154",
        "bed",
        ("office_early", "office"),
        (BRING_ID, BRING_MEDS, BRING_RELEASE),
        (NO_ARSON, NO_REGISTRY, rule(C.VIOLENT_CONVICTION, A.CASE_BY_CASE), UNKNOWN_REGISTRY),
        CAP_ALL,
        "Drug- and alcohol-free shared housing with house meetings, peer support and a house "
        "manager on site.",
        "Call for a phone interview; you can move in the same week if a bed is open.",
    ),
    "housing.permanent": Profile(
        "1146",
        "bed",
        ("office",),
        (BRING_ID, BRING_SSN, BRING_INCOME),
        (NO_REGISTRY, IN_COUNTY, rule(C.DOCUMENTS, A.YES, Document.STATE_ID)),
        ("waitlist", "waitlist", "assessment", "full", "stale"),
        "Long-term apartments with rent based on income and a case manager who visits.",
        "Apply through the coordinated access line; we call you for an assessment.",
    ),
    "substance_use": Profile(
        "1181",
        "program_slot",
        ("office_late", "office_sat"),
        (BRING_MEDICAID, BRING_ID, BRING_MEDS),
        (MEDICAID, MAT_YES, IN_COUNTY, rule(C.RESIDENCE, A.UNKNOWN)),
        ("fresh", "waitlist", "assessment", "stale"),
        "Outpatient treatment for alcohol and drug use: counseling, groups and medication for "
        "opioid use disorder.",
        "Walk in Monday to Friday before noon for an intake, or call to book one.",
    ),
    "mental_health": Profile(
        "1220",
        "program_slot",
        ("office", "office_late"),
        (BRING_MEDICAID, BRING_MEDS, BRING_ID),
        (MEDICAID, IN_COUNTY, rule(C.VIOLENT_CONVICTION, A.CASE_BY_CASE)),
        ("fresh", "waitlist", "assessment", "stale"),
        "Counseling and psychiatric care, including help continuing medicine you took inside.",
        "Call to book a first appointment; bring your discharge medicine list.",
    ),
    "healthcare": Profile(
        "1206",
        "appointment",
        ("office", "office_sat"),
        (BRING_MEDICAID, BRING_ID, BRING_MEDS),
        (MEDICAID, rule(C.DOCUMENTS, A.NO), rule(C.MEDICAID_ACCEPTED, A.UNKNOWN)),
        ("fresh", "fresh", "full", "stale"),
        "Check-ups, prescriptions and help signing up for HUSKY (Medicaid). No one is turned "
        "away for not having insurance.",
        "Call to book; same-day appointments some mornings.",
    ),
    "employment": Profile(
        "1358",
        "job_opening",
        ("office", "office_early"),
        (BRING_ID, BRING_SSN, BRING_RESUME),
        (
            rule(C.VIOLENT_CONVICTION, A.CASE_BY_CASE),
            ID_AND_SSN,
            rule(C.SEX_OFFENSE_REGISTRY, A.CASE_BY_CASE),
            rule(C.VIOLENT_CONVICTION, A.UNKNOWN),
        ),
        ("fresh", "fresh", "full", "stale"),
        "Help finding a job with employers who hire people with records: job leads, "
        "applications and interview practice.",
        "Come to an orientation on Monday at 10 a.m.",
    ),
    "entitlements": Profile(
        "1384",
        "appointment",
        ("office", "office_late"),
        (BRING_RELEASE, BRING_ID, BRING_SSN, BRING_ADDRESS),
        (rule(C.DOCUMENTS, A.NO), IN_COUNTY, rule(C.RESIDENCE, A.NO)),
        ("fresh", "waitlist", "stale"),
        "Help getting a birth certificate, Social Security card and state ID, and applying for "
        "SNAP, HUSKY (Medicaid) and SSI.",
        "Call to book. Bring whatever papers you have; we help with the rest.",
    ),
    "mentoring": Profile(
        "1308",
        "program_slot",
        ("evening", "office_late"),
        (BRING_NOTHING, BRING_RELEASE),
        (PAROLE_TS, rule(C.SUPERVISION, A.NO), rule(C.VIOLENT_CONVICTION, A.YES)),
        ("fresh", "waitlist", "stale"),
        "A mentor who has been through re-entry meets you weekly for the first six months.",
        "Your counselor refers you; a mentor calls you within a week.",
    ),
    "family": Profile(
        "1315",
        "program_slot",
        ("office_late", "evening"),
        (BRING_ID, BRING_PAPERS),
        (NO_REGISTRY, rule(C.VIOLENT_CONVICTION, A.CASE_BY_CASE), IN_TOWN),
        ("fresh", "waitlist", "stale"),
        "Parenting classes and help reconnecting with your children and family.",
        "Call to sign up for the next class.",
    ),
    "transportation": Profile(
        "1173",
        None,
        ("office",),
        (BRING_RELEASE, BRING_ID),
        (IN_TOWN, IN_COUNTY, rule(C.DOCUMENTS, A.NO)),
        (),
        "Bus passes and rides to appointments, job interviews and court dates.",
        "Call at least two days before your appointment.",
    ),
    "education": Profile(
        "1332",
        "program_slot",
        ("office_late", "evening"),
        (BRING_ID, BRING_NOTHING),
        (rule(C.AGE, A.YES, min_age=17), rule(C.DOCUMENTS, A.NO), IN_COUNTY),
        ("fresh", "waitlist", "stale"),
        "Free GED classes and tutoring in small groups, days or evenings.",
        "Come to a sign-up session; we test your reading and math to place you.",
    ),
    "legal": Profile(
        "1375",
        "appointment",
        ("office",),
        (BRING_PAPERS, BRING_ID, BRING_INCOME),
        (IN_COUNTY, rule(C.DOCUMENTS, A.YES, Document.PROOF_OF_INCOME), rule(C.RESIDENCE, A.NO)),
        ("fresh", "waitlist", "stale"),
        "Free legal help for people with low income: clearing records, pardons, fines, "
        "evictions and benefits appeals.",
        "Call the intake line; a lawyer or paralegal calls you back.",
    ),
    "food": Profile(
        "1130",
        None,
        ("pantry", "meals"),
        (BRING_NOTHING, BRING_ADDRESS),
        (IN_TOWN, rule(C.DOCUMENTS, A.NO)),
        (),
        "Free groceries and hot meals. No questions asked.",
        "Walk in during open hours.",
    ),
    "clothing": Profile(
        "1161",
        None,
        ("pantry", "office_sat"),
        (BRING_NOTHING,),
        (rule(C.DOCUMENTS, A.NO), IN_TOWN),
        (),
        "Free clothes, shoes and coats, including clothes for job interviews.",
        "Walk in; one visit a month.",
    ),
}


def _days(spec: str, opens: str, closes: str) -> list[tuple[str, time, time]]:
    """'MO-FR' or 'SA,SU' with "HH:MM" times -> one (day, opens, closes) per weekday."""
    order = list(WEEKDAYS)
    if "-" in spec:
        first, last = spec.split("-")
        days = order[order.index(first) : order.index(last) + 1]
    else:
        days = spec.split(",")
    return [(day, time.fromisoformat(opens), time.fromisoformat(closes)) for day in days]


# Weekly hours by kind. 24 hours = 00:00-00:00; closes before opens = runs past midnight.
SCHEDULES: dict[str, list[tuple[str, time, time]]] = {
    "office": _days("MO-FR", "09:00", "17:00"),
    "office_early": _days("MO-FR", "08:00", "16:00"),
    "office_late": _days("MO-TH", "10:00", "19:00") + _days("FR", "10:00", "15:00"),
    "office_sat": _days("MO-FR", "08:30", "16:30") + _days("SA", "10:00", "14:00"),
    "24h": _days("MO-SU", "00:00", "00:00"),
    "overnight": _days("MO-SU", "19:00", "07:00"),
    "evening": _days("MO,WE", "18:00", "20:00"),
    "pantry": _days("TU,TH", "10:00", "13:00") + _days("SA", "09:00", "12:00"),
    "meals": _days("MO-FR", "11:30", "13:00") + _days("SA,SU", "11:00", "13:30"),
}
