"""Places and distances: an offline geocoder over the `zipcodes` package, geodesic miles, and the
bounding box that lets radius search use the indexed latitude/longitude columns.

The offline geocoder answers a ZIP ("06103", also the ZIP at the end of a street address), a
town ("Hartford" prefers DEFAULT_STATE; "Hartford, CT"), or "lat,lon", with no network. A town is
the mean of its standard ZIP centroids. Network geocoding (Nominatim) is only tried for text the
offline geocoder cannot answer, and only when GEOCODER_NETWORK=1; see `NetworkGeocoder`.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from geopy.distance import geodesic
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location as GeoLocation

from app.search import zip_tables

# Half the equatorial circumference / 180 degrees, in miles; a degree of latitude is never longer.
MILES_PER_DEGREE_MAX = 69.41
EARTH_RADIUS_MILES = 3958.7613

_LATLON = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
_ZIP_AT_END = re.compile(r"(?:^|[\s,])(\d{5})(?:-\d{4})?\s*$")
_STATE_AT_END = re.compile(r"^(.*?)[,\s]+([A-Za-z]{2})\.?\s*$")


class Place(NamedTuple):
    """A resolved `near`: point and a label to show ("Hartford, CT", "06103")."""

    lat: float
    lon: float
    label: str


STATES = zip_tables.STATES


@cache
def _tables() -> tuple[dict[tuple[str, str], tuple[float, float, str]], dict[str, tuple]]:
    """The town table and ZIP points, read once per process from a child process (see
    app.search.zip_tables: zipcodes' own data would stay in every worker, ~70 MB)."""
    one: dict[str, str] = {}  # one copy of each town and state name
    towns: dict[tuple[str, str], tuple[float, float, str]] = {}
    zips: dict[str, tuple] = {}
    for kind, code, *rest in zip_tables.tables():
        if kind == "T":
            state, lat, lon, label = rest
            towns[(one.setdefault(code, code), one.setdefault(state, state))] = (lat, lon, label)
        else:
            lat, lon, city, state = rest
            zips[code] = (lat, lon, one.setdefault(city, city), one.setdefault(state, state))
    return towns, zips


def _zip_record(code: str) -> dict[str, Any] | None:
    """The zipcodes record (zip_code, city, state, lat, long) of a ZIP with a point."""
    found = _tables()[1].get(code)
    if found is None:
        return None
    lat, lon, city, state = found
    return {"zip_code": code, "city": city, "state": state, "lat": lat, "long": lon}


def _town_table() -> dict[tuple[str, str], tuple[float, float, str]]:
    """(town, state) -> mean of its standard ZIP centroids (any ZIP when it has no standard one)."""
    return _tables()[0]


@cache
def _towns_by_name() -> dict[str, list[tuple[str, str]]]:
    by_name: dict[str, list[tuple[str, str]]] = {}
    for key in _town_table():
        by_name.setdefault(key[0], []).append(key)
    for keys in by_name.values():
        keys.sort(key=lambda k: k[1])
    return by_name


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip())


def known_town(name: str | None) -> str | None:
    """The town's own spelling when `name` is a town the offline geocoder knows, else None."""
    key = _normal(name or "").strip(" ,").lower()
    found = _towns_by_name().get(key)
    return _town_table()[found[0]][2].rsplit(",", 1)[0] if found else None


def offline_lookup(text: str, default_state: str = "CT") -> Place | None:
    """The offline answer for a ZIP, town, "Town, ST" or "lat,lon"; None when it has none."""
    text = _normal(text or "")
    if not text:
        return None
    match = _LATLON.match(text)
    if match:
        lat, lon = float(match.group(1)), float(match.group(2))
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return Place(lat, lon, f"{lat:.4f}, {lon:.4f}")
        return None
    match = _ZIP_AT_END.search(text)
    if match:
        record = _zip_record(match.group(1))
        if record is None:
            return None
        label = f"{record['zip_code']} ({record['city']}, {record['state']})"
        return Place(float(record["lat"]), float(record["long"]), label)
    town, state = text, None
    match = _STATE_AT_END.match(text)
    if match and (match.group(1).lower(), match.group(2).upper()) in _town_table():
        town, state = match.group(1), match.group(2).upper()
    town = town.strip(" ,").lower()
    if state is None:
        keys = _towns_by_name().get(town, [])
        if not keys:
            return None
        preferred = [k for k in keys if k[1] == default_state.upper()]
        key = (preferred or keys)[0]
    else:
        key = (town, state)
    found = _town_table().get(key)
    return Place(*found) if found else None


