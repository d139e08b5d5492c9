"""Residency fixtures: the search fixtures (index directory, taxonomy) and a small Hartford
catalog with one school, one state rule and a counselor with a client on the registry."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import current_app

from app.accounts.models import Role
from app.extensions import db
from app.residency.geometry import Shape
from app.residency.models import ResidencyRule, RestrictedSite
from app.residency.vocabulary import Level, SiteKind
from app.search.index import forget, rebuild_index
from tests import factories
from tests.residency.geo_helpers import HOUSE, moved
from tests.search.conftest import index_dir, service, taxonomy  # noqa: F401

FAR = moved(HOUSE, 5280, 90)  # a mile east


def add_site(
    name: str, kind: SiteKind, lat: float, lon: float, town: str = "Hartford"
) -> RestrictedSite:
    shape = Shape(point=(lon, lat))
    site = RestrictedSite(kind=kind, name=name, town=town, geometry=shape.to_geojson())
    site.min_lat, site.min_lon, site.max_lat, site.max_lon = shape.bbox()
    db.session.add(site)
    db.session.commit()
    return site


def add_rule(name: str, kinds: tuple[SiteKind, ...], feet: int, level: Level = Level.STATE,
             jurisdiction: str = "Connecticut") -> ResidencyRule:  # fmt: skip
    rule = ResidencyRule(
        name=name, level=level, jurisdiction=jurisdiction, kinds=[k.value for k in kinds],
        distance_ft=feet,
    )  # fmt: skip
    db.session.add(rule)
    db.session.commit()
    return rule


@pytest.fixture
def town(index_dir: Path, taxonomy):  # noqa: ANN001,ANN201,F811
    """Two houses (one 500 ft from a school), a soup kitchen beside the school, one rule."""
    barred = service("Elm Court House", needs=("housing.transitional",), lat=HOUSE[0], lon=HOUSE[1])
    clear = service("Far Field House", needs=("housing.transitional",), lat=FAR[0], lon=FAR[1])
    kitchen = service("Elm Court Soup Kitchen", needs=("food",), lat=HOUSE[0], lon=HOUSE[1])
    school = add_site("Elm Street School", SiteKind.SCHOOL, *moved(HOUSE, 500, 0))
    rule = add_rule("Connecticut school zone", (SiteKind.SCHOOL,), 1000)
    counselor = factories.make_user(Role.COUNSELOR)
    registrant = factories.make_client(counselor, eligibility={"on_registry": True})
    other = factories.make_client(counselor, eligibility={"on_registry": False})
    if current_app.config.get("SEARCH_BACKEND") != "postgres":
        rebuild_index(index_dir)
        forget(index_dir)
    return {
        "barred": barred, "clear": clear, "kitchen": kitchen, "school": school, "rule": rule,
        "counselor": counselor, "registrant": registrant, "other": other,
    }  # fmt: skip
