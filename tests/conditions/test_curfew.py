"""Curfew against opening hours: same-evening and overnight curfews, hours past midnight."""

from __future__ import annotations

from datetime import time
from types import SimpleNamespace

import pytest

from app.conditions.curfew import CurfewFit, check_curfew, openings, span


def t(hour: int, minute: int = 0) -> time:
    return time(hour, minute)


def test_an_evening_group_after_the_curfew_is_inside_it() -> None:
    result = check_curfew(t(18), t(6), [(t(19), t(21))])
    assert result.fit == CurfewFit.INSIDE
    assert result.message == "Meets at 7–9 pm: after the 6 pm curfew"


def test_an_early_morning_opening_before_the_curfew_ends() -> None:
    result = check_curfew(t(21), t(7), [(t(5), t(6, 30))])
    assert result.fit == CurfewFit.INSIDE
    assert result.message == "Meets at 5–6:30 am: before the curfew ends at 7 am"


@pytest.mark.parametrize(
    "opens,closes,fit",
    [
        ((9, 0), (17, 0), CurfewFit.CLEAR),  # daytime
        ((9, 0), (21, 0), CurfewFit.CLEAR),  # closes as the curfew starts
        ((9, 0), (22, 0), CurfewFit.PARTLY),  # runs into the curfew
        ((17, 0), (20, 59), CurfewFit.CLEAR),  # ends just before a 9 pm curfew
        ((21, 0), (23, 0), CurfewFit.INSIDE),  # starts exactly at the curfew
        ((22, 0), (2, 0), CurfewFit.INSIDE),  # overnight hours inside an overnight curfew
        ((20, 0), (2, 0), CurfewFit.PARTLY),  # overnight hours starting before the curfew
        ((5, 0), (8, 0), CurfewFit.PARTLY),  # opens before the curfew ends at 6 am
        ((6, 0), (12, 0), CurfewFit.CLEAR),  # opens as the curfew ends
        ((0, 0), (0, 0), CurfewFit.PARTLY),  # open 24 hours: some of it is fine
    ],
)
def test_overnight_curfew_9pm_to_6am(opens, closes, fit) -> None:  # noqa: ANN001
    assert check_curfew(t(21), t(6), [(t(*opens), t(*closes))]).fit == fit


def test_same_day_curfew_and_overnight_hours() -> None:
    # A curfew from 1 am to 5 am (not overnight) against a shelter open 8 pm to 2 am.
    assert check_curfew(t(1), t(5), [(t(20), t(2))]).fit == CurfewFit.PARTLY
    assert check_curfew(t(1), t(5), [(t(2), t(4))]).fit == CurfewFit.INSIDE
    assert check_curfew(t(1), t(5), [(t(20), t(23))]).fit == CurfewFit.CLEAR


def test_one_usable_opening_is_not_inside() -> None:
    hours = [(t(10), t(12)), (t(19), t(21))]
    result = check_curfew(t(18), t(6), hours)
    assert result.fit == CurfewFit.PARTLY
    assert "7–9 pm" in result.message and "partly inside the 6 pm–6 am curfew" in result.message


def test_no_hours_is_said_honestly() -> None:
    result = check_curfew(t(21), t(6), [])
    assert result.fit == CurfewFit.UNKNOWN
    assert result.message == "Hours unknown: check them against the 9 pm–6 am curfew"


def test_openings_reads_weekly_rows_and_skips_unknown_times() -> None:
    rows = [
        SimpleNamespace(freq="WEEKLY", opens_at=t(19), closes_at=t(21)),
        SimpleNamespace(freq="WEEKLY", opens_at=t(19), closes_at=t(21)),  # another weekday
        SimpleNamespace(freq="WEEKLY", opens_at=None, closes_at=None),
        SimpleNamespace(freq="MONTHLY", opens_at=t(8), closes_at=t(9)),
    ]
    assert openings(rows) == [(t(19), t(21))]


@pytest.mark.parametrize(
    "opens,closes,words",
    [
        ((19, 0), (21, 0), "7–9 pm"),
        ((11, 0), (13, 0), "11 am–1 pm"),
        ((22, 0), (2, 0), "10 pm–2 am"),
        ((18, 30), (20, 0), "6:30–8 pm"),
        ((20, 0), (0, 0), "8 pm–midnight"),
    ],
)
def test_span_words(opens, closes, words) -> None:  # noqa: ANN001
    assert span(t(*opens), t(*closes)) == words
