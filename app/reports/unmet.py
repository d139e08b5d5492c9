"""Unmet need: searches that found nothing, and referrals declined for no room or eligibility.

Counted by the database per top-level need area and per town. Zero-result searches keep their
need areas as a JSON list, so each need area is a filtered count on the list's text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import String, case, cast, distinct, func, literal, or_, select

from app.directory.models import (
    Address,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    TaxonomyTerm,
    service_taxonomy_term,
)
from app.directory.taxonomy import NEED_AREA_TAXONOMY
from app.directory.vocabulary import CapacityStatus, ServiceStatus
from app.extensions import db
from app.referrals.models import Referral
from app.referrals.vocabulary import DeclineReason
from app.referrals.vocabulary import ReferralStatus as S
from app.reports.measures import Filters, count_if, need_area_condition, referral_conditions
from app.search.models import ZeroResultSearch

UNMET_REASONS = (DeclineReason.NO_CAPACITY.value, DeclineReason.NOT_ELIGIBLE.value)
UNKNOWN = "(not given)"


@dataclass
class UnmetNeed:
    searches_by_need: dict[str, int] = field(default_factory=dict)
    searches_by_town: dict[str, int] = field(default_factory=dict)
    # (need area or town, reason code) -> count
    declines_by_need: dict[tuple[str, str], int] = field(default_factory=dict)
    declines_by_town: dict[tuple[str, str], int] = field(default_factory=dict)


def compute_unmet(filters: Filters, top_codes: list[str]) -> UnmetNeed:
    result = UnmetNeed()
    in_range = [
        ZeroResultSearch.at >= filters.start_at,
        ZeroResultSearch.at < filters.end_before,
    ]
    if filters.town:
        in_range.append(func.lower(ZeroResultSearch.town) == filters.town.strip().lower())
    text = cast(ZeroResultSearch.need_areas, String)
    if top_codes:
        counts = db.session.execute(
            select(
                *(
                    count_if(or_(text.like(f'%"{code}"%'), text.like(f'%"{code}.%')))
                    for code in top_codes
                )
            ).where(*in_range)
        ).one()
        result.searches_by_need = dict(zip(top_codes, (int(n) for n in counts), strict=True))
    rows = db.session.execute(
        select(ZeroResultSearch.town, func.count())
        .where(*in_range)
        .group_by(ZeroResultSearch.town)
        .order_by(func.count().desc())
    )
    result.searches_by_town = {town or UNKNOWN: n for town, n in rows}

    declined = [
        *referral_conditions(filters),
        Referral.status == S.DECLINED,
        Referral.reason_code.in_(UNMET_REASONS),
    ]
    whens = [(need_area_condition(Referral.need_area_code, c), c) for c in top_codes]
    top = case(*whens, else_=UNKNOWN) if whens else literal(UNKNOWN)
    rows = db.session.execute(
        select(top, Referral.reason_code, func.count())
        .where(*declined)
        .group_by(top, Referral.reason_code)
    )
    result.declines_by_need = {(need, reason): n for need, reason, n in rows}
    chosen = (
        select(func.min(Address.city))
        .where(Address.location_id == Referral.location_id, Address.address_type == "physical")
        .scalar_subquery()
    )
    of_service = (
        select(func.min(Address.city))
        .join(ServiceAtLocation, ServiceAtLocation.location_id == Address.location_id)
        .where(
            ServiceAtLocation.service_id == Referral.service_id, Address.address_type == "physical"
        )
        .scalar_subquery()
    )
    towns = (
        select(func.coalesce(chosen, of_service, UNKNOWN).label("town"), Referral.reason_code)
        .where(*declined)
        .subquery()
    )
    rows = db.session.execute(
        select(towns.c.town, towns.c.reason_code, func.count())
        .group_by(towns.c.town, towns.c.reason_code)
        .order_by(towns.c.town)
    )
    result.declines_by_town = {(t, reason): n for t, reason, n in rows}
    return result


def full_or_stale_services(top_codes: list[str], now: datetime) -> dict[str, tuple[int, int]]:
    """need area -> (active services now full, active services with an old capacity figure).

    "Full" means a fresh figure says no room; an old figure is "stale" (treated as unknown).
    A service tagged with two need areas counts once in each.
    """
    if not top_codes:
        return {}
    stale_before = now - timedelta(days=int(current_app.config.get("CAPACITY_STALE_DAYS", 14)))
    full = (
        select(ServiceCapacity.id)
        .where(
            ServiceCapacity.service_id == Service.id,
            ServiceCapacity.updated >= stale_before,
            ServiceCapacity.status == CapacityStatus.NO_CAPACITY,
        )
        .exists()
    )
    stale = (
        select(ServiceCapacity.id)
        .where(ServiceCapacity.service_id == Service.id, ServiceCapacity.updated < stale_before)
        .exists()
    )
    whens = [(need_area_condition(TaxonomyTerm.code, c), c) for c in top_codes]
    top = case(*whens, else_=UNKNOWN)
    rows = db.session.execute(
        select(
            top,
            func.count(distinct(case((full, Service.id)))),
            func.count(distinct(case((stale, Service.id)))),
        )
        .select_from(Service)
        .join(service_taxonomy_term, service_taxonomy_term.c.service_id == Service.id)
        .join(TaxonomyTerm, TaxonomyTerm.id == service_taxonomy_term.c.taxonomy_term_id)
        .where(TaxonomyTerm.taxonomy == NEED_AREA_TAXONOMY, Service.status == ServiceStatus.ACTIVE)
        .group_by(top)
    )
    return {code: (int(f), int(s)) for code, f, s in rows if code != UNKNOWN}
