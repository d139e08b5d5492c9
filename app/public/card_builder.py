"""What the card builder offers a counselor for one client, pre-checked so a card takes a minute.

Offered, in this order:
1. The services of the client's accepted or enrolled referrals (checked), with the referral's
   location and intake time.
2. General resources: active services in the "entitlements" need area (benefits and ID
   documents: SNAP, Medicaid, ID offices), at a location in the client's destination town, else
   in the destination county. The first GENERAL_CHECKED of them are checked, up to
   GENERAL_OFFERED are offered. With no destination known, none are offered (a card far from
   where the person goes is no help).
3. Any other active service the counselor looks up by name and adds (checked).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.directory.models import (
    NEED_AREA_TAXONOMY,
    Address,
    Location,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from app.directory.vocabulary import ServiceStatus
from app.extensions import db
from app.public.cards import MAX_ENTRIES, EntryChoice
from app.referrals.models import Client, Referral
from app.referrals.vocabulary import ReferralStatus

GENERAL_AREA = "entitlements"
GENERAL_CHECKED = 2
GENERAL_OFFERED = 6
CARD_REFERRAL_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.ENROLLED)


@dataclass
class Offer:
    """One row of the builder's checklist."""

    key: str  # form value: "r:<referral id>" or "s:<service id>"
    service: Service
    location: Location | None
    referral: Referral | None
    checked: bool
    reason: str  # why it is offered, shown to the counselor


def _referral_offers(client: Client) -> list[Offer]:
    referrals = db.session.scalars(
        select(Referral)
        .where(Referral.client_id == client.id, Referral.status.in_(CARD_REFERRAL_STATUSES))
        .options(
            selectinload(Referral.service).selectinload(Service.organization),
            selectinload(Referral.location).selectinload(Location.addresses),
        )
        .order_by(Referral.intake_at.is_(None), Referral.intake_at, Referral.created_at)
    ).all()
    offers, seen = [], set()
    for referral in referrals:
        if referral.service_id in seen:
            continue
        seen.add(referral.service_id)
        reason = f"Referral {referral.status.label.lower()}"
        offers.append(
            Offer(
                "r:" + referral.id,
                referral.service,
                referral.location,
                referral,
                True,
                reason,
            )
        )
    return offers


def _area_term_ids(code: str):  # noqa: ANN202
    """Ids of the need area and its sub-areas (one level is all the taxonomy has)."""
    parent = select(TaxonomyTerm.id).where(
        TaxonomyTerm.taxonomy == NEED_AREA_TAXONOMY, TaxonomyTerm.code == code
    )
    return select(TaxonomyTerm.id).where(
        TaxonomyTerm.taxonomy == NEED_AREA_TAXONOMY,
        (TaxonomyTerm.code == code) | TaxonomyTerm.parent_id.in_(parent),
    )


def _general_in(column, value: str, exclude: set[str]) -> list[tuple[Service, Location]]:  # noqa: ANN001
    rows = db.session.execute(
        select(Service, Location)
        .join(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .join(Address, Address.location_id == Location.id)
        .where(
            Service.status == ServiceStatus.ACTIVE,
            Service.taxonomy_terms.any(TaxonomyTerm.id.in_(_area_term_ids(GENERAL_AREA))),
            func.lower(column) == value.strip().lower(),
        )
        .options(selectinload(Service.organization), selectinload(Location.addresses))
        .order_by(Service.name, Service.id)
    ).all()
    out, seen = [], set(exclude)
    for service, location in rows:
        if service.id not in seen:
            seen.add(service.id)
            out.append((service, location))
    return out


def _general_offers(client: Client, exclude: set[str]) -> list[Offer]:
    found: list[tuple[Service, Location]] = []
    reason = ""
    if client.destination_town:
        found = _general_in(Address.city, client.destination_town, exclude)
        reason = f"Benefits and ID in {client.destination_town}"
    if not found and client.destination_county:
        found = _general_in(Address.region, client.destination_county, exclude)
        reason = f"Benefits and ID in {client.destination_county}"
    return [
        Offer("s:" + service.id, service, location, None, i < GENERAL_CHECKED, reason)
        for i, (service, location) in enumerate(found[:GENERAL_OFFERED])
    ]


MAX_ADDED = 10


def _added_offers(service_ids: list[str], exclude: set[str]) -> list[Offer]:
    wanted = [i for i in dict.fromkeys(service_ids) if i not in exclude][:MAX_ADDED]
    if not wanted:
        return []
    services = db.session.scalars(
        select(Service)
        .where(Service.id.in_(wanted), Service.status == ServiceStatus.ACTIVE)
        .options(
            selectinload(Service.organization),
            selectinload(Service.service_at_locations)
            .selectinload(ServiceAtLocation.location)
            .selectinload(Location.addresses),
        )
    ).all()
    by_id = {service.id: service for service in services}
    offers = []
    for service_id in wanted:
        service = by_id.get(service_id)
        if service is not None:
            location = service.locations[0] if service.service_at_locations else None
            offers.append(Offer("s:" + service.id, service, location, None, True, "Added by you"))
    return offers


def card_offers(client: Client, added: list[str] | tuple[str, ...] = ()) -> list[Offer]:
    """The checklist: referrals, nearby benefits and ID services, then services added by hand."""
    referral_offers = _referral_offers(client)
    taken = {offer.service.id for offer in referral_offers}
    general = _general_offers(client, taken)
    taken |= {offer.service.id for offer in general}
    return referral_offers + general + _added_offers(list(added), taken)


def find_services(text: str, limit: int = 10) -> list[Service]:
    """Active services whose name or organization contains the words, for "add a service"."""
    words = (text or "").strip()
    if len(words) < 2:
        return []
    pattern = "%" + words.lower().replace("\\", "").replace("%", "").replace("_", "") + "%"
    from app.directory.models import Organization

    return list(
        db.session.scalars(
            select(Service)
            .join(Organization, Organization.id == Service.organization_id)
            .where(
                Service.status == ServiceStatus.ACTIVE,
                func.lower(Service.name).like(pattern)
                | func.lower(Organization.name).like(pattern),
            )
            .options(selectinload(Service.organization))
            .order_by(Service.name, Service.id)
            .limit(limit)
        )
    )


def choices_from_keys(keys: list[str], offers: list[Offer]) -> list[EntryChoice]:
    """The card entries for the checked keys, in the checklist's order; unknown keys ignored."""
    wanted = set(keys)
    return [
        EntryChoice(
            service_id=offer.service.id,
            location_id=offer.location.id if offer.location is not None else None,
            referral_id=offer.referral.id if offer.referral is not None else None,
        )
        for offer in offers
        if offer.key in wanted
    ]


def release_choices(offers: list[Offer], first_referral_ids: set[str]) -> list[EntryChoice]:
    """The card made at release, with no one to tick boxes: the checked offers (accepted and
    enrolled referrals, the first benefits and ID services near the destination), the
    referrals serving arranged plan items first, then the other referrals, then the general
    resources; at most MAX_ENTRIES, so it still prints on one page."""

    def rank(offer: Offer) -> int:
        if offer.referral is None:
            return 2
        return 0 if offer.referral.id in first_referral_ids else 1

    checked = sorted((o for o in offers if o.checked), key=rank)[:MAX_ENTRIES]
    return choices_from_keys([o.key for o in checked], checked)
