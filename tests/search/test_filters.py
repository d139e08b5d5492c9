"""Filters, capacity, open now, eligibility verdicts, sorting, facets and bad requests."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from app.directory.eligibility import EligibilityProfile, Status
from app.directory.vocabulary import Answer, CapacityStatus, Criterion
from app.extensions import db
from app.search import SearchError, SearchRequest, search
from tests import factories
from tests.search.conftest import hours, names, service


def test_need_area_filter_includes_children(find, taxonomy) -> None:  # noqa: ANN001
    service("Recovery House", needs=("housing.recovery",))
    service("Shelter", needs=("housing.emergency_shelter",))
    service("Pantry", needs=("food",))
    assert sorted(names(find(need_areas=["housing"]))) == ["Recovery House", "Shelter"]
    assert names(find(need_areas=["housing.recovery"])) == ["Recovery House"]
    assert sorted(names(find(need_areas=["housing.recovery", "food"]))) == [
        "Pantry",
        "Recovery House",
    ]


def test_town_and_language_filters(find, taxonomy) -> None:  # noqa: ANN001
    service("Hartford Help", town="Hartford", languages=("en", "es"))
    service("New Haven Help", town="New Haven", languages=("en",))
    assert names(find(town="new haven")) == ["New Haven Help"]
    assert names(find(language="es")) == ["Hartford Help"]
    assert names(find(text="help", town="Hartford", language="en")) == ["Hartford Help"]


def test_inactive_services_are_not_found(find, taxonomy) -> None:  # noqa: ANN001
    from app.directory.vocabulary import ServiceStatus

    service("Open Pantry")
    service("Closed Pantry", status=ServiceStatus.DEFUNCT)
    assert names(find(text="pantry")) == ["Open Pantry"]
    assert names(find()) == ["Open Pantry"]


def test_has_capacity_excludes_stale_and_full(find, taxonomy) -> None:  # noqa: ANN001
    fresh = service("Fresh Beds")
    factories.make_capacity(fresh, available=2, age_days=1)
    stale = service("Stale Beds")
    factories.make_capacity(stale, available=5, age_days=20)
    full = service("Full Beds")
    factories.make_capacity(full, available=0, status=CapacityStatus.NO_CAPACITY)
    waiting = service("Waitlist Beds")
    factories.make_capacity(waiting, available=0, status=CapacityStatus.WAITLIST)
    service("No Figure")

    assert names(find(has_capacity=True)) == ["Fresh Beds"]
    assert sorted(names(find(has_capacity=True, include_waitlist=True))) == [
        "Fresh Beds",
        "Waitlist Beds",
    ]
    results = find(text="beds")
    by_name = {r.name: r for r in results.results}
    assert by_name["Stale Beds"].capacity_status == "unknown"
    assert by_name["Stale Beds"].capacity_stale is True
    assert by_name["Stale Beds"].capacity[0].stale is True
    assert by_name["Stale Beds"].capacity[0].text.startswith("Unknown")
    assert by_name["Fresh Beds"].capacity_status == "has_room"
    assert results.facets["capacity_status"] == {
        "has_room": 1,
        "unknown": 1,
        "full": 1,
        "waitlist": 1,
    }


def test_fresh_room_ranks_above_stale_for_the_same_text(find, taxonomy) -> None:  # noqa: ANN001
    stale = service("Beds Alpha")
    factories.make_capacity(stale, available=5, age_days=30)
    fresh = service("Beds Beta")
    factories.make_capacity(fresh, available=5, age_days=1)
    assert names(find(text="beds")) == ["Beds Beta", "Beds Alpha"]


def test_room_turns_unknown_when_the_figure_ages_without_a_reindex(find, taxonomy) -> None:  # noqa: ANN001
    """The index remembers each service's capacity state until its next figure turns stale:
    a later search on the same index must see the change at exactly that moment."""
    from app.common import utcnow

    beds = service("Aging Beds")
    capacity = factories.make_capacity(beds, available=3, age_days=0)
    stale_days = 14
    turns = capacity.updated + timedelta(days=stale_days)
    assert names(find(has_capacity=True, now=utcnow())) == ["Aging Beds"]  # builds the index
    at_the_limit = search(SearchRequest(has_capacity=True), now=turns)
    assert names(at_the_limit) == ["Aging Beds"]
    just_after = search(SearchRequest(has_capacity=True), now=turns + timedelta(seconds=1))
    assert names(just_after) == []
    everything = search(SearchRequest(), now=turns + timedelta(seconds=1))
    assert everything.facets["capacity_status"] == {"unknown": 1}


# Monday 2024-01-08 in local (New York) time, expressed in UTC (EST = UTC-5).
def _local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 1, day, hour, minute, tzinfo=UTC) + timedelta(hours=5)


def test_open_now_across_midnight_and_24_hours(find, taxonomy) -> None:  # noqa: ANN001
    night = service("Night Shelter")
    hours(night, "FR", time(22, 0), time(6, 0))  # Friday 10 pm to Saturday 6 am
    allday = service("Crisis Line")
    hours(allday, "MO,TU,WE,TH,FR,SA,SU", time(0, 0), time(0, 0))
    office = service("Day Office")
    hours(office, "MO,TU,WE,TH,FR", time(9, 0), time(17, 0))
    service("No Hours Listed")

    saturday_2am = _local(13, 2)  # 2024-01-13 is a Saturday
    assert sorted(names(find(open_now=True, now=saturday_2am))) == ["Crisis Line", "Night Shelter"]
    saturday_7am = _local(13, 7)
    assert names(find(open_now=True, now=saturday_7am)) == ["Crisis Line"]
    friday_11pm = _local(12, 23)
    assert sorted(names(find(open_now=True, now=friday_11pm))) == ["Crisis Line", "Night Shelter"]
    monday_10am = _local(8, 10)
    assert sorted(names(find(open_now=True, now=monday_10am))) == ["Crisis Line", "Day Office"]
    monday_5pm = _local(8, 17)  # closing time itself is closed
    results = find(now=monday_5pm)
    state = {r.name: r.open_now for r in results.results}
    assert state == {
        "Crisis Line": True,
        "Day Office": False,
        "Night Shelter": False,
        "No Hours Listed": None,
    }


def test_eligibility_hides_not_eligible_and_explains(find, taxonomy) -> None:  # noqa: ANN001
    refuses = service("No Registry House")
    factories.make_rule(refuses, Criterion.SEX_OFFENSE_REGISTRY, Answer.NO)
    unsure = service("Ask First House")
    factories.make_rule(unsure, Criterion.VETERANS_ONLY, Answer.YES)
    welcomes = service("Open Door House")
    factories.make_rule(welcomes, Criterion.SEX_OFFENSE_REGISTRY, Answer.YES)
    profile = EligibilityProfile(on_registry=True, veteran=None)

    hidden = find(text="house", profile=profile)
    assert sorted(names(hidden)) == ["Ask First House", "Open Door House"]
    verdicts = {r.name: r.verdict for r in hidden.results}
    assert verdicts["Open Door House"].status == Status.ELIGIBLE
    assert verdicts["Ask First House"].status == Status.UNKNOWN
    questions = [message for _, message in verdicts["Ask First House"].questions]
    assert any("veteran" in q for q in questions)
    assert any("registry" in q for q in questions)

    shown = find(text="house", profile=profile, eligibility_mode="show_all")
    verdicts = {r.name: r.verdict for r in shown.results}
    assert shown.total == 3
    assert verdicts["No Registry House"].status == Status.NOT_ELIGIBLE
    assert "registry" in verdicts["No Registry House"].reasons[0][1]
    assert verdicts["No Registry House"].conviction_related is True


def test_no_profile_means_no_verdict(find, taxonomy) -> None:  # noqa: ANN001
    refuses = service("No Registry House")
    factories.make_rule(refuses, Criterion.SEX_OFFENSE_REGISTRY, Answer.NO)
    results = find(text="house")
    assert names(results) == ["No Registry House"]
    assert results.results[0].verdict is None


def test_sort_by_verified_and_facets(find, taxonomy) -> None:  # noqa: ANN001
    now = datetime.now(UTC)
    service("Old Check", needs=("food",), last_verified_at=now - timedelta(days=200))
    service("New Check", needs=("food",), town="New Haven", last_verified_at=now)
    service("Never Checked", needs=("housing.recovery",), languages=("es",))
    results = find(sort="verified")
    assert names(results) == ["New Check", "Old Check", "Never Checked"]
    assert results.facets["need_area"] == {"food": 2, "housing": 1, "housing.recovery": 1}
    assert results.facets["town"] == {"Hartford": 2, "New Haven": 1}
    assert results.facets["language"] == {"es": 1}


def test_paging(find, taxonomy) -> None:  # noqa: ANN001
    for n in range(5):
        service(f"Pantry {n}")
    first = find(text="pantry", per_page=2)
    second = search(SearchRequest(text="pantry", per_page=2, page=3))
    assert first.total == 5 and len(first.results) == 2
    assert len(second.results) == 1
    assert set(names(first)).isdisjoint(names(second))


@pytest.mark.parametrize(
    ("request_fields", "parameter"),
    [
        ({"need_areas": ["spaceships"]}, "need"),
        ({"near": "Hartford", "radius_miles": 0}, "radius_miles"),
        ({"near": "Hartford", "radius_miles": -3}, "radius_miles"),
        ({"near": "Hartford", "radius_miles": 501}, "radius_miles"),
        ({"per_page": 101}, "per_page"),
        ({"per_page": 0}, "per_page"),
        ({"page": 0}, "page"),
        ({"near": "Atlantis Upon Sea"}, "near"),
        ({"sort": "distance"}, "sort"),
        ({"sort": "cheapest"}, "sort"),
        ({"eligibility_mode": "maybe"}, "eligibility_mode"),
    ],
)
def test_bad_requests_name_the_parameter(index_dir, taxonomy, request_fields, parameter) -> None:  # noqa: ANN001
    with pytest.raises(SearchError) as caught:
        search(SearchRequest(**request_fields))
    assert caught.value.parameter == parameter
    assert caught.value.message


def test_radius_500_is_allowed(find, taxonomy) -> None:  # noqa: ANN001
    service("Anywhere Help")
    assert find(near="Hartford", radius_miles=500).total == 1
    db.session.rollback()


def test_each_person_gets_their_own_verdicts_search_after_search(find, taxonomy) -> None:  # noqa: ANN001
    """A backend may remember rule verdicts between searches: never across people."""
    refuses = service("No Registry House")
    factories.make_rule(refuses, Criterion.SEX_OFFENSE_REGISTRY, Answer.NO)
    service("Open Door House")
    on_registry = EligibilityProfile(on_registry=True)
    not_on_registry = EligibilityProfile(on_registry=False)

    for _ in range(2):
        assert names(find(text="house", profile=on_registry)) == ["Open Door House"]
        found = find(text="house", profile=not_on_registry)
        assert sorted(names(found)) == ["No Registry House", "Open Door House"]
    # a profile holding a plain set (not hashable) is judged too
    with_set = EligibilityProfile(on_registry=True, documents=set())
    hidden = find(text="house", profile=with_set)
    assert names(hidden) == ["Open Door House"]
    assert hidden.hidden == {"refuses": 1}
