"""Who really accepts: the figures, the 5-referral threshold, the 12-month window, who sees them,
and the ranking boost on a counselor's search for a person."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from flask import current_app
from sqlalchemy import event

from app.accounts.models import Role
from app.extensions import db
from app.referrals.acceptance import (
    acceptance_boosts,
    acceptance_evidence,
    boost,
    search_boosts,
)
from app.referrals.vocabulary import REACHED_BIT, ReferralStatus
from app.search.index import forget, rebuild_index
from tests import factories

NOW = datetime(2031, 3, 10, 15, 0, tzinfo=UTC)
REGISTRY = {"on_registry": True}
ACCEPTED = REACHED_BIT[ReferralStatus.ACCEPTED]
DECLINED = REACHED_BIT[ReferralStatus.DECLINED]


@pytest.fixture
def clock():  # noqa: ANN201
    with time_machine.travel(NOW, tick=False):
        yield


def _service(name: str = "Harbor House"):  # noqa: ANN202
    org = factories.make_organization(name=f"{name} Org")
    return factories.make_service(org, location=factories.make_location(org), name=name)


def _past_referral(
    counselor,
    service,
    *,
    accepted: bool,
    days_ago: float = 30,
    answer_hours=36,  # noqa: ANN001
    answers=REGISTRY,
    answered: bool = True,
):  # noqa: ANN001
    person = factories.make_client(counselor, eligibility=dict(answers))
    referral = factories.make_referral(person, service, counselor)
    referral.sent_at = NOW - timedelta(days=days_ago)
    if answered:
        referral.reached = REACHED_BIT[ReferralStatus.SENT] | (ACCEPTED if accepted else DECLINED)
        referral.first_response_at = referral.sent_at + timedelta(hours=answer_hours)
    db.session.commit()
    return referral


def _history(counselor, service, accepted: int, declined: int, **kw):  # noqa: ANN001,ANN003,ANN202
    for _ in range(accepted):
        _past_referral(counselor, service, accepted=True, **kw)
    for _ in range(declined):
        _past_referral(counselor, service, accepted=False, **kw)


def test_five_answered_referrals_give_the_line(db, clock) -> None:  # noqa: ANN001
    counselor, service = factories.make_user(), _service()
    _history(counselor, service, accepted=4, declined=1, answer_hours=36)

    [item] = acceptance_evidence([service.id], ["on_registry"])[service.id]

    assert item.line == (
        "Accepted 4 of 5 referrals for people on the registry in the last 12 months; "
        "answers in 1.5 days (median)"
    )
    assert item.share == pytest.approx(0.8) and boost([item]) == pytest.approx(1.24)


def test_four_answered_referrals_show_nothing(db, clock) -> None:  # noqa: ANN001
    counselor, service = factories.make_user(), _service()
    _history(counselor, service, accepted=3, declined=1)
    _past_referral(counselor, service, accepted=False, answered=False)  # not answered: no count
    assert acceptance_evidence([service.id], ["on_registry"]) == {}


def test_only_the_last_12_months_count(db, clock) -> None:  # noqa: ANN001
    counselor, service = factories.make_user(), _service()
    _history(counselor, service, accepted=4, declined=0)
    old = _past_referral(counselor, service, accepted=True, days_ago=366)
    assert acceptance_evidence([service.id], ["on_registry"]) == {}
    old.sent_at = NOW - timedelta(days=364)
    db.session.commit()
    assert acceptance_evidence([service.id], ["on_registry"])[service.id][0].answered == 5


def test_each_answer_is_counted_for_people_with_that_answer_only(db, clock) -> None:  # noqa: ANN001
    counselor, service = factories.make_user(), _service()
    _history(counselor, service, accepted=5, declined=0, answers={"violent_conviction": True})
    _history(counselor, service, accepted=2, declined=3, answers={"on_registry": False})

    found = acceptance_evidence([service.id], ["on_registry", "violent_conviction"])

    assert [i.line.split(" in the last")[0] for i in found[service.id]] == [
        "Accepted 5 of 5 referrals for people with a violent conviction"
    ]


def test_a_page_of_services_is_one_query(db, clock) -> None:  # noqa: ANN001
    from sqlalchemy import event

    counselor = factories.make_user()
    services = [_service(f"House {n}") for n in range(3)]
    for service in services:
        _history(counselor, service, accepted=3, declined=2)
    ids = [s.id for s in services]
    statements = []

    def count(*args) -> None:  # noqa: ANN002
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        found = acceptance_evidence(ids, ["on_registry", "arson_conviction"])
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(found) == 3 and len(statements) == 1


def test_the_search_factors_are_the_page_figures_boost_for_every_service(db, clock) -> None:  # noqa: ANN001
    counselor = factories.make_user()
    strong, weak, thin, other = (_service(n) for n in ("Strong", "Weak", "Thin", "Other"))
    _history(counselor, strong, accepted=5, declined=0)
    _history(counselor, weak, accepted=1, declined=4)
    _history(counselor, weak, accepted=0, declined=5, answers={"violent_conviction": True})
    _history(counselor, thin, accepted=4, declined=0)  # under 5: no figure, no factor
    _history(counselor, other, accepted=5, declined=0, answers={"arson_conviction": True})
    flags = ["on_registry", "violent_conviction"]
    factors = acceptance_boosts(flags)
    figures = acceptance_evidence([strong.id, weak.id, thin.id, other.id], flags)
    assert factors == {sid: boost(found) for sid, found in figures.items()}
    assert factors == {strong.id: pytest.approx(1.3), weak.id: pytest.approx(1.0)}  # lowest share


def test_search_factors_are_remembered_until_a_referral_changes(db, clock) -> None:  # noqa: ANN001
    counselor, service = factories.make_user(), _service()
    _history(counselor, service, accepted=4, declined=0)
    assert search_boosts(["on_registry"]) == {}
    statements = []

    def count(*args) -> None:  # noqa: ANN002
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert search_boosts(["on_registry"]) == {}
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1  # the version read only: the aggregate is remembered
    _past_referral(counselor, service, accepted=True)  # the fifth: a figure now
    assert search_boosts(["on_registry"]) == {service.id: pytest.approx(1.3)}


# --- pages: counselors and administrators only -------------------------------------------------


def _world():  # noqa: ANN202
    counselor = factories.make_user()
    person = factories.make_client(counselor, eligibility=dict(REGISTRY))
    plain, evidenced = _service("Alpha Shelter House"), _service("Beta Shelter House")
    _history(counselor, evidenced, accepted=5, declined=1)
    return counselor, person, plain, evidenced


LINE = "Accepted 5 of 6 referrals for people on the registry in the last 12 months"


def test_a_counselor_sees_the_line_on_the_service_page_for_a_person(db, login, clock) -> None:  # noqa: ANN001
    counselor, person, _, evidenced = _world()
    browser = login(counselor)
    page = browser.get(f"/directory/services/{evidenced.id}?client={person.id}")
    assert page.status_code == 200 and LINE in page.get_data(as_text=True)
    assert LINE not in browser.get(f"/directory/services/{evidenced.id}").get_data(as_text=True)


def test_a_counselor_off_the_persons_team_is_refused(db, login, clock) -> None:  # noqa: ANN001
    _, person, _, evidenced = _world()
    browser = login(factories.make_user())
    assert browser.get(f"/directory/services/{evidenced.id}?client={person.id}").status_code == 403


def test_providers_and_the_public_never_see_it(db, client, login, clock) -> None:  # noqa: ANN001
    _, person, _, evidenced = _world()
    public = client.get(f"/services/{evidenced.id}?client={person.id}").get_data(as_text=True)
    assert "Accepted 5 of" not in public
    api = client.get(f"/api/services/{evidenced.id}")
    assert api.status_code == 200 and "accepted 5 of" not in api.get_data(as_text=True).lower()
    provider = factories.make_user(Role.PROVIDER, organizations=[evidenced.organization])
    browser = login(provider)
    page = browser.get(f"/directory/services/{evidenced.id}?client={person.id}")
    assert page.status_code == 200 and "Accepted 5 of" not in page.get_data(as_text=True)


def test_the_staff_search_for_a_person_shows_the_line_and_ranks_it_first(db, login, clock) -> None:  # noqa: ANN001
    counselor, person, plain, evidenced = _world()
    # Without the person, Alpha ranks first: verified today (× 1.2) against never (× 1.0); the
    # figure (5 of 6: × 1.25) lifts Beta above it for a person on the registry.
    plain.last_verified_at = NOW
    db.session.commit()
    index = Path(current_app.config["SEARCH_INDEX_DIR"])
    rebuild_index(index)
    forget(index)
    browser = login(counselor)

    html = browser.get(f"/staff/search?client={person.id}&q=shelter").get_data(as_text=True)

    assert LINE in html
    assert html.index("Beta Shelter House") < html.index("Alpha Shelter House")
    words = " ".join(html.split())
    assert "Ranked partly by who really accepts" in words and "(1 service with figures" in words
    html = browser.get("/staff/search?q=shelter").get_data(as_text=True)  # no person: no figures
    assert LINE not in html
    assert html.index("Alpha Shelter House") < html.index("Beta Shelter House")


def _token(user) -> dict[str, str]:  # noqa: ANN001
    from app.accounts.api_tokens import create_token

    _, plaintext = create_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plaintext}"}


def test_the_json_search_for_a_person_carries_the_figures_and_their_order(
    db, client, clock
) -> None:  # noqa: ANN001
    counselor, person, plain, evidenced = _world()
    plain.last_verified_at = NOW
    db.session.commit()
    index = Path(current_app.config["SEARCH_INDEX_DIR"])
    rebuild_index(index)
    forget(index)
    headers = _token(counselor)

    body = client.get(
        "/api/search", query_string={"q": "shelter", "client_id": person.id}, headers=headers
    ).get_json()

    names = [r["name"] for r in body["results"]]
    assert names.index("Beta Shelter House") < names.index("Alpha Shelter House")
    found = {r["name"]: r for r in body["results"]}
    assert found["Alpha Shelter House"]["acceptance"] == []
    [figure] = found["Beta Shelter House"]["acceptance"]
    assert figure["answer"] == "on_registry" and (figure["accepted"], figure["answered"]) == (5, 6)
    assert figure["people"] == "people on the registry" and figure["message"].startswith(LINE)
    # Without the person: no figures, the backend's order.
    plain_body = client.get("/api/search", query_string={"q": "shelter"}, headers=headers)
    names = [r["name"] for r in plain_body.get_json()["results"]]
    assert names.index("Alpha Shelter House") < names.index("Beta Shelter House")
    assert all("acceptance" not in r for r in plain_body.get_json()["results"])


def test_the_json_figures_are_for_the_persons_team_only(db, client, clock) -> None:  # noqa: ANN001
    _, person, _, evidenced = _world()
    query = {"q": "shelter", "client_id": person.id}
    outsiders = {
        "another counselor": _token(factories.make_user()),
        "the provider": _token(
            factories.make_user(Role.PROVIDER, organizations=[evidenced.organization])
        ),
        "an analyst": _token(factories.make_user(Role.ANALYST)),
    }
    for who, headers in outsiders.items():
        response = client.get("/api/search", query_string=query, headers=headers)
        assert response.status_code == 404, who
        assert "Accepted 5 of" not in response.get_data(as_text=True), who
    public = client.get("/api/search", query_string={"q": "shelter"}).get_data(as_text=True)
    assert "acceptance" not in public and "Accepted 5 of" not in public


def test_a_service_with_evidence_rises_from_a_later_page(db, client, clock) -> None:  # noqa: ANN001
    """The search itself ranks by the figures: not just the page shown."""
    counselor, person, plain, evidenced = _world()
    gamma = _service("Gamma Shelter House")
    plain.last_verified_at = gamma.last_verified_at = NOW  # × 1.2 each; Beta never verified
    db.session.commit()
    index = Path(current_app.config["SEARCH_INDEX_DIR"])
    rebuild_index(index)
    forget(index)
    headers = _token(counselor)

    def first_page(**extra) -> list[str]:  # noqa: ANN003
        query = {"q": "shelter", "per_page": 2, **extra}
        body = client.get("/api/search", query_string=query, headers=headers).get_json()
        return [r["name"] for r in body["results"]]

    assert "Beta Shelter House" not in first_page()  # on page 2 for anyone else
    assert first_page(client_id=person.id)[0] == "Beta Shelter House"


def test_the_referral_check_carries_the_figures_for_staff_only(db, client, clock) -> None:  # noqa: ANN001
    counselor, person, plain, evidenced = _world()
    query = {"client_id": person.id, "service_id": evidenced.id}
    body = client.get("/api/referrals/check", query_string=query, headers=_token(counselor))
    [figure] = body.get_json()["acceptance"]
    assert (figure["answer"], figure["accepted"], figure["answered"]) == ("on_registry", 5, 6)
    assert figure["message"].startswith(LINE)
    query["service_id"] = plain.id
    body = client.get("/api/referrals/check", query_string=query, headers=_token(counselor))
    assert body.get_json()["acceptance"] == []  # no figure for this one
