"""Which points lie within a radius, and how far: the hot loop of a geo search.

Points are kept as unit vectors (x, y, z); the straight-line chord between two of them grows with
their great-circle distance, so "within the radius" is three multiplications and a comparison.
Only a point near the edge is measured on the ellipsoid, and one within EDGE_MILES of it by
geodesic, so inclusion is exact.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

from app.search.geo import EARTH_RADIUS_MILES, EDGE_MILES, Place, distance_miles, ellipsoid_miles


def unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    phi, lam = math.radians(lat), math.radians(lon)
    return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)


def chord2(miles: float) -> float:
    """Squared straight-line distance between two points of the unit sphere `miles` apart
    along the great circle (of the mean Earth radius): it grows with the distance, so it
    compares like it, with three multiplications and no trigonometry."""
    return (2 * math.sin(min(math.pi, miles / EARTH_RADIUS_MILES) / 2)) ** 2


# A point's measured distance near the edge is a pure function of the place, the radius and
# the point; counselors search the same towns all day, so each (place, radius) keeps what it
# measured (a few hundred points each) for the next search around it.
EDGE_MEMO_PLACES = 256
_edge_memo: OrderedDict[tuple[float, float, float], dict] = OrderedDict()
_edge_memo_lock = threading.Lock()


def _edge_miles_of(lat: float, lon: float, radius: float) -> dict:
    key = (lat, lon, radius)
    with _edge_memo_lock:
        known = _edge_memo.get(key)
        if known is None:
            known = _edge_memo[key] = {}
            if len(_edge_memo) > EDGE_MEMO_PLACES:
                _edge_memo.popitem(last=False)
        else:
            _edge_memo.move_to_end(key)
        return known


class Distances:
    """Nearest point within the radius per key. The great-circle distance (haversine's, within
    0.5% of geodesic) comes from the chord between unit vectors; a point whose distance is within
    `edge` of the radius is measured on the ellipsoid, and geodesic decides one within
    EDGE_MILES of it, so inclusion is exact."""

    def __init__(self, place: Place, radius: float) -> None:
        self.origin = (place.lat, place.lon)
        self.vector = unit_vector(place.lat, place.lon)
        self.radius = radius
        self.edge = 0.006 * radius + 0.05
        self.outer2 = chord2(radius + self.edge)  # beyond this: surely outside
        self.inner2 = chord2(max(0.0, radius - self.edge))  # within this: surely inside
        self.nearest: dict[int, tuple[float, str]] = {}
        # many services share a point (one building, a town's centre): measure each point once
        self._edge_miles: dict[tuple[float, float], float | None] = _edge_miles_of(
            place.lat, place.lon, radius
        )

    def scan(
        self,
        groups: Iterable[list[tuple[int, str, float, float, float, float, float]]],
        offset: int = 0,
        deleted: Callable[[int], bool] | None = None,
    ) -> None:
        """Lists of (doc, location id, lat, lon, x, y, z) points; key = offset + doc. The hot
        loop of a geo search, so written for speed: no call per point outside the circle."""
        ox, oy, oz = self.vector
        outer2, inner2, nearest = self.outer2, self.inner2, self.nearest
        diameter, asin, sqrt = 2 * EARTH_RADIUS_MILES, math.asin, math.sqrt
        for points in groups:
            for doc, loc_id, lat, lon, x, y, z in points:
                dx, dy, dz = x - ox, y - oy, z - oz
                c2 = dx * dx + dy * dy + dz * dz
                if c2 > outer2 or (deleted is not None and deleted(doc)):
                    continue
                if c2 < inner2:
                    miles = diameter * asin(min(1.0, sqrt(c2) / 2))
                else:
                    miles = self._at_the_edge(lat, lon)
                    if miles is None:
                        continue
                key = offset + doc
                best = nearest.get(key)
                if best is None or miles < best[0]:
                    nearest[key] = (miles, loc_id)

    def _at_the_edge(self, lat: float, lon: float) -> float | None:
        known = self._edge_miles
        if (lat, lon) in known:
            return known[lat, lon]
        miles = ellipsoid_miles(self.origin, (lat, lon))
        if abs(miles - self.radius) <= EDGE_MILES:
            miles = distance_miles(self.origin, (lat, lon))
        known[lat, lon] = found = miles if miles <= self.radius else None
        return found
