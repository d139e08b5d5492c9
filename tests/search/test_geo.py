"""Offline geocoding, distances against geopy's geodesic, bounding boxes and radius edges."""

from __future__ import annotations

import pytest
from geopy.distance import geodesic
from geopy.location import Location as GeoLocation

from app.search.geo import (
    EDGE_MILES,
    OfflineGeocoder,
    bounding_box,
    distance_miles,
    ellipsoid_miles,
    resolve_place,
)
from tests.search.conftest import names, service

HARTFORD_06103 = (41.7672, -72.676)


def test_zip_code_is_its_centroid() -> None:
    place = resolve_place("06103", default_state="CT", network=False)
    assert (place.lat, place.lon) == HARTFORD_06103
    assert "Hartford" in place.label


def test_town_is_the_mean_of_its_zip_centroids() -> None:
    bare = resolve_place("Hartford", default_state="CT", network=False)
    with_state = resolve_place("Hartford, CT", default_state="CT", network=False)
    assert bare == with_state
    assert bare.label == "Hartford, CT"
    assert distance_miles((bare.lat, bare.lon), HARTFORD_06103) < 3


def test_bare_town_prefers_the_default_state() -> None:
    ct = resolve_place("Manchester", default_state="CT", network=False)
    nh = resolve_place("Manchester", default_state="NH", network=False)
    assert ct.label == "Manchester, CT"
    assert nh.label == "Manchester, NH"
    assert resolve_place("Manchester, NH", default_state="CT", network=False) == nh


def test_lat_lon_and_unknown_places() -> None:
    place = resolve_place("41.76, -72.67", network=False)
    assert (place.lat, place.lon) == (41.76, -72.67)
    assert resolve_place("Atlantis Upon Sea", default_state="CT", network=False) is None
    assert resolve_place("00000", network=False) is None
    assert resolve_place("95.0,10.0", network=False) is None
    assert resolve_place("  ", network=False) is None


def test_street_address_falls_back_to_its_zip_offline() -> None:
    place = resolve_place("12 Main Street, Hartford, CT 06103", network=False)
    assert (place.lat, place.lon) == HARTFORD_06103


def test_street_address_uses_network_when_enabled_and_falls_back_on_failure() -> None:
    from app.search.geo import Place

    answer = Place(41.0, -72.0, "From the network")
    found = resolve_place(
        "12 Main Street, Hartford, CT 06103", network=True, network_lookup=lambda t: answer
    )
    assert found == answer
    failed = resolve_place(
        "12 Main Street, Hartford, CT 06103", network=True, network_lookup=lambda t: None
    )
    assert (failed.lat, failed.lon) == HARTFORD_06103


def test_offline_geocoder_is_a_geopy_geocoder() -> None:
    location = OfflineGeocoder(default_state="CT").geocode("New Haven")
    assert isinstance(location, GeoLocation)
    assert location.address == "New Haven, CT"
    assert OfflineGeocoder().geocode("Nowhere Town") is None
    assert isinstance(OfflineGeocoder().geocode("06103", exactly_one=False), list)


@pytest.mark.parametrize(
    ("lat", "lon", "radius"),
    [(41.76, -72.67, 10), (41.76, -72.67, 500), (64.8, -147.7, 300), (51.9, 179.6, 60)],
)
def test_bounding_box_contains_every_point_of_the_circle(lat, lon, radius) -> None:  # noqa: ANN001
    box = bounding_box(lat, lon, radius)
    for bearing in range(0, 360, 15):
        point = geodesic(miles=radius).destination((lat, lon), bearing)
        assert box.contains(point.latitude, point.longitude), bearing


def test_bounding_box_splits_at_the_dateline_and_opens_at_the_pole() -> None:
    assert len(bounding_box(51.9, 179.6, 60).lon_ranges) == 2
    assert bounding_box(89.5, 0, 60).lon_ranges == ((-180.0, 180.0),)
    assert not bounding_box(41.76, -72.67, 10).contains(41.76, -71.0)


def _at(origin: tuple[float, float], miles: float, bearing: float) -> tuple[float, float]:
    point = geodesic(miles=miles).destination(origin, bearing)
    return point.latitude, point.longitude


def test_radius_edges_and_distances_match_geodesic(find, taxonomy) -> None:  # noqa: ANN001
    origin = (41.76, -72.67)
    for name, miles, bearing in [
        ("Just Inside", 9.97, 40),
        ("Just Outside", 10.03, 130),
        ("A Hair Inside", 9.998, 200),
        ("A Hair Outside", 10.002, 20),
        ("Close By", 1.2, 250),
        ("Far Away", 60, 300),
    ]:
        lat, lon = _at(origin, miles, bearing)
        service(name, lat=lat, lon=lon)
    results = find(near="41.76,-72.67", radius_miles=10, sort="distance")
    assert names(results) == ["Close By", "Just Inside", "A Hair Inside"]
    for result in results.results:
        loc = result.location
        exact = geodesic(origin, (loc.latitude, loc.longitude)).miles
        assert abs(result.distance_miles - exact) < 0.1
    assert results.place.label == "41.7600, -72.6700"


def test_nearest_location_is_the_one_shown(find, taxonomy) -> None:  # noqa: ANN001
    from app.extensions import db

    svc = service("Two Sites", lat=41.3, lon=-72.9)  # New Haven area
    _second_site(svc, 41.77, -72.68, "Hartford site")
    db.session.commit()
    result = find(near="06103", radius_miles=5).results[0]
    assert result.location.name == "Hartford site"
    assert result.distance_miles < 1


