"""Other services a counselor could try when a referral goes unanswered or is declined."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.clock import local_today
from app.common import utcnow
from app.directory.capacity import service_has_room
from app.directory.eligibility import Status, match
from app.directory.models import (
    NEED_AREA_TAXONOMY,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from app.directory.vocabulary import ServiceStatus
from app.extensions import db
from app.referrals.clients import client_profile

if TYPE_CHECKING:
    from app.referrals.models import Referral


def _need_area(referral: Referral) -> str | None:
    if referral.need_area_code:
        return referral.need_area_code
    codes = sorted((t.code for t in referral.service.need_areas if t.code), key=len, reverse=True)
    return codes[0] if codes else None  # the most specific area the service is in


def _town_point(town: str | None) -> tuple[float, float] | None:
    if not town:
        return None
    try:
        from app.search.geo import offline_lookup
    except ImportError:  # pragma: no cover - search package absent
        return None
    place = offline_lookup(town, current_app.config.get("DEFAULT_STATE", "CT"))
    return (place.lat, place.lon) if place else None


def _distance(service: Service, origin: tuple[float, float] | None) -> float | None:
    """Miles from the client's destination town to the service's nearest location."""
    if origin is None:
        return None
    from app.search.geo import haversine_miles

    points = [
        (loc.latitude, loc.longitude)
        for loc in service.locations
        if loc.latitude is not None and loc.longitude is not None
    ]
    return min((haversine_miles(origin, p) for p in points), default=None)


def suggest_alternatives(
    referral: Referral, limit: int = 3, today: date | None = None
) -> list[Service]:
    """Active services in the same need area, not ruled out for this person, with fresh room,
    nearest to where the person is going; never the referral's own service nor one the person
    was already referred to."""
    today = today or local_today()
    code = _need_area(referral)
    if code is None:
        return []
    already = {r.service_id for r in referral.client.referrals} | {referral.service_id}
    term_ids = select(TaxonomyTerm.id).where(
        TaxonomyTerm.taxonomy == NEED_AREA_TAXONOMY, TaxonomyTerm.code == code
    )
    candidates = db.session.scalars(
        select(Service)
        .where(
            Service.status == ServiceStatus.ACTIVE,
            Service.id.not_in(already),
            Service.taxonomy_terms.any(TaxonomyTerm.id.in_(term_ids)),
        )
        .options(
            selectinload(Service.eligibility_rules),
            selectinload(Service.capacities),
            selectinload(Service.organization),
            selectinload(Service.service_at_locations).selectinload(ServiceAtLocation.location),
        )
    ).all()
    profile = client_profile(referral.client, today)
    now = utcnow()
    fitting = [
        s
        for s in candidates
        if match(profile, s).status != Status.NOT_ELIGIBLE and service_has_room(s, now=now)
    ]
    origin = _town_point(referral.client.destination_town)

    def order(service: Service) -> tuple:
        miles = _distance(service, origin)
        return (miles is None, miles or 0.0, service.name.lower(), service.id)

    return sorted(fitting, key=order)[:limit]
