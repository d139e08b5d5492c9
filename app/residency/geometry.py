"""Distances from a housing location to a restricted site, offline and exact at the boundary.

Shapes are GeoJSON (lon, lat). A point site is a point; a polygon site is as near as its
nearest EDGE (not its center), and 0 when the location is inside it (ray casting; holes count
as outside). Distances under a mile are measured on a local tangent plane with the WGS84
ellipsoid's radii of curvature at the mid latitude, well under a foot from geopy's geodesic
there (tested); a verdict whose distance falls within `BAND` of a rule's limit is decided by
`geopy.distance.geodesic` itself, so "999 ft" and "1,001 ft" come out right.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from geopy.distance import geodesic

A = 6378137.0  # WGS84 semi-major axis, meters
E2 = 6.69437999014e-3  # WGS84 first eccentricity squared
FEET_PER_METER = 1 / 0.3048
BAND = 0.005  # within 0.5 % of a limit: ask geodesic

LonLat = tuple[float, float]
Ring = list[LonLat]
Polygon = list[Ring]  # outer ring first, then holes


class GeometryError(ValueError):
    """A shape we cannot use; the message names what is wrong."""


@dataclass(frozen=True)
class Shape:
    """A parsed site shape: one point, or polygons (each a list of rings)."""

    point: LonLat | None = None
    polygons: tuple[Polygon, ...] = ()
    # Per polygon, for speed: its outer ring's box, its center and scale (feet per degree
    # east and north there), and each edge on that flat frame with its corners in degrees.
    prepared: tuple = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        per_degree = math.radians(1) * FEET_PER_METER
        prepared = []
        for polygon in self.polygons:
            outer = polygon[0]
            lons, lats = [p[0] for p in outer], [p[1] for p in outer]
            box = (min(lats), min(lons), max(lats), max(lons))
            c_lat, c_lon = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
            north, east = _radii(c_lat)
            kx, ky = east * per_degree, north * per_degree
            edges = []
            for ring in polygon:
                for i, (lon_a, lat_a) in enumerate(ring):
                    lon_b, lat_b = ring[i - 1]
                    ax, ay = (lon_a - c_lon) * kx, (lat_a - c_lat) * ky
                    dx, dy = (lon_b - lon_a) * kx, (lat_b - lat_a) * ky
                    edges.append((ax, ay, dx, dy, dx * dx + dy * dy, lon_a, lat_a, lon_b, lat_b))
            prepared.append((box, (c_lon, c_lat, kx, ky), tuple(edges), polygon))
        object.__setattr__(self, "prepared", tuple(prepared))

    def bbox(self) -> tuple[float, float, float, float]:
        """(min_lat, min_lon, max_lat, max_lon)."""
        if self.point is not None:
            lon, lat = self.point
            return lat, lon, lat, lon
        lons = [p[0] for poly in self.polygons for p in poly[0]]
        lats = [p[1] for poly in self.polygons for p in poly[0]]
        return min(lats), min(lons), max(lats), max(lons)

    def to_geojson(self) -> str:
        if self.point is not None:
            return json.dumps({"type": "Point", "coordinates": list(self.point)})
        if len(self.polygons) == 1:
            return json.dumps({"type": "Polygon", "coordinates": _plain(self.polygons[0])})
        return json.dumps(
            {"type": "MultiPolygon", "coordinates": [_plain(p) for p in self.polygons]}
        )


def _plain(polygon: Polygon) -> list:
    return [[list(p) for p in ring] for ring in polygon]


def _position(value: object) -> LonLat:
    if not isinstance(value, list | tuple) or len(value) < 2:
        raise GeometryError("a position must be [longitude, latitude]")
    try:
        lon, lat = float(value[0]), float(value[1])
    except (TypeError, ValueError):
        raise GeometryError("a position must hold numbers") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat) or math.isnan(lon):
        raise GeometryError(f"position out of range: longitude {lon}, latitude {lat}")
    return lon, lat


def _polygon(value: object) -> Polygon:
    if not isinstance(value, list) or not value:
        raise GeometryError("a polygon needs at least one ring")
    rings = []
    for ring in value:
        if not isinstance(ring, list):
            raise GeometryError("a polygon ring must be a list of positions")
        points = [_position(p) for p in ring]
        if len(points) >= 2 and points[0] == points[-1]:
            points = points[:-1]
        if len(points) < 3:
            raise GeometryError("a polygon ring needs at least three distinct corners")
        rings.append(points)
    return rings


def parse_geojson(geometry: object) -> Shape:
    """A GeoJSON geometry (dict or text): Point, Polygon or MultiPolygon."""
    if isinstance(geometry, str):
        try:
            geometry = json.loads(geometry)
        except ValueError:
            raise GeometryError("not valid GeoJSON") from None
    if not isinstance(geometry, dict):
        raise GeometryError("geometry must be a GeoJSON object")
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        return Shape(point=_position(coords))
    if kind == "Polygon":
        return Shape(polygons=(_polygon(coords),))
    if kind == "MultiPolygon":
        if not isinstance(coords, list) or not coords:
            raise GeometryError("a MultiPolygon needs at least one polygon")
        return Shape(polygons=tuple(_polygon(p) for p in coords))
    raise GeometryError(f"geometry type must be Point, Polygon or MultiPolygon, not {kind!r}")


def parse_wkt(text: str) -> Shape:
    """WKT POINT, POLYGON or MULTIPOLYGON (x y = lon lat)."""
    head, _, rest = (text or "").strip().partition("(")
    head = head.strip().upper()
    if not rest:
        raise GeometryError("not valid WKT")
    if head == "POINT":
        numbers = rest.strip("() ").split()
        if len(numbers) != 2:
            raise GeometryError("WKT POINT needs two numbers")
        return Shape(point=_position(numbers))
    if head in {"POLYGON", "MULTIPOLYGON"}:
        return _wkt_polygons(head, "(" + rest)
    raise GeometryError(f"WKT type must be POINT, POLYGON or MULTIPOLYGON, not {head or '?'}")


def _wkt_polygons(head: str, rest: str) -> Shape:
    """Read nested parentheses into rings of positions without a parser library."""
    depth, stack, current = 0, [[]], ""
    for char in rest:
        if char == "(":
            depth += 1
            stack.append([])
        elif char == ")":
            if current.strip():
                stack[-1].append(current.strip())
            current = ""
            done = stack.pop()
            depth -= 1
            if depth < 0 or not stack:
                raise GeometryError("unbalanced parentheses in WKT")
            stack[-1].append(done)
        elif char == ",":
            if current.strip():
                stack[-1].append(current.strip())
            current = ""
        else:
            current += char
    if depth != 0 or len(stack) != 1 or len(stack[0]) != 1:
        raise GeometryError("unbalanced parentheses in WKT")
    tree = stack[0][0]

    def ring(items: list) -> list:
        out = []
        for item in items:
            if not isinstance(item, str):
                raise GeometryError("not valid WKT")
            out.append(item.split())
        return out

    if head == "POLYGON":
        return Shape(polygons=(_polygon([ring(r) for r in tree]),))
    return Shape(polygons=tuple(_polygon([ring(r) for r in poly]) for poly in tree))


# --- distance ---------------------------------------------------------------------------------


def _radii(lat: float) -> tuple[float, float]:
    """Meters per radian north (meridian) and east (prime vertical × cos lat) at `lat`."""
    phi = math.radians(lat)
    w = 1 - E2 * math.sin(phi) ** 2
    north = A * (1 - E2) / w**1.5
    east = A / math.sqrt(w) * math.cos(phi)
    return north, east


class Plane:
    """A tangent plane at a housing location: (lon, lat) -> feet east and north of it.

    The scales are the ellipsoid's at the mid latitude of each pair (taken to first order
    from the origin's, so no trigonometry per point): within a thousandth of a foot of
    geodesic at a mile (tested)."""

    __slots__ = ("lat", "lon", "east", "north", "d_east", "d_north")

    def __init__(self, lat: float, lon: float) -> None:
        self.lat, self.lon = lat, lon
        per_degree = math.radians(1) * FEET_PER_METER
        north, east = _radii(lat)
        north_up, east_up = _radii(lat + 0.01)
        north_down, east_down = _radii(lat - 0.01)
        self.north, self.east = north * per_degree, east * per_degree
        self.d_north = (north_up - north_down) / 0.02 * per_degree  # per degree of latitude
        self.d_east = (east_up - east_down) / 0.02 * per_degree

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        dlat = lat - self.lat
        half = dlat / 2
        return (lon - self.lon) * (self.east + self.d_east * half), dlat * (
            self.north + self.d_north * half
        )

    def box_feet(self, bbox: tuple[float, float, float, float]) -> float:
        """A lower bound of the feet to anything in the box (min_lat, min_lon, max_lat, max_lon)."""
        min_lat, min_lon, max_lat, max_lon = bbox
        dlat = max(min_lat - self.lat, 0.0, self.lat - max_lat)
        dlon = max(min_lon - self.lon, 0.0, self.lon - max_lon)
        if not dlat and not dlon:
            return 0.0
        # The smallest east scale over the box's latitudes, less a margin: never too far.
        east = self.east - abs(self.d_east) * max(abs(min_lat - self.lat), abs(max_lat - self.lat))
        return math.hypot(dlat * self.north, dlon * east) * 0.999


def geodesic_ft(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return geodesic((lat1, lon1), (lat2, lon2)).feet


def inside(lon: float, lat: float, polygon: Polygon) -> bool:
    """Ray casting, even-odd over every ring: a point in a hole is outside."""
    hit = False
    for ring in polygon:
        j = len(ring) - 1
        for i in range(len(ring)):
            xi, yi = ring[i]
            xj, yj = ring[j]
            if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                hit = not hit
            j = i
    return hit


def nearest(plane: Plane, shape: Shape) -> tuple[float, LonLat]:
    """(feet on the plane, the nearest point of the shape) from the plane's origin.

    A polygon is measured on its own flat frame (scales at its center: a park is small, well
    under a foot off at 2,000 ft); a distance near a rule's limit is measured again by
    geodesic to the point found here."""
    lon0, lat0 = plane.lon, plane.lat
    if shape.point is not None:
        x, y = plane.xy(*shape.point)
        return math.hypot(x, y), shape.point
    best, best_edge, best_t = math.inf, None, 0.0
    for (min_lat, min_lon, max_lat, max_lon), frame, edges, polygon in shape.prepared:
        if (
            min_lat <= lat0 <= max_lat
            and min_lon <= lon0 <= max_lon
            and inside(lon0, lat0, polygon)
        ):
            return 0.0, (lon0, lat0)
        c_lon, c_lat, kx, ky = frame
        qx, qy = (lon0 - c_lon) * kx, (lat0 - c_lat) * ky
        for edge in edges:
            ax, ay, dx, dy, length2 = edge[0], edge[1], edge[2], edge[3], edge[4]
            wx, wy = qx - ax, qy - ay
            t = (wx * dx + wy * dy) / length2 if length2 else 0.0
            t = 0.0 if t < 0.0 else 1.0 if t > 1.0 else t
            ex, ey = wx - t * dx, wy - t * dy
            d2 = ex * ex + ey * ey
            if d2 < best:
                best, best_edge, best_t = d2, edge, t
    lon_a, lat_a, lon_b, lat_b = best_edge[5:]  # type: ignore[index]
    point = (lon_a + best_t * (lon_b - lon_a), lat_a + best_t * (lat_b - lat_a))
    return math.sqrt(best), point


def distance_ft(lat: float, lon: float, shape: Shape, limit: float | None = None) -> float:
    """Feet from (lat, lon) to the shape; near `limit` (within BAND) measured by geodesic."""
    plane = Plane(lat, lon)
    feet, (plon, plat) = nearest(plane, shape)
    if feet > 0 and limit is not None and abs(feet - limit) <= limit * BAND:
        return geodesic_ft(lat, lon, plat, plon)
    return feet
