"""The release-plan tables on the dashboard and in its CSV: names not codes, small cells hidden
(complementary too), shares hidden with the counts they rest on, no person shown."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.clock import local_today
from app.extensions import db
from app.plans.models import PlanAnswer
from app.plans.vocabulary import ItemKind, ItemStatus, PersonAnswer
from app.referrals.models import Client
from app.reports.dashboard import protected_sections
from app.reports.measures import Measures
from app.reports.plan_measures import DaysToArranged, PlanMeasures
from app.reports.suppression import SUPPRESSED, WITHHELD
from app.reports.unmet import UnmetNeed
from tests import factories
from tests.reports.builders import local_moment, released_person
from tests.reports.downloads import all_rows, download_tables
from tests.reports.test_complementary_suppression import revealed

PEOPLE = "Release plans: people released"
GAPS = "Items not arranged at release, by kind"
DAYS = "Days from plan start to arranged, by kind"
ROW = {
    "released": "People released in the period",
    "early": "… plan started at least 45 days before release",
    "late": "… plan started later than that, or no plan",
    "reviewed": "… release recorded with a plan review (the checklist at release)",
    "not_reviewed": "… released without a recorded plan review (not counted below)",
    "in_line": "In line with the discharge plan: every essential item arranged or not needed",
    "not_in_line": "Not in line: an essential item to do, in progress or could not arrange",
    "need_help": "People who said “I need help with this” after release (answers in the period)",
}


def _tables(plans: PlanMeasures) -> dict[str, dict[str, tuple[str, ...]]]:
    sections = protected_sections(Measures(), [], UnmetNeed(), {}, plans=plans)
    return {s.title: {row[0]: tuple(row[1:]) for row in s.rows} for s in sections}


def test_a_small_complement_hides_its_partner_and_the_shares() -> None:
    plans = PlanMeasures(
        released=20,
        started_early=17,  # 3 started late: hidden, so 17 is hidden too
        reviewed=20,
        in_line=12,
        gaps={ItemKind.HOUSING: 8, ItemKind.CLOTHING: 2, ItemKind.FAMILY: 0},
        days={
            ItemKind.HOUSING: DaysToArranged(9, 12, 30),
            ItemKind.FAMILY: DaysToArranged(3, 2, 5),
        },
        need_help=4,
    )
    people = _tables(plans)[PEOPLE]
    assert people[ROW["released"]] == ("20", "")
    assert people[ROW["early"]] == people[ROW["late"]] == (SUPPRESSED, SUPPRESSED)
    assert people[ROW["reviewed"]] == ("20", "100%")
    assert people[ROW["not_reviewed"]] == ("0", "0%")
    assert people[ROW["in_line"]] == ("12", "60%")
    assert people[ROW["not_in_line"]] == ("8", "40%")
    assert people[ROW["need_help"]] == (SUPPRESSED, "")

    gaps = _tables(plans)[GAPS]
    assert list(gaps) == ["Housing", "Clothing", "Family"]  # largest first, by name
    assert gaps["Housing"] == ("8", "40%")
    assert gaps["Clothing"] == (SUPPRESSED, SUPPRESSED)
    assert gaps["Family"] == ("0", "0%")

    days = _tables(plans)[DAYS]
    assert days["Housing"] == ("9", "12 days", "30 days")
    assert days["Family"] == (SUPPRESSED, SUPPRESSED, SUPPRESSED)


def test_a_rate_on_a_small_base_is_withheld() -> None:
    plans = PlanMeasures(released=0, gaps={ItemKind.HOUSING: 0})
    people = _tables(plans)[PEOPLE]
    assert people[ROW["early"]] == ("0", "—")
    plans = PlanMeasures(released=5, started_early=5, reviewed=5, in_line=5)
    people = _tables(plans)[PEOPLE]
    assert people[ROW["in_line"]] == ("5", "100%")
    assert _tables(PlanMeasures(released=10, started_early=5, reviewed=3))[PEOPLE][
        ROW["in_line"]
    ] == ("0", SUPPRESSED)  # its base (3 reviewed) is hidden
    assert WITHHELD not in str(people)


def _plan_cells(sections) -> dict[tuple[str, str, str], str]:  # noqa: ANN001
    return {
        (s.title, row[0], s.headers[j]): row[j]
        for s in sections
        if s.title == PEOPLE
        for row in s.rows
        for j in range(1, len(row))
    }


@pytest.mark.parametrize("seed", range(150))
def test_no_hidden_person_count_follows_from_the_shown_ones(seed: int) -> None:
    """The attack of test_complementary_suppression, on the sums a reader sees in the labels."""
    rng = random.Random(seed)
    released = rng.randint(0, rng.choice([6, 15, 40]))
    reviewed = rng.randint(0, released)
    plans = PlanMeasures(
        released=released,
        started_early=rng.randint(0, released),
        reviewed=reviewed,
        in_line=rng.randint(0, reviewed),
    )
    sections = protected_sections(Measures(), [], UnmetNeed(), {}, plans=plans)
    cells = _plan_cells(sections)
    count = {label: (PEOPLE, text, "People") for label, text in ROW.items()}
    sums = [
        (count["released"], [count["early"], count["late"]]),
        (count["released"], [count["reviewed"], count["not_reviewed"]]),
        (count["reviewed"], [count["in_line"], count["not_in_line"]]),
    ]
    assert not any(value in {"1", "2", "3", "4"} for value in cells.values())
    assert revealed(cells, sums) == []
    for label in ROW:  # a share is never shown beside a hidden count, nor on a hidden base
        share = cells[(PEOPLE, ROW[label], "Share")]
        base = count["reviewed" if "in_line" in label else "released"]
        if share and SUPPRESSED in (cells[count[label]], cells[base]):
            assert share == SUPPRESSED


@pytest.fixture
def released_world(db):  # noqa: ANN001,ANN201
    """Eight people released ten days ago, plans started 50 days before: six in line, two with
    housing still to do; six housing items arranged; one "I need help" after release."""
    counselor = factories.make_user(Role.COUNSELOR, facility=factories.make_facility())
    released = local_today() - timedelta(days=10)
    start_day = released - timedelta(days=50)
    for i, days in enumerate((5, 6, 7, 8, 9, 30, None, None)):
        statuses = {ItemKind.HOUSING: ItemStatus.TO_DO} if days is None else {}
        _, plan = released_person(
            counselor,
            released_on=released,
            plan_started=local_moment(start_day),
            statuses=statuses,
            last_name=f"Zyxwardine{i}",
        )
        housing = next(item for item in plan.items if item.kind == ItemKind.HOUSING)
        if days is not None:
            housing.arranged_at = local_moment(start_day + timedelta(days=days))
        else:
            db.session.add(
                PlanAnswer(item=housing, answer=PersonAnswer.NEED_HELP, answered_on=released)
            )
    db.session.commit()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMIN])
def test_the_page_shows_the_plan_tables_by_name(released_world, client, login, role) -> None:  # noqa: ANN001
    login(factories.make_user(role))
    html = client.get("/reports/").get_data(as_text=True)
    for title in (PEOPLE, GAPS, DAYS):
        assert f">{title}</h2>" in html
    cell = "<td>{}</td>"
    assert f"{ROW['released']}</th>{cell.format(8)}<td></td>" in html
    assert f"{ROW['early']}</th>{cell.format(8)}{cell.format('100%')}" in html
    # Two not in line: hidden, and so are the six (8 reviewed - 6 would give the two away).
    hidden = cell.format(SUPPRESSED) * 2
    assert f"{ROW['in_line']}</th>{hidden}" in html
    assert f"{ROW['not_in_line']}</th>{hidden}" in html
    assert f">Housing</th>{hidden}" in html  # two with housing open at release
    assert f">Clothing</th>{cell.format(0)}{cell.format('0%')}" in html
    assert f">Housing</th>{cell.format(6)}{cell.format('7 days')}{cell.format('30 days')}" in html
    assert f"{ROW['need_help']}</th>{cell.format(SUPPRESSED)}" in html
    codes = [
        *(k.value for k in ItemKind if "_" in k.value),
        *(s.value for s in ItemStatus if "_" in s.value),
    ]
    assert not [code for code in codes if code in html]  # names, not codes
    assert "Discharge funds</th>" in html and "ID and vital documents</th>" in html


def test_the_csv_carries_the_same_plan_tables(released_world, client, login) -> None:  # noqa: ANN001
    login(factories.make_user(Role.ANALYST))
    tables = download_tables(client)
    assert {PEOPLE, GAPS, DAYS} <= set(tables)
    assert tables[PEOPLE][0] == ["Measure", "People", "Share"]
    rows = all_rows(tables)
    assert [ROW["early"], "8", "100%"] in rows
    assert [ROW["in_line"], SUPPRESSED, SUPPRESSED] in rows
    assert [ROW["not_in_line"], SUPPRESSED, SUPPRESSED] in rows
    assert ["Housing", SUPPRESSED, SUPPRESSED] in rows
    assert ["Housing", "6", "7 days", "30 days"] in rows
    assert not any(cell in {"1", "2", "3", "4"} for row in rows for cell in row)
    html = client.get("/reports/").get_data(as_text=True)
    for person in db.session.scalars(select(Client)):
        assert person.last_name not in html
        assert person.last_name not in str(rows)


def test_other_staff_do_not_see_the_plan_measures(released_world, client, login) -> None:  # noqa: ANN001
    login(factories.make_user(Role.COUNSELOR, facility=factories.make_facility()))
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/network.zip").status_code == 403
