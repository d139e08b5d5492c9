"""The spatial index of restricted sites: a grid of lat/lon cells at least as large as the
longest rule distance, so the sites that can bar a location are those whose bounding box
touches its cell or one of the eight around it.

Built once per process from the tables and kept until the content version of the "residency"
scope changes (any write to restricted_site or residency_rule, on any server sharing the
database): one primary-key read per check decides whether the copy is still right.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from app import content_version
from app.extensions import db
from app.residency.geometry import Shape, parse_geojson
from app.residency.models import SCOPE, ResidencyRule, RestrictedSite
from app.residency.vocabulary import SiteKind

FEET_PER_DEGREE_LAT = 362_000  # the fewest feet in a degree of latitude (at the equator: 362,776)
MIN_CELL_FT = 500


@dataclass(frozen=True)
class Site:
    id: str
    kind: SiteKind
    name: str
    town: str | None
    shape: Shape
    bbox: tuple[float, float, float, float]  # min_lat, min_lon, max_lat, max_lon


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    level: str
    jurisdiction: str
    kinds: frozenset[SiteKind]
    distance_ft: int
    applies_to: str


@dataclass
class SiteIndex:
    """Sites in grid cells; `near(lat, lon)` gives every site that could be within cell_ft."""

    cell_ft: float
    cell_lat: float
    cell_lon: float
    sites: list[Site] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    cells: dict[tuple[int, int], list[Site]] = field(default_factory=dict)

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / self.cell_lat), math.floor(lon / self.cell_lon)

    def near(self, lat: float, lon: float) -> list[Site]:
        """Every site filed in the location's cell or the eight around it (each once)."""
        return self.cells.get(self._cell(lat, lon), [])


def build(sites: list[Site], rules: list[Rule]) -> SiteIndex:
    """Cells sized to the longest active rule distance (in degrees, safe at every latitude
    the sites reach); each site is filed in every cell its bounding box overlaps and in the
    cells around those, so a location's own cell lists every site that could bar it."""
    cell_ft = max([MIN_CELL_FT, *(r.distance_ft for r in rules)])
    top = max([40.0, *(abs(s.bbox[0]) for s in sites), *(abs(s.bbox[2]) for s in sites)])
    cell_lat = cell_ft / FEET_PER_DEGREE_LAT
    cell_lon = cell_lat / math.cos(math.radians(min(top + 0.5, 89.0)))
    index = SiteIndex(cell_ft, cell_lat, cell_lon, sites=sites, rules=rules)
    cells: dict[tuple[int, int], list[Site]] = defaultdict(list)
    for site in sites:
        r0, c0 = index._cell(site.bbox[0], site.bbox[1])
        r1, c1 = index._cell(site.bbox[2], site.bbox[3])
        for r in range(r0 - 1, r1 + 2):  # and the ring of cells around: one lookup a check
            for c in range(c0 - 1, c1 + 2):
                cells[(r, c)].append(site)
    index.cells = dict(cells)
    return index


def load() -> SiteIndex:
    """Every site and every active rule, from the database."""
    sites = [
        Site(
            row.id,
            row.kind,
            row.name,
            row.town,
            parse_geojson(row.geometry),
            (row.min_lat, row.min_lon, row.max_lat, row.max_lon),
        )
        for row in db.session.execute(
            select(
                RestrictedSite.id,
                RestrictedSite.kind,
                RestrictedSite.name,
                RestrictedSite.town,
                RestrictedSite.geometry,
                RestrictedSite.min_lat,
                RestrictedSite.min_lon,
                RestrictedSite.max_lat,
                RestrictedSite.max_lon,
            )
        )
    ]
    rules = [
        Rule(
            r.id,
            r.name,
            r.level.value,
            r.jurisdiction,
            frozenset(r.site_kinds),
            r.distance_ft,
            r.applies_to.value,
        )
        for r in db.session.scalars(select(ResidencyRule).where(ResidencyRule.active.is_(True)))
    ]
    return build(sites, rules)


_lock = threading.Lock()
_cached: dict[str, tuple[tuple, SiteIndex]] = {}  # database url -> (token, index)


def current() -> SiteIndex:
    """The index for the tables as they are now (rebuilt when their content version moved)."""
    token = content_version.read([SCOPE])
    key = str(db.engine.url)
    with _lock:
        hit = _cached.get(key)
    if hit is not None and hit[0] == token:
        return hit[1]
    index = load()
    if SCOPE in content_version.pending(db.session):
        return index  # this transaction changed the tables: not committed, not to be shared
    with _lock:
        _cached[key] = (token, index)
    return index


def forget() -> None:
    with _lock:
        _cached.clear()
