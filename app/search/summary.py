"""One line saying what a staff search asked, shown above its results with the form folded:
"Housing near Hartford, CT within 15 miles, with room now, will accept: on the registry, men".

The person's answers are spelled in the words of app.directory.vocabulary.PROFILE_FLAGS. The line
is shown on the staff page only (never in the page title, an address or a log).
"""

from __future__ import annotations

from typing import Any

from app.directory.eligibility import EligibilityProfile
from app.directory.vocabulary import PROFILE_FLAGS
from app.search.query import DEFAULT_RADIUS_MILES, SearchRequest


def _number(value: float) -> str:
    return f"{value:g}"


def profile_words(profile: EligibilityProfile) -> list[str]:
    """What is known about the person, in a few words each ("on the registry", "age 34")."""
    words = [w for flag in PROFILE_FLAGS if (w := flag.words(getattr(profile, flag.name)))]
    if profile.gender is not None:
        words.append(profile.gender.label.lower())
    if profile.age is not None:
        words.append(f"age {profile.age}")
    if profile.supervision is not None:
        words.append(profile.supervision.label.lower())
    if profile.town:
        words.append(f"residence in {profile.town}")
    if profile.county:
        county = profile.county.strip()
        words.append(county if county.lower().endswith(" county") else f"{county} County")
    if profile.documents is not None:
        count = len(profile.documents)
        words.append(
            "none of the documents asked"
            if not count
            else f"{count} document{'' if count == 1 else 's'}"
        )
    return words


def _who(request: SearchRequest, person: bool) -> str | None:
    if request.profile is None:
        return None
    words = ", ".join(profile_words(request.profile))
    if request.eligibility_mode == "show_all":
        lead = "marked for who would refuse"
    else:
        lead = "will accept"
    if person:
        lead += " this person"
    if not words:
        return lead
    return f"{lead}: {words}"


def search_summary(
    request: SearchRequest,
    area_names: dict[str, str],
    *,
    place: Any = None,
    person: bool = False,
    languages: dict[str, str] | None = None,
    district: str | None = None,
    hiding_barred: bool = False,
) -> str:
    """Plain words for what was asked; `person` when the profile came from a client record,
    `district` the parole district office filtering the search, `hiding_barred` when housing
    barred by residency rules is left out."""
    needs = [area_names.get(code, code) for code in request.need_areas]
    what = " or ".join(needs) if needs else "Any service"
    parts = [what]
    if request.text.strip():
        parts.append(f"matching “{request.text.strip()}”")
    if place is not None:
        radius = request.radius_miles or DEFAULT_RADIUS_MILES
        unit = "mile" if radius == 1 else "miles"
        parts.append(f"near {place.label} within {_number(radius)} {unit}")
    if request.town:
        parts.append(f"in {request.town}")
    if district:
        parts.append(f"in the towns of the {district}")
    line = " ".join(parts)
    extras = []
    if request.has_capacity:
        waitlist = " or a waitlist" if request.include_waitlist else ""
        extras.append(f"with room now{waitlist}")
    if request.open_now:
        extras.append("open now")
    if request.language:
        extras.append(f"speaking {(languages or {}).get(request.language, request.language)}")
    who = _who(request, person)
    if who:
        extras.append(who)
    if hiding_barred:
        extras.append("without housing barred by residency rules")
    return ", ".join([line, *extras])
