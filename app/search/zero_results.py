"""Searches that found nothing, kept for the unmet-need reports: the words and filters only.

Never the eligibility profile, never who searched, never a street address: a `near` that looks
like one is cut down to its ZIP code, and "lat,lon" to one decimal (about 7 miles).
"""

from __future__ import annotations

import re

from app.extensions import db
from app.search.models import ZeroResultSearch
from app.search.query import SearchRequest

_STREET = re.compile(r"^\s*\d+\s+\S+")
_ZIP = re.compile(r"(\d{5})(?:-\d{4})?\s*$")
_LATLON = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


def coarse_place(near: str | None) -> str | None:
    """What of `near` may be kept: a town or ZIP as typed; a street address only as its ZIP."""
    text = (near or "").strip()
    if not text:
        return None
    match = _LATLON.match(text)
    if match:
        return f"{float(match.group(1)):.1f},{float(match.group(2)):.1f}"
    if _STREET.match(text):
        zip_match = _ZIP.search(text)
        return zip_match.group(1) if zip_match else None
    return text[:100]


def record_zero_result(request: SearchRequest, source: str) -> ZeroResultSearch:
    """Add (not commit) one row; the view commits."""
    filters = {
        "near": coarse_place(request.near),
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
        town=(request.town or "").strip()[:100] or None,
        filters={k: v for k, v in filters.items() if v not in (None, False)},
        source=source,
    )
    db.session.add(row)
    db.session.flush()
    return row
