"""Demo referrals: invented clients of the demo counselor, referred to the demo providers'
services in every status, so a new user sees a living inbox and timeline at once.

Built through the real referral services (consent, send, every transition) with back-dated
clocks, so the data obeys the same rules as real data. Idempotent: a client is found by its
fixed uuid5 id and, when present, neither it nor its referrals are touched again. The e-mails
the services queue are removed (nobody should be mailed about sample data); in-app
notifications stay, so the demo users' notification lists are not empty.
Every client is sample data: inmate numbers start with SAMPLE-, names are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select

from app.accounts.models import User
from app.clock import local_date, local_time
from app.common import utcnow
from app.directory.models import Service
from app.extensions import db
from app.notify.models import OutboxMessage
from app.referrals.data import ReferralData
from app.referrals.models import CareTeamMember, Client, Consent
from app.referrals.services import send_referral, transition
from app.referrals.vocabulary import ConsentShare, ContactMethod
from app.seeding.demo_build import demo_id
from app.seeding.demo_data import PROVIDER2_ORG, PROVIDER_ORG

COUNSELOR = "counselor@example.org"
PROVIDERS = {PROVIDER_ORG: "provider@example.org", PROVIDER2_ORG: "provider2@example.org"}

MEN_HALFWAY = (PROVIDER_ORG, "Cedar Crossing Men's Halfway House")
WOMEN_HOUSE = (PROVIDER_ORG, "Cedar Crossing Women's House")
AFTERCARE = (PROVIDER_ORG, "Cedar Crossing Aftercare Group")
OUTPATIENT = (PROVIDER2_ORG, "Riverbend Outpatient Program")
MAT_CLINIC = (PROVIDER2_ORG, "Riverbend MAT Clinic")
INTENSIVE = (PROVIDER2_ORG, "Riverbend Intensive Outpatient")


@dataclass(frozen=True)
class DemoReferral:
    service: tuple[str, str]  # (organization template name, service name)
    sent_days_ago: float
    steps: tuple[tuple[str, dict], ...] = ()  # (action, fields) in order, an hour or so apart
    priority: str = "routine"
    note: str | None = None


@dataclass(frozen=True)
class DemoClient:
    key: str
    first_name: str
    last_name: str
    born: date
    release_in_days: int
    town: str
    eligibility: dict = field(default_factory=dict)
    documents: tuple[str, ...] = ()
    referrals: tuple[DemoReferral, ...] = ()
    language: str = "en"


MAN = {"gender": "male", "on_registry": False, "arson_conviction": False, "supervision": "parole"}
WOMAN = {"gender": "female", "on_registry": False, "arson_conviction": False}

CLIENTS = (
    DemoClient(
        "a",
        "Marcus",
        "Demoley",
        date(1986, 4, 2),
        9,
        "Hartford",
        MAN,
        ("state_id",),
        (
            DemoReferral(
                MEN_HALFWAY,
                0.05,
                priority="urgent",
                note="Released on bond today; needs a bed tonight.",
            ),
            DemoReferral(
                MAT_CLINIC,
                12,
                (
                    ("receive", {}),
                    (
                        "decline",
                        {
                            "reason_code": "no_capacity",
                            "reason_text": "No intake slots this month.",
                        },
                    ),
                ),
            ),
            DemoReferral(
                WOMEN_HOUSE,
                3,
                (("entered_in_error", {"reason_text": "Picked the wrong house from the list."}),),
            ),
        ),
    ),
    DemoClient(
        "b",
        "Luis",
        "Samplewood",
        date(1992, 9, 17),
        20,
        "New Britain",
        {**MAN, "on_mat": True, "needs_medicaid": True},
        ("state_id", "medicaid_card"),
        (
            DemoReferral(OUTPATIENT, 6),  # unanswered past the deadline: overdue
            DemoReferral(INTENSIVE, 20, (("receive", {}), ("accept", {}), ("enroll", {}))),
        ),
    ),
    DemoClient(
        "c",
        "Terrence",
        "Placeholder",
        date(1979, 1, 30),
        40,
        "Hartford",
        {**MAN, "sober": True, "needs_medicaid": True},
        ("state_id", "social_security_card"),
        (
            DemoReferral(AFTERCARE, 1, (("receive", {}),)),
            DemoReferral(
                OUTPATIENT,
                30,
                (
                    ("accept", {}),
                    ("enroll", {}),
                    (
                        "complete",
                        {"outcome": "Finished the 12-week program; continuing with a peer group."},
                    ),
                ),
            ),
        ),
    ),
    DemoClient(
        "d",
        "Andre",
        "Examplar",
        date(1995, 12, 8),
        3,
        "East Hartford",
        MAN,
        (),
        (
            DemoReferral(
                MEN_HALFWAY,
                2,
                (
                    ("receive", {}),
                    (
                        "accept",
                        {
                            "intake_in_days": 3,
                            "what_to_bring": "State ID if you have it; 2 weeks of any medication.",
                        },
                    ),
                ),
                priority="urgent",
            ),
            DemoReferral(
                AFTERCARE,
                15,
                (
                    ("accept", {}),
                    (
                        "not_enrolled",
                        {
                            "reason_code": "no_show",
                            "reason_text": "Did not come to two intake times.",
                        },
                    ),
                ),
            ),
        ),
    ),
    DemoClient(
        "e",
        "Renee",
        "Fictiona",
        date(1988, 6, 21),
        14,
        "Hartford",
        WOMAN,
        ("birth_certificate",),
        (
            DemoReferral(
                WOMEN_HOUSE,
                4,
                (
                    ("receive", {}),
                    (
                        "waitlist",
                        {"reason_text": "Full until a resident moves out.", "expected_in_days": 21},
                    ),
                ),
            ),
            DemoReferral(
                OUTPATIENT,
                8,
                (
                    (
                        "cancel",
                        {"reason_text": "Plan changed: going to a residential program instead."},
                    ),
                ),
            ),
        ),
    ),
    # Release plans (app/seeding/demo_plans.py): a long way off, released today, and one whose
    # supervision has ended.
    DemoClient(
        "f",
        "Dwayne",
        "Sampleton",
        date(1983, 3, 11),
        60,
        "Waterbury",
        {**MAN, "on_registry": True},
        ("social_security_card",),
    ),
    DemoClient(
        "g",
        "Kevin",
        "Testwell",
        date(1990, 8, 5),
        0,
        "Hartford",
        MAN,
        ("state_id", "social_security_card"),
        (DemoReferral(AFTERCARE, 10, (("receive", {}), ("accept", {"intake_in_days": 2}))),),
    ),
    DemoClient(
        "h",
        "Maria",
        "Muestra",
        date(1977, 11, 23),
        -200,
        "New Britain",
        # a violent conviction: "who really accepts" shows her the outpatient program's figure
        {**WOMAN, "violent_conviction": True},
        ("state_id", "social_security_card", "birth_certificate"),
        language="es",
    ),
)


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email))


def _service(spec: tuple[str, str]) -> Service | None:
    return db.session.get(Service, demo_id("service", *spec))


def load_demo_referrals(now: datetime) -> int:
    """Create missing demo clients with consent and referrals; returns how many were created."""
    counselor = _user(COUNSELOR)
    providers = {org: _user(email) for org, email in PROVIDERS.items()}
    if counselor is None or None in providers.values():
        return 0
    started = utcnow()  # the real clock: the outbox stamps rows with it
    created = 0
    for spec in CLIENTS:
        if db.session.get(Client, demo_id("client", spec.key)) is not None:
            continue
        client = _client(spec, counselor, now)
        for referral in spec.referrals:
            service = _service(referral.service)
            if service is not None:
                _referral(client, service, referral, counselor, providers[referral.service[0]], now)
        created += 1
    if created:
        _drop_queued_mail(started)
    db.session.flush()
    return created


def _client(spec: DemoClient, counselor: User, now: datetime) -> Client:
    client = Client(
        id=demo_id("client", spec.key),
        first_name=spec.first_name,
        last_name=spec.last_name,
        date_of_birth=spec.born,
        inmate_number=f"SAMPLE-{spec.key.upper()}{spec.born.year % 100:02d}",
        facility_id=counselor.facility_id,
        created_by_id=counselor.id,
        projected_release_date=local_date(now + timedelta(days=spec.release_in_days)),
        preferred_language=spec.language,
        contact_method=ContactMethod.THROUGH_PERSON,
        contact_person="A family member (sample data)",
        destination_town=spec.town,
        destination_county="Hartford County",
        documents_held=list(spec.documents),
        eligibility=dict(spec.eligibility),
        created_at=now - timedelta(days=max(45, 60 - spec.release_in_days)),
    )
    client.team.append(
        CareTeamMember(user_id=counselor.id, is_coordinator=True, added_by_id=counselor.id)
    )
    for org in PROVIDERS:
        client.consents.append(
            Consent(
                id=demo_id("consent", spec.key, org),
                organization_id=demo_id("org", org),
                shares=[s.value for s in ConsentShare],
                signed_on=local_date(now - timedelta(days=60)),
                expires_on=local_date(now + timedelta(days=305)),
                recorded_by_id=counselor.id,
                recorded_at=now - timedelta(days=60),
            )
        )
    db.session.add(client)
    db.session.flush()
    return client


def _referral(
    client: Client,
    service: Service,
    spec: DemoReferral,
    counselor: User,
    provider: User,
    now: datetime,
) -> None:
    sent = now - timedelta(days=spec.sent_days_ago)
    referral = send_referral(
        client,
        ReferralData(
            service_id=service.id,
            priority=spec.priority,
            note_to_provider=spec.note,
            eligibility_override_reason="Sample data: discussed with the provider by phone.",
            acknowledge_no_capacity=True,
        ),
        counselor,
        now=sent,
    )
    for index, (action, fields) in enumerate(spec.steps, start=1):
        at = sent + (now - sent) * index / (len(spec.steps) + 1)  # spread over the time since
        fields = dict(fields)
        if "intake_in_days" in fields:
            day = local_time(now + timedelta(days=fields.pop("intake_in_days")))
            fields["intake_at"] = day.replace(hour=14, minute=0, second=0, microsecond=0)
        if "expected_in_days" in fields:
            fields["expected_date"] = local_date(
                now + timedelta(days=fields.pop("expected_in_days"))
            )
        actor = counselor if action in ("cancel", "entered_in_error") else provider
        transition(referral, action, actor, expected_version=referral.version, now=at, **fields)


def _drop_queued_mail(since: datetime) -> None:
    """Nobody should be e-mailed about sample data: remove what the services just queued."""
    db.session.flush()
    db.session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.created_at >= since, OutboxMessage.kind.like("referral.%"))
        .execution_options(synchronize_session=False)
    )
