"""Demo data for "who really accepts" and for texts to the person.

Past referrals of invented people with conviction-related answers, answered over the last
months, so two demo services show figures to the demo counselor searching for Dwayne Sampleton
(on the registry): the men's halfway house (people on the registry) and the outpatient program
(people with a violent conviction). Built with the same real services as the other demo
referrals (app.seeding.demo_referrals); these people are then taken off the demo counselor's
team, so they do not crowd the caseload (administrators still see them).

Kevin Testwell (released today, an intake arranged) agreed to texts at a 555 number; nothing is
queued for him here, and no SMS provider is set up in the demo.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import delete, select

from app.clock import local_date
from app.common import utcnow
from app.extensions import db
from app.referrals.data import ReferralData
from app.referrals.models import CareTeamMember, Client
from app.referrals.services import send_referral, transition
from app.seeding.demo_build import demo_id
from app.seeding.demo_referrals import (
    COUNSELOR,
    MEN_HALFWAY,
    OUTPATIENT,
    PROVIDERS,
    DemoClient,
    DemoReferral,
    _client,
    _drop_queued_mail,
    _service,
    _user,
)
from app.sms.models import TextConsent

TEXTS_CLIENT = "g"
TEXTS_NUMBER = "+18605550142"  # 555-01xx: reserved for fiction

ACCEPT = (("receive", {}), ("accept", {}))
DECLINE = (
    ("receive", {}),
    ("decline", {"reason_code": "no_capacity", "reason_text": "No bed that week."}),
)
REGISTRY = {"gender": "male", "on_registry": True, "violent_conviction": False}
VIOLENT = {"gender": "male", "on_registry": False, "violent_conviction": True}
SURNAMES = (
    "Historia",
    "Pastwell",
    "Formerly",
    "Yesteryear",
    "Oldfield",
    "Backdate",
    "Earlier",
    "Archival",
    "Bygone",
    "Precedent",
    "Retrospect",
    "Erstwhile",
    "Aforetime",
)
# (service, answers, accepted?) — 6 of 7 for the registry, 4 of 6 for a violent conviction.
HISTORY = [(MEN_HALFWAY, REGISTRY, n != 3) for n in range(7)] + [
    (OUTPATIENT, VIOLENT, n % 3 != 1) for n in range(6)
]


def _specs() -> list[DemoClient]:
    specs = []
    for n, (service, answers, accepted) in enumerate(HISTORY):
        specs.append(
            DemoClient(
                f"history-{n}",
                "Sample",
                SURNAMES[n],
                date(1970 + n, 1 + n % 12, 10),
                -30 - 20 * n,
                "Hartford",
                answers,
                (),
                (DemoReferral(service, 25 + 21 * n, ACCEPT if accepted else DECLINE),),
            )
        )
    return specs


def load_demo_acceptance(now: datetime) -> int:
    """Create the missing past referrals and the text consent; returns people created."""
    counselor = _user(COUNSELOR)
    providers = {org: _user(email) for org, email in PROVIDERS.items()}
    if counselor is None or None in providers.values():
        return 0
    started = utcnow()
    created = []
    for spec in _specs():
        if db.session.get(Client, demo_id("client", spec.key)) is not None:
            continue
        client = _client(spec, counselor, now)
        for consent in client.consents:  # signed before the oldest of these referrals
            consent.signed_on = local_date(now - timedelta(days=330))
            consent.recorded_at = now - timedelta(days=330)
        for n, referral in enumerate(spec.referrals):
            service = _service(referral.service)
            if service is not None:
                provider = providers[referral.service[0]]
                _answered(client, service, referral, counselor, provider, now, n)
        created.append(client.id)
    if created:
        _drop_queued_mail(started)
        db.session.execute(
            delete(CareTeamMember)
            .where(CareTeamMember.client_id.in_(created))
            .execution_options(synchronize_session="fetch")
        )
    _ensure_text_consent(counselor, now)
    db.session.flush()
    return len(created)


def _answered(client, service, spec, counselor, provider, now, n) -> None:  # noqa: ANN001
    """Sent `sent_days_ago`, opened a few hours later, answered one to three days after."""
    sent = now - timedelta(days=spec.sent_days_ago)
    referral = send_referral(
        client,
        ReferralData(
            service_id=service.id,
            eligibility_override_reason="Sample data: discussed with the provider by phone.",
            acknowledge_no_capacity=True,
        ),
        counselor,
        now=sent,
    )
    answer_at = sent + timedelta(days=1 + (len(client.last_name) + n) % 3, hours=2)
    for action, fields in spec.steps:
        at = sent + timedelta(hours=3) if action == "receive" else answer_at
        transition(referral, action, provider, expected_version=referral.version, now=at, **fields)


def _ensure_text_consent(counselor, now: datetime) -> None:  # noqa: ANN001
    client = db.session.get(Client, demo_id("client", TEXTS_CLIENT))
    if client is None:
        return
    exists = db.session.scalar(select(TextConsent.id).where(TextConsent.client_id == client.id))
    if exists is None:
        db.session.add(
            TextConsent(
                id=demo_id("text-consent", TEXTS_CLIENT),
                client_id=client.id,
                phone=TEXTS_NUMBER,
                given_at=now,
                recorded_by_id=counselor.id,
            )
        )
        client.contact_phone = client.contact_phone or "860-555-0142"
