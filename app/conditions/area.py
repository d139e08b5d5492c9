"""Is a service's town inside the area a person may not leave, or in a place they may not
enter? Pure: towns and counties compared case-insensitively, "Hartford County" matching by
county. A service whose town is unknown is said to be unknown, never silently fine.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class AreaCheck:
    outside_allowed: bool | None  # None: no allowed area, or the service's place is unknown
    excluded: bool
    message: str | None


def _norm(value: str | None) -> str:
    return " ".join((value or "").split()).casefold()


@cache
def _ct_counties() -> dict[str, str]:
    try:
        import zipcodes
    except ImportError:  # pragma: no cover - the package ships with the app
        return {}
    return {row["city"].casefold(): row["county"] for row in zipcodes.filter_by(state="CT")}


def county_of(town: str) -> str | None:
    """A Connecticut town's county ("Hartford County"), from the offline ZIP table."""
    return _ct_counties().get(_norm(town))


def _matches(place: str, town: str | None, county: str | None) -> bool:
    wanted = _norm(place)
    return wanted in {_norm(town), _norm(county)} - {""}


def check_area(
    town: str | None,
    county: str | None,
    allowed: list[str] | None,
    excluded: list[str] | None,
) -> AreaCheck:
    """The warning for a service in `town` (`county` looked up when not given)."""
    allowed, excluded = allowed or [], excluded or []
    if not allowed and not excluded:
        return AreaCheck(None, False, None)
    if not town and not county:
        return AreaCheck(None, False, "Where it is is not listed: check the person's area")
    county = county or (county_of(town) if town else None)
    banned = [place for place in excluded if _matches(place, town, county)]
    if banned:
        return AreaCheck(None, True, f"In a town the person may not enter ({banned[0]})")
    if not allowed:
        return AreaCheck(None, False, None)
    if any(_matches(place, town, county) for place in allowed):
        return AreaCheck(False, False, None)
    return AreaCheck(True, False, f"Outside the allowed area ({', '.join(allowed)})")
