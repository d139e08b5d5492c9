"""One line saying what a staff search asked, shown above its results with the form folded:
"Housing near Hartford, CT within 15 miles, with room now, for this person's profile"."""

from __future__ import annotations

from typing import Any

from app.search.query import DEFAULT_RADIUS_MILES, SearchRequest


def _number(value: float) -> str:
    return f"{value:g}"


def search_summary(
    request: SearchRequest,
    area_names: dict[str, str],
    *,
    place: Any = None,
    person: bool = False,
    languages: dict[str, str] | None = None,
) -> str:
    """Plain words for what was asked; `person` when the profile came from a client record."""
    needs = [area_names.get(code, code) for code in request.need_areas]
    what = " or ".join(needs) if needs else "Any service"
    parts = [what]
    if request.text.strip():
        parts.append(f"matching “{request.text.strip()}”")
    if place is not None:
        radius = request.radius_miles or DEFAULT_RADIUS_MILES
        parts.append(f"near {place.label} within {_number(radius)} miles")
    if request.town:
        parts.append(f"in {request.town}")
    line = " ".join(parts)
    extras = []
    if request.has_capacity:
        waitlist = " or a waitlist" if request.include_waitlist else ""
        extras.append(f"with room now{waitlist}")
    if request.open_now:
        extras.append("open now")
    if request.language:
        extras.append(f"speaking {(languages or {}).get(request.language, request.language)}")
    if person:
        extras.append("for this person's profile")
    elif request.profile is not None:
        extras.append("for the profile you entered")
    return ", ".join([line, *extras])