def _second_site(svc, lat: float, lon: float, name: str):  # noqa: ANN001,ANN202
    from app.directory.models import ServiceAtLocation
    from tests import factories

    site = factories.make_location(svc.organization, name=name, latitude=lat, longitude=lon)
    svc.service_at_locations.append(ServiceAtLocation(location=site))
    return site


def test_a_service_at_several_places_is_found_by_its_nearest_one_even_at_the_edge(
    find,  # noqa: ANN001
    taxonomy,  # noqa: ANN001
) -> None:
    """Services at several places take another path than those at one (PostgreSQL keeps a
    single place on the search row): both must give the same answers, at the edge too."""
    from app.extensions import db

    origin = (41.76, -72.67)
    edge = service("Edge And Far", lat=41.3, lon=-72.9)  # New Haven: far outside
    _second_site(edge, *_at(origin, 9.998, 200), "A hair inside")
    both = service("Two Inside", lat=_at(origin, 6, 90)[0], lon=_at(origin, 6, 90)[1])
    _second_site(both, *_at(origin, 2, 270), "The nearer one")
    out = service("Both Outside", lat=41.3, lon=-72.9)
    _second_site(out, *_at(origin, 10.002, 20), "A hair outside")
    db.session.commit()
    results = find(near="41.76,-72.67", radius_miles=10, sort="distance")
    assert names(results) == ["Two Inside", "Edge And Far"]
    shown = {r.name: (r.location.name, r.distance_miles) for r in results.results}
    assert shown["Two Inside"][0] == "The nearer one" and abs(shown["Two Inside"][1] - 2) < 0.05
    assert shown["Edge And Far"][0] == "A hair inside"
    assert abs(shown["Edge And Far"][1] - 9.998) < 0.01


def test_a_service_that_gains_or_loses_a_place_is_found_where_it_is_now(
    find,  # noqa: ANN001
    taxonomy,  # noqa: ANN001
) -> None:
    from app.extensions import db

    svc = service("Moving Service", lat=41.3, lon=-72.9)  # New Haven
    assert names(find(near="06103", radius_miles=5)) == []
    hartford = _second_site(svc, 41.77, -72.68, "Hartford site")
    db.session.commit()
    assert names(find(near="06103", radius_miles=5)) == ["Moving Service"]
    assert names(find(near="06510", radius_miles=5)) == ["Moving Service"]
    # the New Haven site closes: the service is at one place again, Hartford
    (gone,) = [sal for sal in svc.service_at_locations if sal.location_id != hartford.id]
    db.session.delete(gone)
    db.session.commit()
    assert names(find(near="06510", radius_miles=5)) == []
    assert names(find(near="06103", radius_miles=5)) == ["Moving Service"]


def test_network_answers_are_cached_in_the_table(app) -> None:  # noqa: ANN001
    from sqlalchemy import select

    from app.extensions import db
    from app.search.geo import Place
    from app.search.models import GeocodeCache

    calls = []

    def lookup(text: str) -> Place | None:
        calls.append(text)
        return Place(41.5, -72.5, "12 Main Street, Hartford")

    address = "12 Main Street, Hartford, CT 06103"
    first = resolve_place(address, network=True, network_lookup=lookup)
    again = resolve_place(address, network=True, network_lookup=lookup)
    assert first == again == Place(41.5, -72.5, "12 Main Street, Hartford")
    assert len(calls) == 1
    row = db.session.scalar(select(GeocodeCache))
    assert (row.query, row.latitude) == (address.lower(), 41.5)


def test_ellipsoid_formula_stays_within_the_edge_band_of_geodesic() -> None:
    """Shown distances and radius checks use the fast formula; geodesic decides only within
    EDGE_MILES of the radius, so the formula must never be further off than that."""
    import random

    rng = random.Random(7)
    worst = 0.0
    for _ in range(3000):
        a = (rng.uniform(-85, 85), rng.uniform(-180, 180))
        span = rng.choice([0.01, 0.5, 5, 50, 500]) / 69
        b = (
            max(-89.0, min(89.0, a[0] + rng.uniform(-span, span))),
            a[1] + rng.uniform(-span, span),
        )
        worst = max(worst, abs(ellipsoid_miles(a, b) - geodesic(a, b).miles))
    assert worst < EDGE_MILES / 2
    assert ellipsoid_miles(HARTFORD_06103, HARTFORD_06103) == 0.0


def test_points_near_the_edge_are_measured_once_per_place_and_radius() -> None:
    from app.search import nearby
    from app.search.geo import Place
    from app.search.nearby import Distances, unit_vector

    origin = (41.7001, -72.6001)  # a place no other test uses
    here = Place(*origin, "here")
    lat, lon = _at(origin, 9.999, 10)
    point = (7, "loc", lat, lon, *unit_vector(lat, lon))
    first = Distances(here, 10)
    first.scan([[point]])
    assert first.nearest[7][1] == "loc"
    # the next search around the same place and radius starts with what was measured
    again = Distances(here, 10)
    assert again._edge_miles == {(lat, lon): first.nearest[7][0]}
    again.scan([[point]])
    assert again.nearest == first.nearest
    assert Distances(here, 12)._edge_miles == {}  # another radius measures for itself
    for n in range(nearby.EDGE_MEMO_PLACES + 1):  # the oldest places are forgotten
        Distances(Place(10.0 + n / 1000, 10.0, "x"), 5)
    assert Distances(here, 10)._edge_miles == {}
