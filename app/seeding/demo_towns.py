"""Connecticut towns for demo and synthetic data: county, real ZIPs and ZIP centroids.

Coordinates come from the `zipcodes` package (offline), so sample pins land in the right town
without any network call. Street addresses and phone numbers are invented; phone numbers stay
in the range reserved for fiction (555-0100..555-0199).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

import zipcodes

# Towns used by demo and synthetic data; each must have a STANDARD ZIP in `zipcodes`.
TOWNS: tuple[str, ...] = (
    "Hartford",
    "Bridgeport",
    "New Haven",
    "Waterbury",
    "New Britain",
    "Norwich",
    "Stamford",
    "Norwalk",
    "Danbury",
    "Middletown",
    "New London",
    "Meriden",
    "Bristol",
    "Manchester",
    "West Haven",
    "East Hartford",
    "Torrington",
    "Willimantic",
    "Hamden",
    "Enfield",
    "Groton",
    "Milford",
    "Ansonia",
    "Putnam",
)

STREETS: tuple[str, ...] = (
    "Main Street",
    "Elm Street",
    "Park Avenue",
    "Church Street",
    "Maple Avenue",
    "Grove Street",
    "Washington Street",
    "Franklin Avenue",
    "Chapel Street",
    "Union Street",
    "Broad Street",
    "Prospect Street",
    "Mill Street",
    "Bank Street",
    "Orchard Street",
    "Oak Street",
)

# Fairfield and New Haven counties use 203/475; the rest of the state 860/959.
_SOUTHWEST = {"Fairfield County", "New Haven County"}


@dataclass(frozen=True)
class Town:
    name: str
    county: str
    zips: tuple[tuple[str, float, float], ...]  # (zip, latitude, longitude), STANDARD only
    area_codes: tuple[str, str]


@cache
def ct_towns() -> dict[str, Town]:
    """Every town in TOWNS with its county and ZIP centroids (one `zipcodes` scan, cached)."""
    by_city: dict[str, list[dict]] = {}
    for row in zipcodes.filter_by(state="CT"):
        if row["zip_code_type"] == "STANDARD" and row["city"] in TOWNS:
            by_city.setdefault(row["city"], []).append(row)
    towns = {}
    for name in TOWNS:
        rows = sorted(by_city[name], key=lambda r: r["zip_code"])
        county = rows[0]["county"]
        towns[name] = Town(
            name=name,
            county=county,
            zips=tuple((r["zip_code"], float(r["lat"]), float(r["long"])) for r in rows),
            area_codes=("203", "475") if county in _SOUTHWEST else ("860", "959"),
        )
    return towns


@dataclass(frozen=True)
class Place:
    town: str
    county: str
    street: str
    postal_code: str
    latitude: float
    longitude: float


def invent_place(town_name: str, rng: random.Random) -> Place:
    """An invented street address on a real ZIP of the town, near that ZIP's centroid."""
    town = ct_towns()[town_name]
    postal_code, lat, lon = town.zips[rng.randrange(len(town.zips))]
    return Place(
        town=town_name,
        county=town.county,
        street=f"{rng.randint(10, 990)} {STREETS[rng.randrange(len(STREETS))]}",
        postal_code=postal_code,
        latitude=round(lat + rng.uniform(-0.006, 0.006), 6),
        longitude=round(lon + rng.uniform(-0.006, 0.006), 6),
    )


def fictional_phone(town_name: str, n: int) -> str:
    """A phone number in the range reserved for fiction: (AAA) 555-0100..555-0199."""
    area = ct_towns()[town_name].area_codes[(n // 100) % 2]
    return f"({area}) 555-01{n % 100:02d}"
