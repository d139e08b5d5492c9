"""Distances to points and to polygon edges, against geopy's geodesic; ray casting; parsing."""

from __future__ import annotations

import pytest

from app.residency.geometry import (
    GeometryError,
    Plane,
    Shape,
    distance_ft,
    geodesic_ft,
    inside,
    nearest,
    parse_geojson,
    parse_wkt,
)
from app.residency.vocabulary import SiteKind
from tests.residency.geo_helpers import HOUSE, moved, square_site


@pytest.mark.parametrize("feet", [10, 640, 999, 1001, 2000, 5280])
@pytest.mark.parametrize("bearing", [0, 45, 90, 200, 315])
def test_point_distance_matches_geodesic_within_a_hundredth_of_a_foot(feet, bearing) -> None:  # noqa: ANN001
    lat, lon = moved(HOUSE, feet, bearing)
    measured = distance_ft(*HOUSE, Shape(point=(lon, lat)))
    assert measured == pytest.approx(feet, abs=0.01)


def test_near_a_limit_geodesic_decides() -> None:
    lat, lon = moved(HOUSE, 1000.4, 30)
    site = Shape(point=(lon, lat))
    assert distance_ft(*HOUSE, site, limit=1000) == pytest.approx(
        geodesic_ft(*HOUSE, lat, lon), abs=1e-9
    )
    assert distance_ft(*HOUSE, site, limit=1000) > 1000


def test_distance_to_a_polygon_is_to_its_nearest_edge_not_its_center() -> None:
    # A 3,000 ft square park whose west edge is 500 ft east of the house: its center is about
    # 2,100 ft away, its edge 500 ft.
    south_west = moved(moved(HOUSE, 500, 90), 1500, 180)
    park = square_site("Big Park", SiteKind.PARK, south_west, 3000).shape
    plane = Plane(*HOUSE)
    feet, (plon, plat) = nearest(plane, park)
    assert feet == pytest.approx(500, abs=1)
    assert geodesic_ft(*HOUSE, plat, plon) == pytest.approx(500, abs=1)


def test_inside_a_polygon_is_zero_and_a_hole_is_outside() -> None:
    outer = [(-72.70, 41.75), (-72.65, 41.75), (-72.65, 41.78), (-72.70, 41.78)]
    hole = [(-72.68, 41.76), (-72.67, 41.76), (-72.67, 41.77), (-72.68, 41.77)]
    assert inside(-72.69, 41.755, [outer])
    assert not inside(-72.675, 41.765, [outer, hole])
    assert not inside(-72.60, 41.765, [outer])
    park = Shape(polygons=([outer],))
    assert distance_ft(41.755, -72.69, park) == 0
    with_hole = Shape(polygons=([outer, hole],))
    assert distance_ft(41.765, -72.675, with_hole) > 0  # in the hole: as far as its edge


def test_geojson_and_wkt_shapes_and_their_problems() -> None:
    ring = "[[-72.7, 41.7], [-72.6, 41.7], [-72.6, 41.8], [-72.7, 41.7]]"
    poly = parse_geojson('{"type": "Polygon", "coordinates": [' + ring + "]}")
    assert poly.bbox() == (41.7, -72.7, 41.8, -72.6)
    multi = parse_wkt(
        "MULTIPOLYGON (((-72.7 41.7, -72.6 41.7, -72.6 41.8, -72.7 41.7)), "
        "((-73 41, -72.9 41, -72.9 41.1, -73 41)))"
    )
    assert len(multi.polygons) == 2
    assert parse_wkt("POINT (-72.67 41.76)").point == (-72.67, 41.76)
    assert parse_geojson(poly.to_geojson()) == poly
    for bad, words in [
        ('{"type": "LineString", "coordinates": []}', "Point, Polygon or MultiPolygon"),
        ('{"type": "Point", "coordinates": [-72.6, 95]}', "out of range"),
        ('{"type": "Polygon", "coordinates": [[[-72.7, 41.7], [-72.6, 41.7]]]}', "three"),
        ("not json", "not valid GeoJSON"),
    ]:
        with pytest.raises(GeometryError, match=words):
            parse_geojson(bad)
    with pytest.raises(GeometryError, match="unbalanced"):
        parse_wkt("POLYGON ((-72.7 41.7, -72.6 41.7, -72.6 41.8)")
    with pytest.raises(GeometryError, match="WKT type"):
        parse_wkt("LINESTRING (1 2, 3 4)")
