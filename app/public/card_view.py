"""A discharge card read live: what its page, its print view and its PDF all show.

Built from the card's entries and the catalog as it is now (current phones and hours), in the
current language. Built only from catalog data and the referral's intake time and "what to
bring": never the client's name, birth date, offense, facility or inmate number, so the card is
safe to lose. A service that has closed is marked, with one open alternative in the same need
area (nearest first by town, then by name).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.clock import local_date
from app.common import local_time, utcnow
from app.directory.models import (
    NEED_AREA_TAXONOMY,
    Location,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from app.directory.vocabulary import ServiceStatus
from app.extensions import db
from app.public.cards import format_code
from app.public.listing import (
    PhoneView,
    PlaceView,
    clock,
    hours_rows,
    locale_code,
    long_date,
    long_day,
    phone_views,
    place_view,
    status_text,
    translations_for,
)
from app.public.models import DischargeCard, DischargeCardEntry, ServiceTranslation
from app.public.wording import bring_items, pick
from app.referrals.vocabulary import ReferralStatus

LIVE_REFERRAL = (ReferralStatus.ACCEPTED, ReferralStatus.ENROLLED)


@dataclass
class Alternative:
    id: str
    name: str
    phones: list[PhoneView]
    place: PlaceView | None


@dataclass
class EntryView:
    service_id: str
    name: str
    organization: str
    place: PlaceView | None
    phones: list[PhoneView]
    hours: list[tuple[str, str]] | None
    bring: list[str]
    intake: str | None
    closed: str | None  # why it is closed, in words; None when open
    alternative: Alternative | None
    last_checked: str | None


@dataclass
class CardView:
    code: str  # formatted, with the dash
    url: str
    entries: list[EntryView] = field(default_factory=list)
    checked_on: str = ""
    expires_on: str = ""
    language: str = "en"


def public_card_url(code: str) -> str:
    """The address printed on the card (PUBLIC_BASE_URL, so it works from a phone)."""
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    return base + url_for("public.card", code=format_code(code))


def _intake_text(entry: DischargeCardEntry) -> str | None:
    referral = entry.referral
    if referral is None or referral.intake_at is None or referral.status not in LIVE_REFERRAL:
        return None
    moment = local_time(referral.intake_at)
    return _("%(day)s at %(time)s", day=long_day(moment.date()), time=clock(moment.time()))


def _bring(entry: DischargeCardEntry, tr: ServiceTranslation | None, language: str) -> list[str]:
    """The service's list (in the card's language where the provider gave it), then what the
    referral asked for (written for this person, in whatever language staff wrote it)."""
    english = [doc.document for doc in entry.service.required_documents]
    items = list(dict.fromkeys(bring_items(tr, english, language)))
    referral = entry.referral
    if referral is not None and referral.status in LIVE_REFERRAL and referral.what_to_bring:
        lines = (line.strip(" -•\t") for line in referral.what_to_bring.splitlines())
        items = list(dict.fromkeys([*items, *(line for line in lines if line)]))
    return items


def _closed_text(service: Service) -> str | None:
    if ServiceStatus(service.status) == ServiceStatus.ACTIVE:
        return None
    return status_text(service.status)


def find_alternative(service: Service, near: Location | None) -> Service | None:
    """An open service in the same (most specific) need area; same town first."""
    codes = sorted((t.code for t in service.need_areas if t.code), key=len, reverse=True)
    if not codes:
        return None
    term = select(TaxonomyTerm.id).where(
        TaxonomyTerm.taxonomy == NEED_AREA_TAXONOMY, TaxonomyTerm.code == codes[0]
    )
    candidates = db.session.scalars(
        select(Service)
        .where(
            Service.status == ServiceStatus.ACTIVE,
            Service.id != service.id,
            Service.taxonomy_terms.any(TaxonomyTerm.id.in_(term)),
        )
        .options(
            selectinload(Service.service_at_locations)
            .selectinload(ServiceAtLocation.location)
            .selectinload(Location.addresses),
            selectinload(Service.phones),
            selectinload(Service.organization),
        )
        .order_by(Service.name, Service.id)
        .limit(50)
    ).all()
    town = (near.town or "").lower() if near is not None else ""

    def order(candidate: Service) -> tuple:
        towns = {(loc.town or "").lower() for loc in candidate.locations}
        return (town not in towns, candidate.name.lower())

    return min(candidates, key=order, default=None)


def _alternative(service: Service, near: Location | None) -> Alternative | None:
    other = find_alternative(service, near)
    if other is None:
        return None
    location = other.locations[0] if other.locations else None
    language = locale_code()
    tr = translations_for([other.id], language).get(other.id)
    return Alternative(
        id=other.id,
        name=pick(tr, "name", other.name, language) or other.name,
        phones=phone_views(other, location),
        place=place_view(location) if location is not None else None,
    )


def _entry_view(
    entry: DischargeCardEntry, trs: dict[str, ServiceTranslation], language: str
) -> EntryView:
    service = entry.service
    tr = trs.get(service.id)
    location = entry.location or (service.locations[0] if service.locations else None)
    closed = _closed_text(service)
    verified = service.last_verified_at
    return EntryView(
        service_id=service.id,
        name=pick(tr, "name", service.name, language) or service.name,
        organization=service.organization.name,
        place=place_view(location) if location is not None else None,
        phones=phone_views(service, location),
        hours=hours_rows(service.schedules),
        bring=_bring(entry, tr, language),
        intake=None if closed else _intake_text(entry),
        closed=closed,
        alternative=_alternative(service, location) if closed else None,
        last_checked=long_date(local_date(verified)) if verified else None,
    )


def load_entries(card: DischargeCard) -> list[DischargeCardEntry]:
    """The card's entries with everything the views read, in a handful of queries."""
    return list(
        db.session.scalars(
            select(DischargeCardEntry)
            .where(DischargeCardEntry.card_id == card.id)
            .order_by(DischargeCardEntry.position)
            .options(
                selectinload(DischargeCardEntry.referral),
                selectinload(DischargeCardEntry.location).selectinload(Location.addresses),
                selectinload(DischargeCardEntry.location).selectinload(Location.phones),
                selectinload(DischargeCardEntry.service).selectinload(Service.organization),
                selectinload(DischargeCardEntry.service).selectinload(Service.phones),
                selectinload(DischargeCardEntry.service).selectinload(Service.schedules),
                selectinload(DischargeCardEntry.service).selectinload(Service.required_documents),
                selectinload(DischargeCardEntry.service).selectinload(Service.taxonomy_terms),
                selectinload(DischargeCardEntry.service)
                .selectinload(Service.service_at_locations)
                .selectinload(ServiceAtLocation.location)
                .selectinload(Location.addresses),
            )
        )
    )


def card_view(card: DischargeCard, now: datetime | None = None) -> CardView:
    now = now or utcnow()
    entries = load_entries(card)
    language = locale_code()
    trs = translations_for([e.service_id for e in entries], language)
    return CardView(
        code=format_code(card.code),
        url=public_card_url(card.code),
        entries=[_entry_view(entry, trs, language) for entry in entries],
        checked_on=long_date(local_date(now)),
        expires_on=long_date(local_date(card.expires_at)),
        language=card.language,
    )