class OfflineGeocoder(Geocoder):
    """A geopy geocoder that never touches the network (ZIPs, towns, "lat,lon")."""

    def __init__(self, default_state: str = "CT") -> None:
        super().__init__()
        self.default_state = default_state

    def geocode(
        self, query: str, *, exactly_one: bool = True, timeout: Any = DEFAULT_SENTINEL
    ) -> GeoLocation | list[GeoLocation] | None:
        place = offline_lookup(str(query), self.default_state)
        if place is None:
            return None
        location = GeoLocation(place.label, (place.lat, place.lon), {"source": "offline"})
        return location if exactly_one else [location]


class NetworkGeocoder:
    """Nominatim for street addresses: real user agent, timeout, at most 1 request a second.
    Any failure returns None so the caller falls back to the offline answer. Answers are kept in
    the GeocodeCache table (`cached_lookup`), so each address is asked for once."""

    _lock = threading.Lock()
    _last_call = 0.0

    def __init__(self, user_agent: str, timeout: float = 5.0) -> None:
        from geopy.geocoders import Nominatim

        self._geocoder = Nominatim(user_agent=user_agent, timeout=timeout)

    def lookup(self, text: str) -> Place | None:
        with self._lock:
            wait = 1.0 - (time.monotonic() - NetworkGeocoder._last_call)
            if wait > 0:
                time.sleep(wait)
            NetworkGeocoder._last_call = time.monotonic()
            try:
                found = self._geocoder.geocode(text, exactly_one=True, country_codes="us")
            except Exception:  # noqa: BLE001 - network trouble must never break a search
                return None
        if found is None:
            return None
        return Place(found.latitude, found.longitude, found.address)


def _config(name: str, default: Any) -> Any:
    from flask import current_app, has_app_context

    return current_app.config.get(name, default) if has_app_context() else default


@cache
def _network_geocoder(user_agent: str) -> NetworkGeocoder:
    return NetworkGeocoder(user_agent)


def resolve_place(
    text: str,
    *,
    default_state: str | None = None,
    network: bool | None = None,
    network_lookup: Callable[[str], Place | None] | None = None,
) -> Place | None:
    """(lat, lon, label) for what a user typed in "near", or None when it cannot be found.

    A street address goes to the network geocoder first when enabled, and falls back to the
    ZIP in the address (offline) when the network fails.
    """
    default_state = default_state or _config("DEFAULT_STATE", "CT")
    text = _normal(text or "")
    if not text:
        return None
    network = _config("GEOCODER_NETWORK", False) if network is None else network
    looks_like_street = bool(re.match(r"^\d+\s+\S+", text)) and not _LATLON.match(text)
    if network and looks_like_street:
        lookup = (
            network_lookup
            or _network_geocoder(
                _config("GEOCODER_USER_AGENT", "partners-reentry-directory")
            ).lookup
        )
        found = cached_lookup(text, lookup)
        if found is not None:
            return found
    return offline_lookup(text, default_state)


def cached_lookup(text: str, lookup: Callable[[str], Place | None]) -> Place | None:
    """The GeocodeCache answer for `text`, else `lookup(text)`, stored when it found a place.
    Stored on its own connection and transaction: a search never commits the caller's session."""
    from flask import has_app_context

    if not has_app_context():
        return lookup(text)
    from sqlalchemy import insert, select

    from app.extensions import db
    from app.search.models import GeocodeCache

    key = _normal(text).lower()[:300]
    row = db.session.execute(
        select(GeocodeCache.latitude, GeocodeCache.longitude, GeocodeCache.label).where(
            GeocodeCache.query == key
        )
    ).first()
    if row is not None and row.latitude is not None:
        return Place(row.latitude, row.longitude, row.label or text)
    found = lookup(text)
    if found is not None:
        try:
            with db.engine.begin() as conn:
                conn.execute(
                    insert(GeocodeCache).values(
                        query=key, latitude=found.lat, longitude=found.lon, label=found.label
                    )
                )
        except Exception:  # noqa: BLE001, S110 - another process stored it first; fine
            pass
    return found


