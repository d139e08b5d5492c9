"""Connecticut's parole district offices and the towns each covers: one vocabulary for the
conditions form, the staff search filter and the demo.

The five offices are named after the cities that host Connecticut's parole district offices;
the town lists are an invented but plausible mapping of the demo towns, not the Department of
Correction's official catchment areas.
"""

from __future__ import annotations

import enum


class District(enum.StrEnum):
    HARTFORD = "hartford"
    NEW_HAVEN = "new_haven"
    BRIDGEPORT = "bridgeport"
    WATERBURY = "waterbury"
    NORWICH = "norwich"

    @property
    def label(self) -> str:
        return DISTRICT_NAMES[self]

    @property
    def towns(self) -> tuple[str, ...]:
        return DISTRICT_TOWNS[self]


DISTRICT_NAMES: dict[District, str] = {
    District.HARTFORD: "Hartford district office",
    District.NEW_HAVEN: "New Haven district office",
    District.BRIDGEPORT: "Bridgeport district office",
    District.WATERBURY: "Waterbury district office",
    District.NORWICH: "Norwich district office",
}

DISTRICT_TOWNS: dict[District, tuple[str, ...]] = {
    District.HARTFORD: (
        "Hartford",
        "East Hartford",
        "West Hartford",
        "Manchester",
        "Enfield",
        "New Britain",
        "Bristol",
    ),
    District.NEW_HAVEN: (
        "New Haven",
        "West Haven",
        "Hamden",
        "Meriden",
        "Milford",
        "Ansonia",
        "Middletown",
    ),
    District.BRIDGEPORT: ("Bridgeport", "Stamford", "Norwalk", "Danbury"),
    District.WATERBURY: ("Waterbury", "Torrington"),
    District.NORWICH: ("Norwich", "New London", "Groton", "Willimantic", "Putnam"),
}


def district_of(town: str | None) -> District | None:
    """The office whose towns include this one (case-insensitive); None when none does."""
    wanted = (town or "").strip().casefold()
    for district, towns in DISTRICT_TOWNS.items():
        if any(t.casefold() == wanted for t in towns):
            return district
    return None


def parse_district(code: str | None) -> District | None:
    """None for blank; ValueError for an unknown code."""
    code = (code or "").strip()
    return District(code) if code else None
