"""Release-plan measures counted by the database, checked against a hand-built world."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.accounts.models import Role
from app.clock import local_today
from app.extensions import db
from app.plans.junctures import record_juncture
from app.plans.models import PlanAnswer, PlanVersion
from app.plans.vocabulary import ItemKind, ItemStatus, Juncture, PersonAnswer
from app.reports.measures import Filters
from app.reports.plan_measures import DaysToArranged, compute_plans
from tests import factories
from tests.reports.builders import local_moment, released_person

TODAY = local_today()
PERIOD = Filters(start=TODAY - timedelta(days=60), end=TODAY)
S = ItemStatus


def _item(plan, kind: ItemKind):  # noqa: ANN001,ANN202
    return next(i for i in plan.items if i.kind == kind)


@pytest.fixture
def team(db):  # noqa: ANN001,ANN201
    facility = factories.make_facility()
    return factories.make_user(Role.COUNSELOR, facility=facility), facility


def test_plan_started_at_least_45_local_days_before_release(team) -> None:  # noqa: ANN001
    counselor, _ = team
    released = TODAY - timedelta(days=10)
    day = released - timedelta(days=45)
    # 22:30 in Hartford on the 45th day before is already the next day in UTC: still in time.
    released_person(counselor, released_on=released, plan_started=local_moment(day, 22, 30))
    released_person(counselor, released_on=released, plan_started=local_moment(day, 0, 30))
    released_person(
        counselor, released_on=released, plan_started=local_moment(day - timedelta(days=300))
    )
    # The 44th day before, at any hour: too late.
    late = day + timedelta(days=1)
    released_person(counselor, released_on=released, plan_started=local_moment(late, 0, 5))
    released_person(counselor, released_on=released, plan_started=local_moment(late, 23, 55))
    released_person(counselor, released_on=released, plan_started=None)  # no plan at all
    # Released before the period, with a plan long before: not counted anywhere.
    released_person(
        counselor,
        released_on=PERIOD.start - timedelta(days=1),
        plan_started=local_moment(TODAY - timedelta(days=400)),
    )
    released_person(counselor, released_on=None, plan_started=local_moment(TODAY))

    m = compute_plans(PERIOD)
    assert (m.released, m.started_early, m.started_late) == (6, 3, 3)


def test_in_line_with_the_discharge_plan_and_the_gaps_by_kind(team) -> None:  # noqa: ANN001
    counselor, _ = team
    released = TODAY - timedelta(days=5)
    started = local_moment(released - timedelta(days=50))

    def person(statuses: dict | None = None, **kw):  # noqa: ANN003,ANN202
        return released_person(
            counselor, released_on=released, plan_started=started, statuses=statuses, **kw
        )

    person()  # everything arranged: in line
    person({ItemKind.HOUSING: S.NOT_NEEDED, ItemKind.CLOTHING: S.NOT_NEEDED})  # in line
    person({ItemKind.MENTORING: S.TO_DO, ItemKind.FAMILY: S.IN_PROGRESS})  # not essential: in line
    person({ItemKind.HOUSING: S.COULD_NOT_ARRANGE})  # not in line
    person({ItemKind.HOUSING: S.TO_DO, ItemKind.EMPLOYMENT: S.IN_PROGRESS})  # not in line
    person({ItemKind.HOUSING: S.TO_DO}, review=False)  # no review: counted apart
    # Released before the period with gaps: not counted.
    released_person(
        counselor,
        released_on=PERIOD.start - timedelta(days=3),
        plan_started=started - timedelta(days=30),
        statuses={ItemKind.HOUSING: S.TO_DO, ItemKind.TREATMENT: S.TO_DO},
    )

    m = compute_plans(PERIOD)
    assert (m.released, m.reviewed, m.not_reviewed) == (6, 5, 1)
    assert (m.in_line, m.not_in_line) == (3, 2)
    assert m.gaps[ItemKind.HOUSING] == 2
    assert m.gaps[ItemKind.EMPLOYMENT] == 1
    assert m.gaps[ItemKind.MENTORING] == m.gaps[ItemKind.FAMILY] == 1
    assert m.gaps[ItemKind.TREATMENT] == m.gaps[ItemKind.CLOTHING] == 0
    assert set(m.gaps) == set(ItemKind)


def test_the_snapshot_at_release_counts_not_todays_checklist(team) -> None:  # noqa: ANN001
    counselor, _ = team
    _, plan = released_person(
        counselor,
        released_on=TODAY - timedelta(days=2),
        plan_started=local_moment(TODAY - timedelta(days=90)),
        statuses={ItemKind.HOUSING: S.TO_DO},
    )
    _item(plan, ItemKind.HOUSING).status = S.ARRANGED  # arranged after release
    db.session.commit()
    m = compute_plans(PERIOD)
    assert (m.in_line, m.gaps[ItemKind.HOUSING]) == (0, 1)


def test_days_from_plan_start_to_arranged_by_kind(team) -> None:  # noqa: ANN001
    counselor, _ = team
    start_day = TODAY - timedelta(days=50)
    for days in (3, 10, 10, 20, 40):
        _, plan = released_person(
            counselor, released_on=None, plan_started=local_moment(start_day, 9)
        )
        # Late in the evening in Hartford: already the next day in UTC, still this day here.
        _item(plan, ItemKind.HOUSING).arranged_at = local_moment(
            start_day + timedelta(days=days), 23, 30
        )
        _item(plan, ItemKind.ID_DOCUMENTS).arranged_at = local_moment(start_day + timedelta(days=4))
    _, before = released_person(counselor, released_on=None, plan_started=local_moment(start_day))
    _item(before, ItemKind.HOUSING).arranged_at = local_moment(PERIOD.start - timedelta(days=1))
    db.session.commit()

    m = compute_plans(PERIOD)
    # Nearest rank of 5 values: the 3rd is the median, the 5th the 90th percentile.
    assert m.days[ItemKind.HOUSING] == DaysToArranged(5, 10, 40)
    assert m.days[ItemKind.ID_DOCUMENTS] == DaysToArranged(5, 4, 4)
    assert m.days[ItemKind.TRANSPORTATION] == DaysToArranged(0)


def test_need_help_after_release_counts_people_once(team) -> None:  # noqa: ANN001
    counselor, _ = team
    released = TODAY - timedelta(days=20)
    started = local_moment(released - timedelta(days=60))

    def answer(plan, kind: ItemKind, answer: PersonAnswer, day) -> None:  # noqa: ANN001
        db.session.add(PlanAnswer(item=_item(plan, kind), answer=answer, answered_on=day))

    _, twice = released_person(counselor, released_on=released, plan_started=started)
    answer(twice, ItemKind.HOUSING, PersonAnswer.NEED_HELP, released)  # on release day: counts
    answer(twice, ItemKind.FAMILY, PersonAnswer.NEED_HELP, released + timedelta(days=3))
    _, before = released_person(counselor, released_on=released, plan_started=started)
    answer(before, ItemKind.HOUSING, PersonAnswer.NEED_HELP, released - timedelta(days=1))
    _, went = released_person(counselor, released_on=released, plan_started=started)
    answer(went, ItemKind.HOUSING, PersonAnswer.WENT, released + timedelta(days=1))
    # Released long ago, asked for help in the period: counts (answers in the period).
    long_ago = PERIOD.start - timedelta(days=100)
    _, old = released_person(
        counselor, released_on=long_ago, plan_started=local_moment(long_ago - timedelta(days=50))
    )
    answer(old, ItemKind.HOUSING, PersonAnswer.NEED_HELP, TODAY)
    # Asked before the period: not counted.
    _, earlier = released_person(
        counselor, released_on=long_ago, plan_started=local_moment(long_ago - timedelta(days=50))
    )
    answer(earlier, ItemKind.HOUSING, PersonAnswer.NEED_HELP, PERIOD.start - timedelta(days=1))
    db.session.commit()

    assert compute_plans(PERIOD).need_help == 2


def test_facility_and_town_filters_narrow_people_and_need_area_does_not(team) -> None:  # noqa: ANN001
    counselor, facility = team
    other = factories.make_facility()
    released = TODAY - timedelta(days=5)
    started = local_moment(released - timedelta(days=50))
    for town in ("Hartford", "Hartford", "New Haven"):
        released_person(
            counselor,
            released_on=released,
            plan_started=started,
            destination_town=town,
            statuses={ItemKind.HOUSING: S.TO_DO},
        )
    _, plan = released_person(
        counselor, released_on=released, plan_started=started, facility_id=other.id
    )
    _item(plan, ItemKind.HOUSING).arranged_at = local_moment(TODAY)
    db.session.commit()

    def counts(**kw) -> tuple[int, int, int]:  # noqa: ANN003
        m = compute_plans(Filters(PERIOD.start, PERIOD.end, **kw))
        return m.released, m.gaps[ItemKind.HOUSING], m.days[ItemKind.HOUSING].items

    assert counts() == (4, 3, 1)
    assert counts(facility_id=facility.id) == (3, 3, 0)
    assert counts(facility_id=other.id) == (1, 0, 1)
    assert counts(town=" hartford ") == (2, 2, 0)
    assert counts(need_area="housing") == counts()


def test_a_second_release_counts_its_own_checklist_once(team) -> None:  # noqa: ANN001
    """Released, back inside, released again: the latest copy at release is the one read."""
    counselor, _ = team
    _, plan = released_person(
        counselor,
        released_on=TODAY - timedelta(days=3),
        plan_started=local_moment(TODAY - timedelta(days=200)),
        statuses={ItemKind.HOUSING: S.TO_DO},
    )
    _item(plan, ItemKind.HOUSING).status = S.ARRANGED
    record_juncture(plan, Juncture.RETURN_TO_COMMUNITY, counselor)
    db.session.commit()
    m = compute_plans(PERIOD)
    assert (m.reviewed, m.in_line, m.gaps[ItemKind.HOUSING]) == (1, 1, 0)


def test_a_kind_no_longer_in_the_list_counts_as_other(team) -> None:  # noqa: ANN001
    counselor, _ = team
    _, plan = released_person(
        counselor,
        released_on=TODAY - timedelta(days=3),
        plan_started=local_moment(TODAY - timedelta(days=60)),
        review=False,
    )
    db.session.add(
        PlanVersion(
            plan=plan,
            number=1,
            juncture=Juncture.RETURN_TO_COMMUNITY,
            phase=plan.phase,
            items=[{"kind": "pets", "status": "to_do"}, {"kind": "housing", "status": "arranged"}],
        )
    )
    db.session.commit()
    m = compute_plans(PERIOD)
    assert (m.reviewed, m.in_line, m.gaps[ItemKind.OTHER]) == (1, 1, 1)
