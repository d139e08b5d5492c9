"""Searches that found nothing, kept for the unmet-need reports: the words and filters only.

Never the eligibility profile, never who searched, never what a person typed about themselves:
`near` is kept only as a ZIP code or a town the offline geocoder recognises ("Jane Doe, 14 Elm
Street" and "Apt 3, …" keep nothing but their ZIP, if any), "lat,lon" to one decimal (about 7
miles), and the town filter only when it names a known town. Anonymous searches (public page,
API) may add at most ZERO_RESULT_LOG_RATE_LIMIT rows per address, so nobody can flood the report.
"""

from __future__ import annotations

import logging
import re

from flask import current_app, has_app_context
from limits import parse

from app.extensions import db, limiter
from app.search.geo import known_town, offline_lookup
from app.search.models import ZeroResultSearch
from app.search.query import SearchRequest

_ZIP = re.compile(r"(?:^|[\s,])(\d{5})(?:-\d{4})?\s*$")
_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
DEFAULT_RATE_LIMIT = "20 per hour"

log = logging.getLogger(__name__)


def coarse_place(near: str | None, default_state: str = "CT") -> str | None:
    """What of `near` may be kept: its ZIP, a known town ("Hartford, CT") or rounded lat,lon."""
    text = " ".join((near or "").split())
    if not text:
        return None
    match = _LATLON.match(text)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return f"{lat:.1f},{lon:.1f}"
        return None
    place = offline_lookup(text, default_state)
    if place is None:
        return None
    zip_match = _ZIP.search(text)
    if zip_match:
        return zip_match.group(1)
    return place.label[:100]


def _allowed(throttle_key: str | None) -> bool:
    """False once this address has used up its share of zero-result rows."""
    if throttle_key is None:
        return True
    rule = DEFAULT_RATE_LIMIT
    if has_app_context():
        rule = current_app.config.get("ZERO_RESULT_LOG_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    try:
        return limiter.limiter.hit(parse(rule), "zero-result-log", throttle_key)
    except Exception:  # noqa: BLE001 - the limiter's storage (Redis) is down: any of its errors
        # The search still answers; while the counter cannot be kept, anonymous zero-result rows
        # are not written (an outage loses a few unmet-need rows, never lets a flood in).
        log.warning("zero-result log skipped: the rate-limit storage did not answer")
        return False


def record_zero_result(
    request: SearchRequest, source: str, *, throttle_key: str | None = None
) -> ZeroResultSearch | None:
    """Add (not commit) one row; None once an anonymous `throttle_key` is over its limit."""
    if not _allowed(throttle_key):
        return None
    state = current_app.config.get("DEFAULT_STATE", "CT") if has_app_context() else "CT"
    filters = {
        "near": coarse_place(request.near, state),
        "radius_miles": request.radius_miles if request.near else None,
        "has_capacity": request.has_capacity,
        "include_waitlist": request.include_waitlist,
        "open_now": request.open_now,
        "language": request.language,
        "eligibility_filter": request.profile is not None,
    }
    row = ZeroResultSearch(
        query_text=(request.text or "").strip()[:200] or None,
        need_areas=list(request.need_areas),
        town=known_town(request.town),
        filters={k: v for k, v in filters.items() if v not in (None, False)},
        source=source,
    )
    db.session.add(row)
    db.session.flush()
    return row
