"""Allowed area (may not leave) and excluded places (may not enter)."""

from __future__ import annotations

import pytest

from app.conditions.area import check_area, county_of
from app.conditions.districts import District, district_of


def test_outside_the_allowed_county() -> None:
    found = check_area("New Haven", "New Haven County", ["Hartford County"], [])
    assert found.outside_allowed is True
    assert found.message == "Outside the allowed area (Hartford County)"


@pytest.mark.parametrize(
    "town,county",
    [("Hartford", "Hartford County"), ("hartford", None), ("New Britain", "HARTFORD COUNTY")],
)
def test_inside_the_allowed_area_says_nothing(town, county) -> None:  # noqa: ANN001
    found = check_area(town, county, ["Hartford County"], [])
    assert found.outside_allowed is False and found.message is None


def test_county_comes_from_the_offline_zip_table() -> None:
    assert county_of("New Britain") == "Hartford County"
    assert check_area("Waterbury", None, ["Hartford County"], []).outside_allowed is True


def test_an_allowed_town_list() -> None:
    assert check_area("Hartford", None, ["Hartford", "East Hartford"], []).message is None
    assert check_area("Manchester", None, ["Hartford", "East Hartford"], []).outside_allowed


def test_a_town_the_person_may_not_enter() -> None:
    found = check_area("Bristol", "Hartford County", ["Hartford County"], ["Bristol"])
    assert found.excluded is True
    assert found.message == "In a town the person may not enter (Bristol)"


def test_unknown_place_is_not_silently_fine() -> None:
    found = check_area(None, None, ["Hartford County"], [])
    assert found.outside_allowed is None and "not listed" in found.message


def test_no_conditions_no_words() -> None:
    assert check_area("Hartford", None, [], []).message is None


def test_every_district_covers_its_own_city() -> None:
    assert district_of("hartford") == District.HARTFORD
    assert district_of("New London") == District.NORWICH
    assert district_of("Springfield") is None
    assert len(District) == 5
