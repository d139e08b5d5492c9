""" "Find a place" for a plan item: where in the directory each kind of item is looked for, and
the staff search that one click from the plan opens.

The person's eligibility profile and destination town are read from the client record on the
server, never put in an address: the link carries the client's and the item's ids, and "near
where the person is going" travels as `at_destination=1`, which only the server turns into the
town. The defaults are applied only when the search is opened from the plan (nothing but those
ids in the query); once the counselor edits the search, what they chose stands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from werkzeug.datastructures import MultiDict

from app.plans.vocabulary import ItemKind

if TYPE_CHECKING:
    from app.plans.models import PlanItem
    from app.referrals.models import Client

# Plan item kind -> the directory's need-area codes (seed/need_areas.csv) a place is found in.
# Kinds missing here (discharge funds, DNA / sex-offender registration, other) are arranged with
# the facility or the authorities, not with a provider from the directory: no "Find a place".
NEED_AREAS_FOR: dict[ItemKind, tuple[str, ...]] = {
    ItemKind.HOUSING: ("housing",),
    ItemKind.EMPLOYMENT: ("employment",),
    ItemKind.TREATMENT: ("substance_use", "mental_health", "healthcare"),
    ItemKind.BENEFITS: ("entitlements",),
    ItemKind.ID_DOCUMENTS: ("entitlements",),
    ItemKind.MENTORING: ("mentoring",),
    ItemKind.FAMILY: ("family",),
    ItemKind.TRANSPORTATION: ("transportation",),
    ItemKind.CLOTHING: ("clothing",),
}

# Miles around the destination town: about one bus ride in Connecticut's cities. One number;
# change it here (it must be one of app.search.forms.RADIUS_CHOICES to show in the form).
FIND_RADIUS_MILES = 15

# Kinds where a place is only useful if it has room now (a bed): the search starts with
# "Has room now" ticked, and the hidden line says how many were left out for having none.
ROOM_KINDS: frozenset[ItemKind] = frozenset({ItemKind.HOUSING})

# "Near where the person is going": the town stays on the server.
AT_DESTINATION = "at_destination"

# Query parameters that mean the counselor has already shaped the search themselves.
SEARCH_KEYS = (
    AT_DESTINATION,
    "q",
    "near",
    "radius_miles",
    "need",
    "has_capacity",
    "include_waitlist",
    "open_now",
    "language",
    "town",
    "sort",
    "eligibility_mode",
)


def need_areas_for(kind: ItemKind) -> tuple[str, ...]:
    return NEED_AREAS_FOR.get(kind, ())


def can_find_place(item: PlanItem) -> bool:
    """An open item of a kind the directory serves gets a "Find a place" link."""
    return item.status.is_open and bool(need_areas_for(item.kind))


def prefilled(args: MultiDict[str, str], client: Client, item: PlanItem | None) -> MultiDict:
    """The search as asked; opened from the plan (no search parameter yet): the item's need
    areas, near the person's destination town within FIND_RADIUS_MILES, and "has room now"
    for the kinds that need a bed. Codes or towns the directory does not know are left out."""
    if any(key in args for key in SEARCH_KEYS):
        return args
    from app.directory.taxonomy import need_area_by_code

    out: MultiDict[str, Any] = MultiDict(args)
    if item is not None:
        for code in need_areas_for(item.kind):
            if need_area_by_code(code) is not None:
                out.add("need", code)
        if item.kind in ROOM_KINDS:
            out["has_capacity"] = "1"
    if destination(client) is not None:
        out[AT_DESTINATION] = "1"
        out["radius_miles"] = str(FIND_RADIUS_MILES)
    return out


def destination(client: Client) -> str | None:
    """The person's destination town when the search can place it on the map."""
    from app.search.geo import resolve_place

    town = (client.destination_town or "").strip()
    return town if town and resolve_place(town) is not None else None


def with_destination(args: MultiDict[str, str], client: Client) -> MultiDict:
    """What the search runs on: `at_destination=1` (and no place typed) becomes the town, here
    on the server only; pages and links keep the parameter, never the town."""
    if args.get(AT_DESTINATION) != "1" or (args.get("near") or "").strip():
        return args
    out: MultiDict[str, Any] = MultiDict(args)
    out["near"] = (client.destination_town or "").strip()
    return out


def referral_need_area(item: PlanItem, service_codes: list[str]) -> str:
    """The referral's need area: the service's most specific area inside the item's areas
    ("housing.transitional" for a housing item), else its most specific one, else none."""
    codes = sorted(service_codes, key=len, reverse=True)
    wanted = need_areas_for(item.kind)
    inside = [c for c in codes if any(c == a or c.startswith(a + ".") for a in wanted)]
    return (inside or codes or [""])[0]
