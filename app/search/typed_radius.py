"""A radius typed into the place box ("Hartford within 15 miles", "15 mi of 06103") moves to the
radius field, so the place is found and the next search keeps the radius that was asked for.

Only the staff page reads this; the query string it gives back is the whole search, as before.
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.datastructures import MultiDict

_NUMBER = r"(?P<miles>\d{1,3}(?:\.\d+)?)"
_UNIT = r"\s*(?:mi|mile|miles)\.?"
# "Hartford 15 mi", "Hartford, within 15 miles", "06103 (10 miles)"
_AFTER = re.compile(rf"^(?P<place>.*?\S)[\s,;(]+(?:within\s+)?{_NUMBER}{_UNIT}\)?$", re.IGNORECASE)
# "within 15 miles of Hartford", "15 mi from 06103", "10 miles around New Haven"
_BEFORE = re.compile(
    rf"^(?:within\s+)?{_NUMBER}{_UNIT}\s+(?:of|from|around|near)\s+(?P<place>\S.*)$",
    re.IGNORECASE,
)


def split_radius(text: str) -> tuple[str, str | None]:
    """(the place, the radius in miles as typed, or None when none was typed)."""
    text = (text or "").strip()
    match = _AFTER.match(text) or _BEFORE.match(text)
    if match is None:
        return text, None
    place = match.group("place").strip(" ,;")
    miles = float(match.group("miles"))
    if not place or miles <= 0:
        return text, None
    return place, f"{miles:g}"


def radius_from_place(args: Any) -> Any:
    """The query string with a radius typed in `near` moved to `radius_miles` (the typed one
    wins over the menu: it was written on purpose, the menu always sends something)."""
    place, miles = split_radius(args.get("near", ""))
    if miles is None:
        return args
    out: MultiDict[str, Any] = MultiDict(args)
    out["near"] = place
    out["radius_miles"] = miles
    return out
