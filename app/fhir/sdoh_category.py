"""ServiceRequest.category: the SDOH category (SDOHCCValueSetSDOHCategory) of a referral's need.

The profile's SDOHCC slice is bound (required) to the IG's category codes, which live in its
temporary code system. Each of our need areas (seed/need_areas.csv, one definition) maps to the
closest category; a sub-area may be more specific than its parent (emergency shelter is
homelessness, not housing instability). Need areas that are care rather than social need
(substance use, mental health, healthcare) and family support have no SDOH category of their
own: they get `sdoh-category-unspecified`, which the value set offers for exactly that.
"""

from __future__ import annotations

from typing import Any

SDOHCC_CATEGORY_SYSTEM = (
    "http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes"
)
UNSPECIFIED = "sdoh-category-unspecified"

# need area code (ours) -> SDOHCC category code
CATEGORY = {
    "housing": "housing-instability",
    "housing.emergency_shelter": "homelessness",
    "food": "food-insecurity",
    "employment": "employment-status",
    "transportation": "transportation-insecurity",
    "education": "educational-attainment",
    "entitlements": "financial-insecurity",
    "clothing": "material-hardship",
    "mentoring": "social-connection",
    "legal": "incarceration-status",
}
DISPLAY = {
    "housing-instability": "Housing Instability",
    "homelessness": "Homelessness",
    "food-insecurity": "Food Insecurity",
    "employment-status": "Employment Status",
    "transportation-insecurity": "Transportation Insecurity",
    "educational-attainment": "Educational Attainment",
    "financial-insecurity": "Financial Insecurity",
    "material-hardship": "Material Hardship",
    "social-connection": "Social Connection",
    "incarceration-status": "Incarceration Status",
    UNSPECIFIED: "SDOH Category Unspecified",
}


def category_code(need_area: str) -> str:
    """The SDOHCC category of one need area code (a sub-area falls back to its parent's)."""
    if need_area in CATEGORY:
        return CATEGORY[need_area]
    return CATEGORY.get(need_area.split(".", 1)[0], UNSPECIFIED)


def categories(need_areas: list[str]) -> list[dict[str, Any]]:
    """ServiceRequest.category entries, one per distinct category, in the order given."""
    codes: list[str] = []
    for area in need_areas:
        code = category_code(area)
        if code not in codes:
            codes.append(code)
    if len(codes) > 1 and UNSPECIFIED in codes:
        codes.remove(UNSPECIFIED)  # a known category says more than "unspecified"
    return [
        {"coding": [{"system": SDOHCC_CATEGORY_SYSTEM, "code": code, "display": DISPLAY[code]}]}
        for code in codes
    ]
