"""Verdicts on real geometry: just inside and just outside a distance, inside a park, near a
park's edge but far from its center, two overlapping jurisdictions, another town's rule."""

from __future__ import annotations

from app.residency.verdicts import Outcome, Where, check, feet_words
from app.residency.vocabulary import SiteKind
from tests.residency.geo_helpers import HOUSE, index, moved, point_site, rule, square_site

STATE_SCHOOLS = rule("Connecticut school zone", (SiteKind.SCHOOL,), 1000)
TOWN_PARKS = rule("Hartford park zone", (SiteKind.PARK,), 2000, "town", "Hartford")
HERE = Where(*HOUSE, town="Hartford", county="Hartford County")


def test_999_ft_from_a_school_is_barred_and_1001_ft_is_not() -> None:
    near = point_site("Elm Street School", SiteKind.SCHOOL, *moved(HOUSE, 999, 60))
    far = point_site("Oak Street School", SiteKind.SCHOOL, *moved(HOUSE, 1001, 240))
    barred = check(index([near], [STATE_SCHOOLS]), HERE)
    assert barred.outcome is Outcome.BARRED
    assert barred.bars[0].feet == pytest_approx(999)
    assert barred.phrase == (
        "about 1,000 ft from school Elm Street School — barred under Connecticut school zone"
    )
    clear = check(index([far], [STATE_SCHOOLS]), HERE)
    assert clear.outcome is Outcome.CLEAR
    assert clear.phrase == "no school within 1,000 ft"


def pytest_approx(value: float):  # noqa: ANN201
    import pytest

    return pytest.approx(value, abs=0.05)


def test_a_640_ft_school_reads_about_640_ft() -> None:
    school = point_site("Maple School", SiteKind.SCHOOL, *moved(HOUSE, 641, 10))
    verdict = check(index([school], [STATE_SCHOOLS]), HERE)
    assert verdict.phrase.startswith("about 640 ft from school Maple School")
    assert feet_words(1234) == "1,250 ft"


def test_a_house_inside_a_park_is_barred_at_zero_feet() -> None:
    park = square_site("Bushnell Park", SiteKind.PARK, moved(moved(HOUSE, 300, 180), 300, 270), 800)
    verdict = check(index([park], [TOWN_PARKS]), HERE)
    assert verdict.barred
    assert verdict.bars[0].feet == 0
    assert verdict.phrase == "inside park Bushnell Park — barred under Hartford park zone"


def test_near_a_big_parks_edge_but_far_from_its_center_is_barred() -> None:
    # 6,000 ft square; west edge 1,900 ft east of the house, center about 4,900 ft away.
    park = square_site(
        "Riverside Park", SiteKind.PARK, moved(moved(HOUSE, 1900, 90), 3000, 180), 6000
    )
    verdict = check(index([park], [TOWN_PARKS]), HERE)
    assert verdict.barred
    assert 1890 < verdict.bars[0].feet < 1910
    outside = square_site("Far Park", SiteKind.PARK, moved(moved(HOUSE, 2100, 90), 3000, 180), 6000)
    assert check(index([outside], [TOWN_PARKS]), HERE).outcome is Outcome.CLEAR


def test_two_overlapping_jurisdictions_each_apply_their_own_distance() -> None:
    school = point_site("Lincoln School", SiteKind.SCHOOL, *moved(HOUSE, 1500, 0))
    park = point_site("Pope Park", SiteKind.PARK, *moved(HOUSE, 1500, 180))
    both = index([school, park], [STATE_SCHOOLS, TOWN_PARKS])
    verdict = check(both, HERE, every=True)
    # The school at 1,500 ft is outside the state's 1,000 ft; the park is inside the town's 2,000.
    assert verdict.barred
    assert [(b.site.name, b.rule.name) for b in verdict.bars] == [
        ("Pope Park", "Hartford park zone")
    ]
    elsewhere = Where(*HOUSE, town="West Hartford", county="Hartford County")
    assert check(both, elsewhere).phrase == "no school within 1,000 ft"
    calm = check(index([], [STATE_SCHOOLS, TOWN_PARKS]), HERE)
    assert calm.phrase == "no school within 1,000 ft or park within 2,000 ft"


def test_another_towns_rule_does_not_apply() -> None:
    park = point_site("Edgewood Park", SiteKind.PARK, *moved(HOUSE, 100, 0))
    new_haven = rule("New Haven park zone", (SiteKind.PARK,), 2000, "town", "New Haven")
    verdict = check(index([park], [new_haven]), HERE)
    assert verdict.outcome is Outcome.NO_RULE
    assert verdict.phrase == "no residency rule covers this place"
    county = rule("Hartford County parks", (SiteKind.PARK,), 500, "county", "Hartford")
    assert check(index([park], [county]), HERE).barred
    assert not check(
        index([park], [county]), Where(*HOUSE, town="X", county="New Haven County")
    ).barred


def test_a_person_not_on_the_registry_is_not_covered_and_no_position_is_said() -> None:
    school = point_site("Elm Street School", SiteKind.SCHOOL, *moved(HOUSE, 100, 60))
    idx = index([school], [STATE_SCHOOLS])
    assert check(idx, HERE, on_registry=False).outcome is Outcome.NO_RULE
    assert check(idx, Where(None, None, "Hartford")).phrase == (
        "not checked: no map position for this place"
    )


def test_the_grid_finds_sites_across_a_cell_border_and_matches_brute_force() -> None:
    import random

    from app.residency.geometry import distance_ft

    rng = random.Random(7)
    sites = [
        point_site(
            f"S{i}",
            SiteKind.SCHOOL,
            41.76 + rng.uniform(-0.02, 0.02),
            -72.67 + rng.uniform(-0.02, 0.02),
        )
        for i in range(400)
    ]
    idx = index(sites, [STATE_SCHOOLS])
    by_id = {s.id: s for s in sites}
    for _ in range(60):
        lat, lon = 41.76 + rng.uniform(-0.02, 0.02), -72.67 + rng.uniform(-0.02, 0.02)
        where = Where(lat, lon, "Hartford")
        found = {b.site.id for b in check(idx, where, every=True).bars}
        brute = {s.id for s in sites if distance_ft(lat, lon, s.shape, limit=1000) <= 1000}
        assert found == brute
        quick = check(idx, where)  # stops early: the same nearest bar
        assert quick.barred == bool(brute)
        if brute:
            nearest_id = min(brute, key=lambda i: distance_ft(lat, lon, by_id[i].shape))
            assert quick.bars[0].site.id == nearest_id
