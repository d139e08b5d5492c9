"""Places at exact geodesic distances, for the geometry cases (geopy's own destination)."""

from __future__ import annotations

from geopy.distance import geodesic

from app.residency.geometry import Shape
from app.residency.index import Rule, Site, build
from app.residency.vocabulary import SiteKind

HOUSE = (41.7658, -72.6734)  # downtown Hartford


def moved(origin: tuple[float, float], feet: float, bearing: float) -> tuple[float, float]:
    """(lat, lon) `feet` from origin along `bearing` degrees, on the WGS84 ellipsoid."""
    point = geodesic(feet=feet).destination(origin, bearing)
    return point.latitude, point.longitude


def point_site(name: str, kind: SiteKind, lat: float, lon: float, town: str = "Hartford") -> Site:
    shape = Shape(point=(lon, lat))
    return Site(name, kind, name, town, shape, shape.bbox())


def square_site(name: str, kind: SiteKind, south_west: tuple[float, float], side_ft: float) -> Site:
    """A square park: corners `side_ft` apart, north and east of south_west."""
    sw = south_west
    se = moved(sw, side_ft, 90)
    nw = moved(sw, side_ft, 0)
    ne = moved(se, side_ft, 0)
    ring = [(sw[1], sw[0]), (se[1], se[0]), (ne[1], ne[0]), (nw[1], nw[0])]
    shape = Shape(polygons=([ring],))
    return Site(name, kind, name, "Hartford", shape, shape.bbox())


def rule(name: str, kinds: tuple[SiteKind, ...], feet: int, level: str = "state",
         jurisdiction: str = "Connecticut") -> Rule:  # fmt: skip
    return Rule(name, name, level, jurisdiction, frozenset(kinds), feet, "registry")


def index(sites: list[Site], rules: list[Rule]):  # noqa: ANN201
    return build(sites, rules)
