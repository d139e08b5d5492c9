"""Complementary suppression: no hidden count can be worked out by subtraction.

The attack is written here independently of the app's algorithm: read the tables as shown
(page = CSV), write down every sum a reader knows holds between them (a total and its parts),
then try every combination of those sums (each added, subtracted or left out) and check that
none leaves exactly one hidden cell with everything else shown.
"""

from __future__ import annotations

import itertools
import random

import pytest

from app.referrals.vocabulary import DeclineReason, NotEnrolledReason
from app.reports.dashboard import protected_sections
from app.reports.measures import Measures
from app.reports.suppression import SUPPRESSED, protect
from app.reports.unmet import UNKNOWN, UnmetNeed

NEEDS = {"housing": "Housing", "food": "Food", "legal": "Legal aid"}
TOWNS = ["Hartford", "Norwich", "Waterbury"]
MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04"]
DECLINE = [c.value for c in DeclineReason]
NOT_ENROLLED = [c.value for c in NotEnrolledReason]


def _random_network(rng: random.Random) -> tuple[Measures, list, UnmetNeed]:
    """Referrals drawn one by one, then counted the way the app's queries count them."""
    m, unmet = Measures(), UnmetNeed()
    months = {month: [0, 0] for month in rng.sample(MONTHS, rng.randint(1, len(MONTHS)))}
    for _ in range(rng.randint(0, rng.choice([8, 25, 70]))):
        month = rng.choice(list(months))
        months[month][0] += 1
        m.sent += 1
        fate = rng.choice(["declined", "accepted", "not_enrolled", "waitlisted", "cancelled"])
        reached = {fate} | ({"accepted"} if fate == "not_enrolled" else set())
        if fate == "declined":
            code = rng.choice(DECLINE)
            m.declined_by_reason[code] = m.declined_by_reason.get(code, 0) + 1
            if code in ("no_capacity", "not_eligible"):
                need = rng.choice([*NEEDS, UNKNOWN])
                town = rng.choice(TOWNS)
                unmet.declines_by_need[(need, code)] = (
                    unmet.declines_by_need.get((need, code), 0) + 1
                )
                unmet.declines_by_town[(town, code)] = (
                    unmet.declines_by_town.get((town, code), 0) + 1
                )
        if fate == "not_enrolled":
            code = rng.choice(NOT_ENROLLED)
            m.not_enrolled_by_reason[code] = m.not_enrolled_by_reason.get(code, 0) + 1
        if "accepted" in reached:
            months[month][1] += 1
        for status in reached:
            m.reached[status] = m.reached.get(status, 0) + 1
    unmet.searches_by_need = {code: rng.randint(0, 9) for code in NEEDS}
    unmet.searches_by_town = {t: rng.randint(0, 9) for t in rng.sample(TOWNS, 2)}
    m.overdue_now, m.released_with_card = rng.randint(0, 9), rng.randint(0, 9)
    figures = [(month, sent, acc) for month, (sent, acc) in sorted(months.items())]
    return m, figures, unmet


def _cells(sections) -> dict[tuple[str, str, str], str]:  # noqa: ANN001
    return {
        (s.title, row[0], s.headers[j]): row[j]
        for s in sections
        for row in s.rows
        for j in range(1, len(row))
    }


def _sums(cells: dict) -> list[tuple[tuple, list[tuple]]]:
    """Every (total, parts) a reader of the page knows to hold, from the labels alone."""
    ref = "Referrals"
    out = []
    for total, prefix in (("Declined", "Declined: "), ("Did not enroll", "Did not enroll: ")):
        parts = [k for k in cells if k[0] == ref and k[1].startswith(prefix)]
        if parts:
            out.append(((ref, total, "Value"), parts))
    trend = [k for k in cells if k[0].startswith("Referrals by")]
    for total, column in (("Referrals sent", "Sent"), ("Accepted", "Accepted")):
        out.append(((ref, total, "Value"), [k for k in trend if k[2] == column]))
    for code, column in (
        ("no_capacity", "Declined: no room"),
        ("not_eligible", "Declined: not eligible"),
    ):
        total = (ref, f"Declined: {DeclineReason(code).label}", "Value")
        if total in cells:
            for table in ("Unmet need by need area", "Unmet need by town"):
                out.append((total, [k for k in cells if k[0] == table and k[2] == column]))
    return out


def revealed(shown: dict, sums: list) -> list[tuple]:
    """Hidden cells fixed by some combination (+1, -1 or 0 times each sum): the attack."""
    useful = [(t, p) for t, p in sums if any(shown[c] == SUPPRESSED for c in (t, *p))]
    found = []
    for signs in itertools.product((-1, 0, 1), repeat=len(useful)):
        if not any(signs):
            continue
        weight: dict = {}
        for sign, (total, parts) in zip(signs, useful, strict=True):
            weight[total] = weight.get(total, 0) + sign
            for part in parts:
                weight[part] = weight.get(part, 0) - sign
        unknown = [c for c, w in weight.items() if w and shown[c] == SUPPRESSED]
        if len(unknown) == 1:
            found.append(unknown[0])
    return sorted(set(found), key=repr)


@pytest.mark.parametrize("seed", range(200))
def test_no_hidden_count_follows_from_the_shown_ones(seed: int) -> None:
    measures, figures, unmet = _random_network(random.Random(seed))
    sections = protected_sections(measures, figures, unmet, NEEDS)
    shown = _cells(sections)
    assert not any(value in {"1", "2", "3", "4"} for value in shown.values())
    sums = _sums(shown)
    assert revealed(shown, sums) == []
    for section in sections:  # the chart hides exactly what its table hides
        if section.chart:
            hidden_bars = [bar.suppressed for bar in section.chart.bars]
            hidden_cells = [c == SUPPRESSED for row in section.rows for c in row[1:]]
            assert hidden_bars == hidden_cells


def test_the_attack_finds_the_issue_example_when_only_small_counts_are_hidden() -> None:
    """Accepted = 10, months "fewer than 5" and 7: primary suppression alone gives the 3 away."""
    values = {"accepted": 10, "jan": 3, "feb": 7}
    sums = [("accepted", ["jan", "feb"])]
    primary = {k: (SUPPRESSED if 0 < v < 5 else str(v)) for k, v in values.items()}
    assert revealed(primary, sums) == ["jan"]
    hidden = protect(values, sums)
    assert hidden == {"jan", "feb"}
    protected = {k: (SUPPRESSED if k in hidden else str(v)) for k, v in values.items()}
    assert revealed(protected, sums) == []


def test_a_small_sum_of_hidden_cells_is_protected_too() -> None:
    """Two hidden months adding up to 3 (total 13, the rest 10) are a small count together."""
    values = {"total": 13, "a": 1, "b": 2, "c": 10}
    assert protect(values, [("total", ["a", "b", "c"])]) == {"a", "b", "c"}


def test_cells_linked_across_tables_are_protected_together() -> None:
    """A reason's count is a part of "Declined" and the total of a column elsewhere."""
    values = {"declined": 20, "no_room": 12, "other": 8, "n1": 3, "n2": 9}
    sums = [("declined", ["no_room", "other"]), ("no_room", ["n1", "n2"])]
    hidden = protect(values, sums)
    shown = {k: (SUPPRESSED if k in hidden else str(v)) for k, v in values.items()}
    assert "n1" in hidden and revealed(shown, sums) == []
