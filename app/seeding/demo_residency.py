"""Demo residency restrictions: invented restricted sites near some demo housing, and one
state rule, so some housing reads "barred" and some "no restricted site within 1,000 ft"
for the demo client on the registry (Dwayne Sampleton, going to Waterbury).

Each site is placed at a fixed distance and bearing from a demo house's location (read at load
time, so it follows wherever the demo put that house). Only what is missing is added
(sites by kind, name and town; the rule by name), like the rest of the demo.
"""

from __future__ import annotations

from geopy.distance import geodesic
from sqlalchemy import select

from app.directory.models import Service
from app.extensions import db
from app.residency.geometry import Shape
from app.residency.loading import SiteRow, save_sites
from app.residency.models import ResidencyRule, RestrictedSite
from app.residency.vocabulary import AppliesTo, Level, SiteKind
from app.seeding.demo_build import demo_id
from app.seeding.demo_data_housing import PROVIDER_ORG

RULE_NAME = "Connecticut residency rule (sample)"
SOURCE = "demo"

# (organization, service, kind, site name, feet from the house, bearing, park side in feet)
# A park is a square of that side whose nearest edge is `feet` away (its center much farther).
SITES = (
    ("Two Rivers Halfway House", "Two Rivers Parole Residence", SiteKind.SCHOOL,
     "Hillcrest Elementary School (sample)", 640, 45, None),
    ("Old Mill Emergency Beds", "Old Mill Overnight Shelter", SiteKind.PARK,
     "Millrace Park (sample)", 1400, 180, 1200),
    (PROVIDER_ORG, "Cedar Crossing Men's Halfway House", SiteKind.CHILD_CARE,
     "Little Sprouts Child Care (sample)", 850, 300, None),
    ("Birchwood Night Haven", "Birchwood Men's Emergency Shelter", SiteKind.PLAYGROUND,
     "Birchwood Tot Lot (sample)", 1300, 90, None),
    ("Stonebridge Transitional Residence", "Stonebridge Transitional Rooms", SiteKind.PARK,
     "Elm Green Park (sample)", 450, 0, 3000),
    ("Thornbury Recovery House", "Thornbury Men's Recovery House", SiteKind.SCHOOL,
     "Riverside Middle School (sample)", 1600, 270, None),
)  # fmt: skip


def _moved(lat: float, lon: float, feet: float, bearing: float) -> tuple[float, float]:
    point = geodesic(feet=feet).destination((lat, lon), bearing)
    return point.latitude, point.longitude


def _shape(lat: float, lon: float, feet: float, bearing: float, side: float | None) -> Shape:
    if side is None:
        at = _moved(lat, lon, feet, bearing)
        return Shape(point=(at[1], at[0]))
    # The near edge's middle is `feet` away along the bearing; the square extends beyond it.
    mid = _moved(lat, lon, feet, bearing)
    a = _moved(*mid, side / 2, bearing - 90)
    b = _moved(*mid, side / 2, bearing + 90)
    c = _moved(*b, side, bearing)
    d = _moved(*a, side, bearing)
    return Shape(polygons=([[(p[1], p[0]) for p in (a, b, c, d)]],))


def load_demo_residency() -> int:
    """Add the missing demo sites and the rule; flush only. Returns the sites added."""
    rows = []
    for org_name, service_name, kind, name, feet, bearing, side in SITES:
        service = db.session.get(Service, demo_id("service", org_name, service_name))
        location = (
            next((loc for loc in service.locations if loc.latitude), None) if service else None
        )
        if location is None:
            continue
        town = location.address.city if location.address else None
        rows.append(
            SiteRow(
                kind, name, town, _shape(location.latitude, location.longitude, feet, bearing, side)
            )
        )
    known = {
        (s.kind, s.name.casefold(), (s.town or "").casefold())
        for s in db.session.scalars(select(RestrictedSite))
    }
    missing = [
        r for r in rows if (r.kind, r.name.casefold(), (r.town or "").casefold()) not in known
    ]
    added = save_sites(missing, SOURCE).added if missing else 0
    if db.session.scalar(select(ResidencyRule.id).where(ResidencyRule.name == RULE_NAME)) is None:
        db.session.add(
            ResidencyRule(
                name=RULE_NAME,
                level=Level.STATE,
                jurisdiction="Connecticut",
                kinds=[
                    SiteKind.SCHOOL.value,
                    SiteKind.CHILD_CARE.value,
                    SiteKind.PARK.value,
                    SiteKind.PLAYGROUND.value,
                ],  # fmt: skip
                distance_ft=1000,
                applies_to=AppliesTo.REGISTRY,
                active=True,
            )
        )
    db.session.flush()
    return added
