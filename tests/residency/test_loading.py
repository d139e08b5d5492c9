"""Loading sites (CSV, GeoJSON; by the page and by `flask residency load-sites`) and rules:
every problem names its row or feature and field, and a bad file saves nothing."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.extensions import db
from app.residency.loading import LoadError, load_file
from app.residency.models import ResidencyRule, RestrictedSite
from app.residency.vocabulary import SiteKind
from tests import factories

GOOD_CSV = """kind,name,town,latitude,longitude,geometry
school,Elm Street School,Hartford,41.7672,-72.6734,
child-care center,Little Oaks Day Care,Hartford,41.7600,-72.6800,
park,Pope Park,Hartford,,,"POLYGON ((-72.70 41.75, -72.69 41.75, -72.69 41.76, -72.70 41.75))"
"""

BAD_CSV = """kind,name,town,latitude,longitude
school,Elm Street School,Hartford,41.7672,-72.6734
zoo,Animal Place,Hartford,41.76,-72.67
park,Pope Park,Hartford,north,-72.67
playground,,Hartford,41.76,-72.67
"""

GEOJSON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"kind": "playground", "name": "Colt Playground", "town": "Hartford"},
            "geometry": {"type": "Point", "coordinates": [-72.66, 41.75]},
        },
        {
            "type": "Feature",
            "properties": {"kind": "park", "name": "Keney Park", "town": "Hartford"},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [
                    [[[-72.70, 41.79], [-72.68, 41.79], [-72.68, 41.80], [-72.70, 41.79]]]
                ],
            },
        },
    ],
}


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(RestrictedSite))


def test_csv_with_points_and_a_wkt_polygon_loads_and_reloading_adds_nothing(app) -> None:  # noqa: ANN001
    summary = load_file(GOOD_CSV, "sites.csv")
    db.session.commit()
    assert (summary.added, summary.updated) == (3, 0)
    park = db.session.scalar(select(RestrictedSite).where(RestrictedSite.kind == SiteKind.PARK))
    assert (park.min_lat, park.max_lon) == (41.75, -72.69)
    again = load_file(GOOD_CSV, "sites.csv")
    db.session.commit()
    assert (again.added, again.updated, _count()) == (0, 3, 3)
    only_school = load_file(
        GOOD_CSV.splitlines()[0] + "\n" + GOOD_CSV.splitlines()[1], "s.csv", replace=True
    )
    db.session.commit()
    assert (only_school.removed, _count()) == (2, 1)


def test_bad_csv_rows_name_row_and_field_and_nothing_is_saved(app) -> None:  # noqa: ANN001
    with pytest.raises(LoadError) as caught:
        load_file(BAD_CSV, "sites.csv")
    db.session.rollback()
    said = [str(p) for p in caught.value.problems]
    assert said[0].startswith("row 3, kind: 'zoo' is not a kind of site")
    assert "row 4, latitude: not a number" in said
    assert "row 5, name: a name is needed" in said
    assert _count() == 0
    with pytest.raises(LoadError, match="header, latitude and longitude"):
        load_file("kind,name\nschool,X\n", "sites.csv")


def test_geojson_feature_collection_loads_and_bad_features_are_named(app) -> None:  # noqa: ANN001
    assert load_file(json.dumps(GEOJSON), "sites.geojson").added == 2
    db.session.rollback()
    bad = json.loads(json.dumps(GEOJSON))
    bad["features"][1]["geometry"] = {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}
    bad["features"][0]["properties"]["kind"] = "castle"
    with pytest.raises(LoadError) as caught:
        load_file(json.dumps(bad), "sites.geojson")
    said = [str(p) for p in caught.value.problems]
    assert said[0].startswith("feature 1 (Colt Playground), kind:")
    assert said[1].startswith("feature 2 (Keney Park), geometry: geometry type must be")
    with pytest.raises(LoadError, match="FeatureCollection"):
        load_file('{"type": "Feature"}', "x.json")
    assert _count() == 0


def test_admin_page_loads_a_file_and_shows_problems_with_422(app, login) -> None:  # noqa: ANN001
    admin = factories.make_user(Role.ADMIN)
    client = login(admin)
    page = client.get("/residency/")
    assert page.status_code == 200
    bad = client.post(
        "/residency/sites",
        data={"file": (io.BytesIO(BAD_CSV.encode()), "sites.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Nothing was loaded" in text and "Row 4, latitude: not a number" in text
    assert _count() == 0
    good = client.post(
        "/residency/sites",
        data={"file": (io.BytesIO(json.dumps(GEOJSON).encode()), "sites.geojson")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "sites.geojson: 2 sites added, 0 updated." in good.get_data(as_text=True)
    assert _count() == 2


def test_rule_form_saves_a_rule_and_rejects_a_bad_one(app, login) -> None:  # noqa: ANN001
    client = login(factories.make_user(Role.ADMIN))
    bad = client.post(
        "/residency/rules/new",
        data={
            "name": "",
            "level": "town",
            "jurisdiction": "Hartford",
            "distance_ft": "0",
            "applies_to": "registry",
        },
    )
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Enter a name for the rule." in text and "Choose at least one kind of site." in text
    assert "Enter a distance in feet from 1 to 10,560." in text
    good = client.post(
        "/residency/rules/new",
        data={
            "name": "Hartford park zone",
            "level": "town",
            "jurisdiction": "Hartford",
            "kinds": ["park", "playground"],
            "distance_ft": "2000",
            "applies_to": "registry",
            "active": "y",
        },  # fmt: skip
        follow_redirects=True,
    )
    assert "Rule “Hartford park zone” saved." in good.get_data(as_text=True)
    rule = db.session.scalar(select(ResidencyRule))
    assert (rule.kinds, rule.distance_ft, rule.active) == (["park", "playground"], 2000, True)
    assert "Parks, playgrounds" in client.get("/residency/").get_data(as_text=True)


def test_only_administrators_manage_it(app, login) -> None:  # noqa: ANN001
    client = login(factories.make_user(Role.COUNSELOR))
    assert client.get("/residency/").status_code == 403
    assert client.post("/residency/rules/new", data={}).status_code == 403


def test_cli_loads_sites_all_or_nothing(app, tmp_path) -> None:  # noqa: ANN001
    good, bad = tmp_path / "sites.csv", tmp_path / "bad.csv"
    good.write_text(GOOD_CSV)
    bad.write_text(BAD_CSV)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["residency", "load-sites", str(bad)])
    assert result.exit_code != 0
    assert "bad.csv: row 3, kind" in result.output
    assert _count() == 0
    result = runner.invoke(args=["residency", "load-sites", str(good)])
    assert result.exit_code == 0, result.output
    assert "3 sites added" in result.output
    rules = tmp_path / "rules.csv"
    rules.write_text(
        "name,level,jurisdiction,kinds,distance_ft\n"
        "CT schools,state,Connecticut,school;child care,1000\n"
    )
    result = runner.invoke(args=["residency", "load-rules", str(rules)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(ResidencyRule.kinds)) == ["child_care", "school"]


def test_the_index_follows_the_tables_through_the_content_version(app) -> None:  # noqa: ANN001
    from app.residency.index import current

    first = current()
    assert first.sites == [] and current() is first  # unchanged tables: the same copy
    load_file(GOOD_CSV, "sites.csv")
    db.session.commit()
    second = current()
    assert second is not first
    assert sorted(s.name for s in second.sites) == [
        "Elm Street School",
        "Little Oaks Day Care",
        "Pope Park",
    ]


def test_sites_not_yet_committed_are_never_kept_for_others(app) -> None:  # noqa: ANN001
    from app.residency.index import current

    load_file(GOOD_CSV, "sites.csv")  # flushed, not committed
    assert len(current().sites) == 3  # this transaction sees its own rows
    db.session.rollback()
    assert current().sites == []  # and nobody keeps them after the rollback
