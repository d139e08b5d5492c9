"""Which housing services the residency rules bar for a person on the registry, over the whole
directory, so "hide housing barred by residency rules" is a filter of the search itself (its
total, facets, pages and hidden counts), not of the page shown.

A housing service (a housing need area, or one under it) is barred when every one of its
located places is barred (app.residency.verdicts.check: the rules that hold there and cover
people on the registry, the nearest restricted site). A service with one clear place stays: the
person could live there. Services without a map position are never barred ("not checked").

Kept per process and worked out again when a content version it depends on moves: `residency`
(sites and rules) or `catalog` (services, locations, addresses, need areas; app.public.card_cache
registers that scope). One primary-key read per search decides. Verdicts are remembered per
place (position, town and county) while the sites and rules stay the same, so a catalog change
costs one database read of the housing places and checks only places not seen before.

The set holds catalog ids only (which places are barred for anyone on the registry), never a
person's data; the search uses it only for staff who may see residency (app.residency.staff).
"""

from __future__ import annotations

import threading
from collections import defaultdict

from sqlalchemy import select

from app import content_version
from app.directory.models import (
    Address,
    Location,
    ServiceAtLocation,
)
from app.extensions import db
from app.residency.index import current
from app.residency.models import SCOPE
from app.residency.staff import housing_services
from app.residency.verdicts import Where, check

CATALOG = "catalog"  # app.public.card_cache.CATALOG: service, location, address, need-area links
Place = tuple[float | None, float | None, str | None, str | None]  # lat, lon, town, county

_lock = threading.Lock()
# database url -> ((residency token, catalog token), barred service ids)
_barred: dict[str, tuple[tuple, frozenset[str]]] = {}
# database url -> (residency token, place -> barred): verdicts survive catalog changes
_verdicts: dict[str, tuple[str, dict[Place, bool]]] = {}


def housing_places() -> dict[str, list[Place]]:
    """service id -> its places (position, town and county of the physical address, else the
    first), for every service with a housing need area."""
    rows = db.session.execute(
        select(
            ServiceAtLocation.service_id,
            Location.id,
            Location.latitude,
            Location.longitude,
            Address.city,
            Address.region,
            Address.address_type,
        )
        .join(Location, Location.id == ServiceAtLocation.location_id)
        .outerjoin(Address, Address.location_id == Location.id)
        .where(ServiceAtLocation.service_id.in_(housing_services()))
        .order_by(ServiceAtLocation.service_id, Location.id, Address.id)
    )
    chosen: dict[tuple[str, str], tuple] = {}
    for service_id, location_id, lat, lon, city, region, kind in rows:
        key = (service_id, location_id)
        if key not in chosen or (kind == "physical" and chosen[key][4] != "physical"):
            chosen[key] = (lat, lon, city, region, kind)
    places: dict[str, list[Place]] = defaultdict(list)
    for (service_id, _), (lat, lon, city, region, _) in chosen.items():
        places[service_id].append((lat, lon, city, region))
    return places


def compute(known: dict[Place, bool] | None = None) -> frozenset[str]:
    """The barred housing services now (`known`: verdicts already worked out, filled in)."""
    index = current()
    if not index.rules:
        return frozenset()
    known = {} if known is None else known
    barred = []
    for service_id, places in housing_places().items():
        located = [p for p in places if p[0] is not None and p[1] is not None]
        if not located:
            continue
        verdicts = []
        for place in located:
            verdict = known.get(place)
            if verdict is None:
                verdict = check(index, Where(*place)).barred
                known[place] = verdict
            verdicts.append(verdict)
        if all(verdicts):
            barred.append(service_id)
    return frozenset(barred)


def barred_ids() -> frozenset[str]:
    """The barred housing services for the tables as they are now (see the module docstring)."""
    token = content_version.read([SCOPE, CATALOG])
    key = str(db.engine.url)
    with _lock:
        hit = _barred.get(key)
        memo = _verdicts.get(key)
    if hit is not None and hit[0] == token:
        return hit[1]
    pending = content_version.pending(db.session)
    if SCOPE in pending or CATALOG in pending:  # changed in this transaction: not to be shared
        return compute()
    known = memo[1] if memo is not None and memo[0] == token[0] else {}
    found = compute(known)
    with _lock:
        _barred[key] = (token, found)
        _verdicts[key] = (token[0], known)
    return found


def forget() -> None:
    with _lock:
        _barred.clear()
        _verdicts.clear()
