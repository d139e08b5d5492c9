"""The residency verdict for one housing location and one person: which rules hold there,
whether a restricted site lies within a rule's distance, and the phrase staff read.

Pure functions over the index (index.py) so tests and the bench call them directly.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from app.residency.geometry import BAND, Plane, geodesic_ft, nearest
from app.residency.index import Rule, Site, SiteIndex
from app.residency.vocabulary import AppliesTo, Level, SiteKind


class Outcome(enum.StrEnum):
    BARRED = "barred"
    CLEAR = "clear"
    NO_RULE = "no_rule"  # no rule covers this town or county
    NO_POSITION = "no_position"  # the location has no coordinates


@dataclass(frozen=True)
class Where:
    """A housing location: its position and the places a rule's jurisdiction names."""

    latitude: float | None
    longitude: float | None
    town: str | None = None
    county: str | None = None


@dataclass(frozen=True)
class Bar:
    rule: Rule
    site: Site
    feet: float


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    bars: tuple[Bar, ...] = ()  # nearest first (all of them only with check(every=True))
    rules: tuple[Rule, ...] = ()  # the rules that hold at the location

    @property
    def barred(self) -> bool:
        return self.outcome is Outcome.BARRED

    @property
    def phrase(self) -> str:
        """One compact line: "about 640 ft from school Elm Street School — barred under …"."""
        if self.outcome is Outcome.BARRED:
            bar = self.bars[0]
            where = "inside" if bar.feet == 0 else f"about {feet_words(bar.feet)} from"
            site = f"{bar.site.kind.label} {bar.site.name}"
            return f"{where} {site} — barred under {bar.rule.name}"
        if self.outcome is Outcome.CLEAR:
            return "no " + " or ".join(_limits(self.rules))
        if self.outcome is Outcome.NO_RULE:
            return "no residency rule covers this place"
        return "not checked: no map position for this place"

    @property
    def sentence(self) -> str:
        """The phrase with a capital first letter (names keep their own case)."""
        text = self.phrase
        return text[:1].upper() + text[1:]


def feet_words(feet: float) -> str:
    """About-figures: to 10 ft under 1,000 ft, to 50 ft above."""
    step = 10 if feet < 1000 else 50
    return f"{max(step, round(feet / step) * step):,} ft"


def _limits(rules: tuple[Rule, ...]) -> list[str]:
    """ "restricted site within 1,000 ft" when every kind has one limit and all kinds are
    covered; otherwise per kind: "school within 1,000 ft", "park within 2,000 ft"."""
    widest: dict[SiteKind, int] = {}
    for rule in rules:
        for kind in rule.kinds:
            widest[kind] = max(widest.get(kind, 0), rule.distance_ft)
    distances = set(widest.values())
    if len(distances) == 1 and len(widest) >= 3:  # three kinds or more: say it short
        return [f"restricted site within {distances.pop():,} ft"]
    by_distance: dict[int, list[SiteKind]] = {}
    for kind in SiteKind:
        if kind in widest:
            by_distance.setdefault(widest[kind], []).append(kind)
    return [
        f"{' or '.join(k.label for k in kinds)} within {feet:,} ft"
        for feet, kinds in sorted(by_distance.items())
    ]


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b) and a.strip().casefold() == b.strip().casefold()  # type: ignore[union-attr]


def _county(name: str | None) -> str | None:
    """ "Hartford County" and "Hartford" name the same county."""
    if not name:
        return None
    name = name.strip()
    return name[: -len(" county")] if name.casefold().endswith(" county") else name


def holds_at(rule: Rule, where: Where) -> bool:
    """A state rule holds everywhere (one network, one state); a county or town rule where
    the location's county or town is the one it names ("Hartford County" or "Hartford")."""
    if rule.level == Level.STATE:
        return True
    if rule.level == Level.COUNTY:
        return _same(_county(rule.jurisdiction), _county(where.county))
    return _same(rule.jurisdiction, where.town)


def covers(rule: Rule, on_registry: bool) -> bool:
    """Does the rule cover this person? (AppliesTo: one test per member.)"""
    if rule.applies_to == AppliesTo.REGISTRY:
        return on_registry
    return False


def check(
    index: SiteIndex, where: Where, on_registry: bool = True, *, every: bool = False
) -> Verdict:
    """The verdict for one location: the rules holding there that cover the person, and the
    nearest site that bars it. Candidates are measured nearest box first and the search stops
    once no box left can be nearer than the nearest bar found (`every=True` measures them all
    and lists every bar: for tests and the bench's baseline)."""
    rules = tuple(r for r in index.rules if covers(r, on_registry) and holds_at(r, where))
    if not rules:
        return Verdict(Outcome.NO_RULE)
    if where.latitude is None or where.longitude is None:
        return Verdict(Outcome.NO_POSITION, rules=rules)
    lat, lon = where.latitude, where.longitude
    plane = Plane(lat, lon)
    limits_of: dict[SiteKind, list[Rule]] = {}
    for rule in rules:
        for kind in rule.kinds:
            limits_of.setdefault(kind, []).append(rule)
    widest_of = {k: max(r.distance_ft for r in v) * (1 + BAND) for k, v in limits_of.items()}
    # The box test inlined (see Plane.box_feet): most candidates stop here.
    east_low = (plane.east - abs(plane.d_east) * index.cell_lat * 3) * 0.999
    north_low = plane.north * 0.999
    candidates = []
    for site in index.near(lat, lon):
        widest = widest_of.get(site.kind)
        if widest is None:
            continue
        min_lat, min_lon, max_lat, max_lon = site.bbox
        dlat = (
            min_lat - lat if min_lat > lat else lat - max_lat if lat > max_lat else 0.0
        ) * north_low
        dlon = (
            min_lon - lon if min_lon > lon else lon - max_lon if lon > max_lon else 0.0
        ) * east_low
        low = dlat * dlat + dlon * dlon
        if low <= widest * widest:
            candidates.append((low, widest, site))
    candidates.sort(key=lambda c: c[0])
    bars: list[Bar] = []
    best = math.inf  # squared feet to the nearest bar so far
    for low, widest, site in candidates:
        if low > best and not every:
            break  # no site left can be nearer than the nearest bar
        point = site.shape.point
        if point is not None:  # most sites: the plane's distance, inlined
            plon, plat = point
            half = (plat - lat) / 2
            x = (plon - lon) * (plane.east + plane.d_east * half)
            y = (plat - lat) * (plane.north + plane.d_north * half)
            feet = math.sqrt(x * x + y * y)
        else:
            feet, (plon, plat) = nearest(plane, site.shape)
        if feet > widest:
            continue
        exact = None
        for rule in limits_of[site.kind]:
            measured = feet
            if feet > 0 and abs(feet - rule.distance_ft) <= rule.distance_ft * BAND:
                exact = exact if exact is not None else geodesic_ft(lat, lon, plat, plon)
                measured = exact  # near the limit: geodesic decides
            if measured <= rule.distance_ft:
                bars.append(Bar(rule, site, measured))
                best = min(best, measured * measured)
    if not bars:
        return Verdict(Outcome.CLEAR, rules=rules)
    bars.sort(key=lambda b: (b.feet, b.rule.distance_ft, b.site.name))
    return Verdict(Outcome.BARRED, tuple(bars), rules)