def distance_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic (WGS-84) distance in miles: the reference every shown distance must match."""
    return geodesic(a, b).miles


WGS84_A = 6378137.0  # metres
WGS84_F = 1 / 298.257223563
METRES_PER_MILE = 1609.344


def ellipsoid_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Andoyer-Lambert distance on the WGS-84 ellipsoid: a great circle on reduced latitudes
    with a first-order flattening correction. ~50x faster than geodesic and within 0.006 mile of
    it even across 4,000 miles (tests check), so it serves every shown distance; geodesic still
    decides a point within EDGE_MILES of a search radius."""
    b1 = math.atan((1 - WGS84_F) * math.tan(math.radians(a[0])))
    b2 = math.atan((1 - WGS84_F) * math.tan(math.radians(b[0])))
    h = (
        math.sin((b2 - b1) / 2) ** 2
        + math.cos(b1) * math.cos(b2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    )
    sigma = 2 * math.asin(min(1.0, math.sqrt(h)))
    if sigma == 0.0:
        return 0.0
    p, q = (b1 + b2) / 2, (b2 - b1) / 2
    half = sigma / 2
    x = (sigma - math.sin(sigma)) * (math.sin(p) * math.cos(q)) ** 2 / math.cos(half) ** 2
    y = (sigma + math.sin(sigma)) * (math.cos(p) * math.sin(q)) ** 2 / math.sin(half) ** 2
    return WGS84_A * (sigma - WGS84_F / 2 * (x + y)) / METRES_PER_MILE


EDGE_MILES = 0.01  # closer than this to a radius, geodesic decides (ellipsoid_miles is ~0.006)


def haversine_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle miles: ~100x faster than geodesic and within 0.5% of it, so it is used to
    sort and prefilter many rows; anything near the radius edge is re-checked with geodesic."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class BoundingBox:
    """Latitude range and one or two longitude ranges (two when the box crosses the dateline)."""

    min_lat: float
    max_lat: float
    lon_ranges: tuple[tuple[float, float], ...]

    def contains(self, lat: float, lon: float) -> bool:
        return self.min_lat <= lat <= self.max_lat and any(
            lo <= lon <= hi for lo, hi in self.lon_ranges
        )

    def sql_clause(self, lat_column: Any, lon_column: Any) -> Any:
        """A WHERE clause the latitude/longitude indexes can answer."""
        from sqlalchemy import and_, or_

        lons = [lon_column.between(lo, hi) for lo, hi in self.lon_ranges]
        return and_(lat_column.between(self.min_lat, self.max_lat), or_(*lons))


def bounding_box(lat: float, lon: float, radius_miles: float) -> BoundingBox:
    """A box that surely contains every point within `radius_miles` (a little larger, never
    smaller). Near a pole the box takes every longitude; across the dateline it splits in two."""
    margin = 1.01
    dlat = radius_miles * margin / (MILES_PER_DEGREE_MAX - 0.7)  # shortest degree: ~68.7 miles
    min_lat, max_lat = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    widest = max(abs(min_lat), abs(max_lat))
    if widest >= 89.0:
        return BoundingBox(min_lat, max_lat, ((-180.0, 180.0),))
    dlon = radius_miles * margin / (69.17 * math.cos(math.radians(widest)))
    if dlon >= 180:
        return BoundingBox(min_lat, max_lat, ((-180.0, 180.0),))
    lo, hi = lon - dlon, lon + dlon
    if lo < -180:
        return BoundingBox(min_lat, max_lat, ((-180.0, hi), (lo + 360, 180.0)))
    if hi > 180:
        return BoundingBox(min_lat, max_lat, ((lo, 180.0), (-180.0, hi - 360)))
    return BoundingBox(min_lat, max_lat, ((lo, hi),))
