"""Search with a person: "needs documents" never counts as refusing (both backends alike), the
conditions' warnings on the staff page's results, and the parole district filter."""

from __future__ import annotations

from datetime import time

from app.accounts.models import Role
from app.directory.eligibility import EligibilityProfile, Status
from app.directory.vocabulary import Answer, Criterion
from app.search.hidden import REFUSES
from tests import factories
from tests.conditions.conftest import give_conditions
from tests.search.conftest import hours, names, service

NEW_HAVEN = {"town": "New Haven", "lat": 41.3083, "lon": -72.9279}


def test_needs_documents_is_not_refusing(find, taxonomy) -> None:  # noqa: ANN001
    papers = service("Papers Please House")
    factories.make_rule(papers, Criterion.DOCUMENTS, Answer.YES, values=["birth_certificate"])
    factories.make_rule(papers, Criterion.SEX_OFFENSE_REGISTRY, Answer.YES)
    refuses = service("No Registry House")
    factories.make_rule(refuses, Criterion.SEX_OFFENSE_REGISTRY, Answer.NO)
    profile = EligibilityProfile(on_registry=True, documents=set())

    results = find(text="house", profile=profile)
    assert names(results) == ["Papers Please House"]
    assert results.hidden == {REFUSES: 1}  # only the registry rule refuses
    verdict = results.results[0].verdict
    assert verdict.status == Status.NEEDS_DOCUMENTS
    assert verdict.needs_line == "Needs: birth certificate"


def test_strictly_required_documents_are_labeled_not_eligible(find, taxonomy) -> None:  # noqa: ANN001
    strict = service("Strict Papers House")
    factories.make_rule(strict, Criterion.DOCUMENTS, Answer.YES, values=["state_id"], strict=True)
    results = find(text="house", profile=EligibilityProfile(documents=set()),
                   eligibility_mode="show_all")  # fmt: skip
    assert results.results[0].verdict.status == Status.NOT_ELIGIBLE


def _birth_certificate_places():  # noqa: ANN202
    strict = service("Strict Papers House")
    rule = factories.make_rule(
        strict, Criterion.DOCUMENTS, Answer.YES, values=["birth_certificate"], strict=True
    )
    lenient = service("Easy Papers House")
    factories.make_rule(lenient, Criterion.DOCUMENTS, Answer.YES, values=["birth_certificate"])
    return rule


def test_strictly_required_documents_are_hidden_as_refusing(find, taxonomy) -> None:  # noqa: ANN001
    _birth_certificate_places()
    lacking = EligibilityProfile(documents={"state_id"})

    results = find(text="house", profile=lacking)
    assert names(results) == ["Easy Papers House"]
    assert results.total == 1
    assert results.hidden == {REFUSES: 1}
    assert results.results[0].verdict.status == Status.NEEDS_DOCUMENTS
    assert results.results[0].verdict.needs_line == "Needs: birth certificate"
    # The person who has it is refused by neither.
    holding = find(text="house", profile=EligibilityProfile(documents={"birth_certificate"}))
    assert sorted(names(holding)) == ["Easy Papers House", "Strict Papers House"]
    assert holding.hidden == {}


def test_marking_a_document_strictly_required_updates_the_index(find, taxonomy) -> None:  # noqa: ANN001
    from app.extensions import db
    from app.search import SearchRequest, search

    rule = _birth_certificate_places()
    lacking = EligibilityProfile(documents=set())
    assert names(find(text="house", profile=lacking)) == ["Easy Papers House"]
    # No rebuild from here on: the change itself reaches the index (or the search rows).
    rule.strict = False
    db.session.commit()
    found = search(SearchRequest(text="house", profile=lacking))
    assert sorted(names(found)) == ["Easy Papers House", "Strict Papers House"]
    assert found.hidden == {}
    rule.strict = True
    db.session.commit()
    found = search(SearchRequest(text="house", profile=lacking))
    assert names(found) == ["Easy Papers House"]
    assert found.hidden == {REFUSES: 1}


def _people(db):  # noqa: ANN001,ANN202
    counselor = factories.make_user(Role.COUNSELOR)
    person = factories.make_client(counselor, destination_town="Hartford")
    return counselor, person


