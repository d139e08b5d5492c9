"""The demo shows both verdicts: some demo housing barred for the registry client, some not."""

from __future__ import annotations

from sqlalchemy import func, select

from app.directory.models import Service
from app.extensions import db
from app.residency.index import current
from app.residency.models import ResidencyRule, RestrictedSite
from app.residency.verdicts import Where, check
from app.seeding.demo import load_demo
from app.seeding.demo_build import demo_id


def _verdict(org: str, name: str):  # noqa: ANN202
    service = db.session.get(Service, demo_id("service", org, name))
    location = service.locations[0]
    where = Where(
        location.latitude, location.longitude, location.address.city, location.address.region
    )
    return check(current(), where)


def test_demo_sites_bar_some_housing_and_not_other(app) -> None:  # noqa: ANN001
    load_demo()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(RestrictedSite)) == 6
    assert db.session.scalar(select(func.count()).select_from(ResidencyRule)) == 1
    two_rivers = _verdict("Two Rivers Halfway House", "Two Rivers Parole Residence")
    assert two_rivers.phrase == (
        "about 640 ft from school Hillcrest Elementary School (sample) — barred under "
        "Connecticut residency rule (sample)"
    )
    stonebridge = _verdict("Stonebridge Transitional Residence", "Stonebridge Transitional Rooms")
    assert stonebridge.phrase.startswith("about 450 ft from park Elm Green Park (sample)")
    thornbury = _verdict("Thornbury Recovery House", "Thornbury Men's Recovery House")
    assert thornbury.phrase == "no restricted site within 1,000 ft"
    load_demo()  # again: nothing more
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(RestrictedSite)) == 6
