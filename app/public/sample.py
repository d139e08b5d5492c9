"""The demo's sample discharge card: a fixed, public code on sample services only.

`flask seed demo` can call ensure_sample_card() and print the code; the README shows its
address. Idempotent: a second call returns the same card (renewed if it had expired).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.common import utcnow
from app.directory.models import NEED_AREA_TAXONOMY, Organization, Service, TaxonomyTerm
from app.directory.vocabulary import ServiceStatus
from app.extensions import db
from app.public.cards import CARD_LIFETIME_DAYS, format_code
from app.public.models import DischargeCard, DischargeCardEntry

SAMPLE_CODE = "SAMP2CARD2"  # shown as SAMP2-CARD2; sample data, so guessable on purpose
SAMPLE_AREAS = ("housing", "entitlements", "employment", "food")


def _one_in(area: str, taken: set[str]) -> Service | None:
    terms = select(TaxonomyTerm.id).where(
        TaxonomyTerm.taxonomy == NEED_AREA_TAXONOMY,
        (TaxonomyTerm.code == area) | TaxonomyTerm.code.like(area + ".%"),
    )
    return db.session.scalar(
        select(Service)
        .join(Organization)
        .where(
            Organization.is_sample.is_(True),
            Service.status == ServiceStatus.ACTIVE,
            Service.taxonomy_terms.any(TaxonomyTerm.id.in_(terms)),
            Service.id.not_in(taken) if taken else True,
        )
        .order_by(Service.name, Service.id)
        .limit(1)
    )


def ensure_sample_card() -> DischargeCard | None:
    """The sample card (made on first call); None when there are no sample services yet."""
    now = utcnow()
    card = db.session.scalar(select(DischargeCard).where(DischargeCard.code == SAMPLE_CODE))
    if card is not None:
        if card.expires_at <= now:
            card.expires_at = now + timedelta(days=CARD_LIFETIME_DAYS)
            card.revoked_at = None
            db.session.flush()
        return card
    services: list[Service] = []
    for area in SAMPLE_AREAS:
        found = _one_in(area, {s.id for s in services})
        if found is not None:
            services.append(found)
    if not services:
        return None
    card = DischargeCard(
        code=SAMPLE_CODE,
        language="en",
        created_at=now,
        expires_at=now + timedelta(days=CARD_LIFETIME_DAYS),
    )
    for position, service in enumerate(services):
        location = service.locations[0] if service.locations else None
        card.entries.append(
            DischargeCardEntry(
                service_id=service.id,
                location_id=location.id if location is not None else None,
                position=position,
            )
        )
    db.session.add(card)
    db.session.flush()
    return card


def sample_card_code() -> str:
    return format_code(SAMPLE_CODE)