def test_staff_results_carry_the_conditions_warnings(
    client, login, index_dir, taxonomy, db
) -> None:  # noqa: ANN001
    evening = service("Evening Group House")
    hours(evening, "TU,TH", time(19), time(21))
    far = service("Shoreline House", **NEW_HAVEN)
    far.service_at_locations[0].location.addresses[0].region = "New Haven County"
    hours(far, "MO", time(9), time(17))
    counselor, person = _people(db)
    give_conditions(person, counselor)  # 6 pm-6 am, Hartford County only
    login(counselor)
    html = client.get("/staff/search", query_string={"q": "house", "client": person.id}).get_data(
        as_text=True
    )
    assert "Meets at 7–9 pm: after the 6 pm curfew" in html
    assert "Outside the allowed area (Hartford County)" in html
    assert "Checked against this person's supervision conditions" in html
    # Without a person: no conditions, no warnings.
    plain = client.get("/staff/search", query_string={"q": "house"}).get_data(as_text=True)
    assert "curfew" not in plain


def test_district_filter_keeps_the_district_towns(client, login, index_dir, taxonomy) -> None:  # noqa: ANN001
    service("Capitol House")
    service("Elm City House", **NEW_HAVEN)
    service("Harbor View House", town="West Haven", lat=41.2706, lon=-72.9470)
    login(factories.make_user(Role.COUNSELOR))
    html = client.get(
        "/staff/search", query_string={"q": "house", "district": "new_haven", "per_page": 1}
    ).get_data(as_text=True)
    assert "2 places found" in html and "page 1 of 2" in html
    assert "Capitol House" not in html
    assert "New Haven district office: 2 places found in its towns" in html
    second = client.get(
        "/staff/search",
        query_string={"q": "house", "district": "new_haven", "per_page": 1, "page": 2},
    ).get_data(as_text=True)
    assert "Capitol House" not in second
    everything = client.get(
        "/staff/search", query_string={"q": "house", "district": "nowhere"}
    ).get_data(as_text=True)
    assert "Elm City House" in everything and "Capitol House" in everything


def test_district_towns_filter_the_whole_result_set(find, taxonomy) -> None:  # noqa: ANN001
    from app.conditions.districts import District

    service("Capitol House")
    service("Elm City House", **NEW_HAVEN)
    service("Harbor View House", town="West Haven", lat=41.2706, lon=-72.9470)
    service("Bristol House", town="Bristol", lat=41.6718, lon=-72.9493)

    results = find(text="house", towns=District.NEW_HAVEN.towns, per_page=1)
    assert results.total == 2
    assert results.facets["town"] == {"New Haven": 1, "West Haven": 1}
    second = find(text="house", towns=District.NEW_HAVEN.towns, per_page=1, page=2)
    assert sorted(names(results) + names(second)) == ["Elm City House", "Harbor View House"]
    hartford = find(text="house", towns=District.HARTFORD.towns)
    assert sorted(names(hartford)) == ["Bristol House", "Capitol House"]
    # With a town chosen too, both hold.
    assert names(find(text="house", towns=District.HARTFORD.towns, town="Bristol")) == [
        "Bristol House"
    ]
    assert find(text="house", towns=District.WATERBURY.towns).total == 0


def test_api_district_parameter(client, index_dir, taxonomy) -> None:  # noqa: ANN001
    service("Capitol House")
    service("Elm City House", **NEW_HAVEN)
    service("Harbor View House", town="West Haven", lat=41.2706, lon=-72.9470)
    body = client.get(
        "/api/search", query_string={"q": "house", "district": "new_haven", "per_page": 1}
    ).get_json()
    assert body["total"] == 2 and len(body["results"]) == 1
    assert body["facets"]["town"] == {"New Haven": 1, "West Haven": 1}
    for bad in ("nowhere", ""):
        response = client.get("/api/search", query_string={"q": "house", "district": bad})
        assert response.status_code == 400
        assert response.get_json()["parameter"] == "district"
    assert (
        "must be one of: hartford, new_haven"
        in client.get("/api/search", query_string={"district": "nowhere"}).get_json()["detail"]
    )
