"""The public search as a phone shows it: what was asked, who it is for, and each result's
phone, space badge and distance.

"Who it's for" is a set of plain groups turned into one eligibility profile (app.directory.
eligibility): the search hides places whose rules refuse such a person (hide_ineligible), the
same rules counselors see. Places with no rule on the matter are kept: not saying is not
refusing.

- men / women: gender (both chosen: gender is not used);
- young adults: ages 18 to 24, refused only by an age limit that shuts out that whole range;
- families: a family brings children, so places that say they do not take families with
  children, and places that take adults only (an age limit that shuts out every age under 18),
  are hidden; places that say they take families say so on each result;
- veterans: a veteran (veterans-only places are kept; nothing else is hidden for it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app.directory.eligibility import EligibilityProfile
from app.directory.vocabulary import Gender
from app.templating import format_phone, tel_href

if TYPE_CHECKING:
    from app.public.search_cache import Asked, Minute, PublicPage
    from app.search import SearchRequest

PER_PAGE = 20

MEN, WOMEN, YOUNG_ADULTS, FAMILIES, VETERANS = (
    "men",
    "women",
    "young_adults",
    "families",
    "veterans",
)
WHO_FOR = {
    MEN: _l("Men"),
    WOMEN: _l("Women"),
    YOUNG_ADULTS: _l("Young adults (18 to 24)"),
    FAMILIES: _l("Families with children"),
    VETERANS: _l("Veterans"),
}
YOUNG_ADULT_AGES = (18, 24)
CHILD_AGES = (0, 17)

DISTANCE, BEST_MATCH = "distance", "relevance"
SORTS = {DISTANCE: _l("Distance"), BEST_MATCH: _l("Best match")}


def chosen_groups(values: Iterable[str]) -> list[str]:
    """The known groups among the values, in the form's order (unknown codes are ignored)."""
    given = set(values)
    return [code for code in WHO_FOR if code in given]


def profile_for(groups: Iterable[str]) -> EligibilityProfile | None:
    """One profile for the chosen groups; None when none is chosen (nothing is hidden)."""
    groups = set(groups)
    if not groups:
        return None
    genders = {gender for g, gender in ((MEN, Gender.MALE), (WOMEN, Gender.FEMALE)) if g in groups}
    ages = ((YOUNG_ADULTS, YOUNG_ADULT_AGES), (FAMILIES, CHILD_AGES))
    ranges = [r for g, r in ages if g in groups]
    age_range = (min(r[0] for r in ranges), max(r[1] for r in ranges)) if ranges else None
    return EligibilityProfile(
        gender=genders.pop() if len(genders) == 1 else None,
        age_range=age_range,
        veteran=True if VETERANS in groups else None,
        with_children=True if FAMILIES in groups else None,
    )


def sort_for(value: str, near: str) -> str:
    """Distance when a place is given (the default then), else best match."""
    if not near:
        return BEST_MATCH
    return value if value in SORTS else DISTANCE


# --- what each result shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    """A space badge: its meaning shows in its color, its icon and its words."""

    kind: str  # design.css badge meaning: ok, wait, stop, unknown
    icon: str  # templates/public/_icons.html
    text: Any


# Search capacity codes -> badge. A place that lists no figure shows none (many places, a food
# pantry or a legal clinic, have no "space" to speak of); an old figure says "call to ask".
BADGES = {
    "has_room": Badge("ok", "check", _l("Has space now")),
    "waitlist": Badge("wait", "clock", _l("Waiting list")),
    "full": Badge("stop", "cross", _l("Full right now")),
    "assessment_required": Badge("unknown", "question", _l("Call to ask about space")),
    "unknown": Badge("unknown", "question", _l("Space not known: call to ask")),
}


@dataclass(frozen=True)
class CallLink:
    display: str
    href: str


def call_links(results: Iterable[Any]) -> dict[str, CallLink]:
    """Service id -> the number to call, in one query: the service's own phone, else the
    shown location's, else the organization's (as on the service page); fax numbers never."""
    from app.directory.models import Phone
    from app.extensions import db

    results = list(results)
    if not results:
        return {}
    service_ids = {r.service_id for r in results}
    location_ids = {r.location.id for r in results if r.location is not None}
    org_ids = {r.organization_id for r in results if r.organization_id}
    rows = db.session.execute(
        select(Phone.service_id, Phone.location_id, Phone.organization_id, Phone.number)
        .where(Phone.type != "fax")
        .where(
            or_(
                Phone.service_id.in_(service_ids),
                Phone.location_id.in_(location_ids),
                Phone.organization_id.in_(org_ids),
            )
        )
        .order_by(Phone.id)
    ).all()
    first: dict[tuple[str, str], str] = {}
    for service_id, location_id, org_id, number in rows:
        for owner in (("s", service_id), ("l", location_id), ("o", org_id)):
            if owner[1] is not None:
                first.setdefault(owner, number)  # type: ignore[arg-type]
    out = {}
    for r in results:
        number = (
            first.get(("s", r.service_id))
            or (first.get(("l", r.location.id)) if r.location is not None else None)
            or first.get(("o", r.organization_id))
        )
        if number:
            out[r.service_id] = CallLink(format_phone(number), tel_href(number))
    return out


def link_args(args: Mapping[str, Any]) -> dict[str, Any]:
    """What other pages of these results carry: only what was asked."""
    return {k: v for k, v in args.items() if v}


# --- one page of results, for any visitor ---------------------------------------------------------


def search_request(asked: Asked) -> SearchRequest:
    from app.search import SearchRequest

    return SearchRequest(
        text=asked.text,
        near=asked.near or None,
        need_areas=[asked.need] if asked.need else [],
        profile=profile_for(asked.who),
        sort=asked.sort,
        page=asked.page,
        per_page=PER_PAGE,
    )


def public_page(
    asked: Asked | None, minute: Minute | None, areas: Callable[[], list[dict]]
) -> PublicPage:
    """What the results page shows for this search (None: the form alone), answered for the
    minute (open now at its start, freshness at its end) or, without one, for this moment."""
    from app.public.listing import locale_code, translations_for
    from app.public.search_cache import PublicPage
    from app.public.wording import worded
    from app.search import search

    if asked is None:
        return PublicPage(areas=areas())
    if minute is None:
        results = search(search_request(asked))
    else:
        results = search(search_request(asked), now=minute.end, moment=minute.start)
    # Each name in the page's language where the provider gave one, else marked as English.
    language = locale_code()
    found = translations_for([r.service_id for r in results.results])
    names = {
        r.service_id: worded(getattr(found.get(r.service_id), "name", None), r.name, language)
        for r in results.results
    }
    return PublicPage(areas(), results, names, call_links(results.results))
