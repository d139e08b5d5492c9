"""Builders for public-page tests: a small catalog, a client with distinctive personal data,
accepted referrals and a card. Shared by tests/public and tests/e2e."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from app.accounts.models import Role
from app.common import utcnow
from app.directory.models import RequiredDocument, Schedule, TaxonomyTerm
from app.extensions import db
from app.public.cards import EntryChoice, create_card
from app.referrals.vocabulary import ReferralStatus
from tests import factories

# Values that must never appear on a card, its page or its PDF.
SECRET_FIRST = "Zebulon"
SECRET_LAST = "Quixworthy"
SECRET_INMATE = "INM-884422"
SECRET_FACILITY = "Xanadu Correctional Institution"
SECRET_DOB_TEXTS = ("1971-02-03", "02/03/1971", "Feb 3, 1971", "February 3, 1971", "3 de febrero")
SECRET_TOWN = "Bristolville"


def load_reference_data() -> None:
    from app.seeding.taxonomy import load_taxonomies

    load_taxonomies()
    db.session.commit()


def weekday_hours(service, opens: time = time(9, 0), closes: time = time(17, 0)) -> None:  # noqa: ANN001
    db.session.add(
        Schedule(
            service=service, freq="WEEKLY", byday="MO,TU,WE,TH,FR", opens_at=opens, closes_at=closes
        )
    )
    db.session.commit()


def public_service(
    name: str,
    *,
    needs: tuple[str, ...] = (),
    town: str = "Hartford",
    bring: tuple[str, ...] = (),
    **kw,  # noqa: ANN003
):  # noqa: ANN201
    """An active service with one location, weekday hours and need-area terms."""
    org = factories.make_organization(name=kw.pop("org_name", f"{name} Org"))
    location = factories.make_location(org, town=town)
    service = factories.make_service(org, location=location, name=name, **kw)
    if needs:
        service.taxonomy_terms = [db.session.get(TaxonomyTerm, f"need-{code}") for code in needs]
    for item in bring:
        service.required_documents.append(RequiredDocument(document=item))
    db.session.commit()
    weekday_hours(service)
    return service


def counselor_and_client(**client_kw):  # noqa: ANN003,ANN201
    """A counselor at a facility and a client on their team with distinctive personal data."""
    from datetime import date

    facility = factories.make_facility(name=SECRET_FACILITY)
    counselor = factories.make_user(Role.COUNSELOR, facility=facility)
    client = factories.make_client(
        counselor,
        first_name=SECRET_FIRST,
        last_name=SECRET_LAST,
        date_of_birth=date(1971, 2, 3),
        inmate_number=SECRET_INMATE,
        facility_id=facility.id,
        destination_town=client_kw.pop("destination_town", "Hartford"),
        **client_kw,
    )
    return counselor, client


def accepted_referral(client, service, counselor, *, intake_at=None, what_to_bring=None):  # noqa: ANN001,ANN201
    """A referral moved straight to accepted (the workflow is the referral team's; here we only
    need its end state)."""
    referral = factories.make_referral(client, service, counselor)
    referral.status = ReferralStatus.ACCEPTED
    referral.intake_at = intake_at or datetime(2031, 5, 6, 14, 30, tzinfo=UTC)
    referral.what_to_bring = what_to_bring
    db.session.commit()
    return referral


def make_card(services, *, client=None, actor=None, language="en", referrals=None, **kw):  # noqa: ANN001,ANN003,ANN201
    referrals = referrals or {}
    entries = [
        EntryChoice(
            service_id=s.id,
            location_id=s.locations[0].id if s.locations else None,
            referral_id=referrals[s.id].id if s.id in referrals else None,
        )
        for s in services
    ]
    card = create_card(entries, language=language, client=client, actor=actor, **kw)
    db.session.commit()
    return card


def expire(card) -> None:  # noqa: ANN001
    card.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
