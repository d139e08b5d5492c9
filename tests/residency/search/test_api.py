"""GET /api/search for staff: residency verdicts and "hide barred housing" for a counselor's or
an administrator's token searching for a person on the registry, the person's own profile and
conditions' warnings with client_id; nothing of it for the public, a provider or an analyst."""

from __future__ import annotations

from app.accounts.api_tokens import create_token
from app.accounts.models import Role
from app.extensions import db
from tests import factories
from tests.conditions.conftest import give_conditions


def _h(user) -> dict[str, str]:  # noqa: ANN001
    _, plaintext = create_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plaintext}"}


def _get(client, headers=None, status: int = 200, **args) -> dict:  # noqa: ANN001,ANN003
    args.setdefault("near", "Hartford")
    args.setdefault("eligibility_mode", "show_all")
    response = client.get("/api/search", query_string=args, headers=headers or {})
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def _by_name(body: dict) -> dict[str, dict]:
    return {r["name"]: r for r in body["results"]}


def test_a_counselor_gets_verdicts_and_can_hide_barred_housing(town, client) -> None:  # noqa: ANN001
    headers = _h(town["counselor"])
    body = _get(client, headers, on_registry="true")
    found = _by_name(body)
    assert found["Elm Court House"]["residency"] == {
        "outcome": "barred",
        "barred": True,
        "message": "About 500 ft from school Elm Street School — barred under Connecticut "
        "school zone",
    }
    assert found["Far Field House"]["residency"]["outcome"] == "clear"
    assert found["Elm Court Soup Kitchen"]["residency"] is None  # not housing
    assert "conditions" not in found["Far Field House"]  # no person named

    hidden = _get(client, headers, on_registry="true", hide_barred="true", per_page=1)
    assert hidden["total"] == 2 and hidden["hidden"] == {"barred": 1}
    assert sum(hidden["facets"]["capacity_status"].values()) == 2
    # A person not on the registry: the filter means nothing.
    other = _get(client, headers, on_registry="false", hide_barred="true")
    assert other["total"] == 3 and other["hidden"] == {}


def test_the_public_a_provider_and_an_analyst_get_none_of_it(town, client) -> None:  # noqa: ANN001
    org = factories.make_organization()
    callers = {
        "public": None,
        "provider": _h(factories.make_user(Role.PROVIDER, organizations=[org])),
        "analyst": _h(factories.make_user(Role.ANALYST)),
    }
    for who, headers in callers.items():
        body = _get(client, headers, on_registry="true", hide_barred="true")
        assert body["total"] == 3 and body["hidden"] == {}, who
        for result in body["results"]:
            assert "residency" not in result and "conditions" not in result, who
        assert "Elm Street School" not in str(body), who


def test_client_id_uses_the_record_and_adds_the_conditions_warnings(town, client) -> None:  # noqa: ANN001
    counselor, person = town["counselor"], town["registrant"]
    give_conditions(person, counselor, allowed_area=["New Haven County"])
    body = _get(client, _h(counselor), client_id=person.id, hide_barred="1")
    found = _by_name(body)
    assert body["hidden"] == {"barred": 1}  # on the registry from the record, not the URL
    assert "Elm Court House" not in found
    assert found["Far Field House"]["residency"]["outcome"] == "clear"
    assert {"code": "outside_area", "message": "Outside the allowed area (New Haven County)"} in (
        found["Far Field House"]["conditions"]
    )
    # The other person: no conditions recorded, so no warnings; not on the registry.
    plain = _get(client, _h(counselor), client_id=town["other"].id, hide_barred="1")
    assert all(r["conditions"] == [] for r in plain["results"])
    assert plain["total"] == 3


def test_client_id_of_someone_else_answers_404(town, client) -> None:  # noqa: ANN001
    person = town["registrant"]
    stranger = factories.make_user(Role.COUNSELOR)
    org = factories.make_organization()
    provider = factories.make_user(Role.PROVIDER, organizations=[org])
    for headers in (None, _h(stranger), _h(provider)):
        body = _get(client, headers, status=404, client_id=person.id)
        assert body["parameter"] == "client_id"
        assert "Elm Court House" not in str(body)
    unknown = _get(client, _h(town["counselor"]), status=404, client_id="no-such-person")
    assert unknown["detail"] == "No person with this id whose record you can see."


def test_a_bad_token_answers_401(town, client) -> None:  # noqa: ANN001
    body = _get(client, {"Authorization": "Bearer ptk_nonsense"}, status=401)
    assert body["status"] == 401


def test_the_referral_check_carries_the_housing_verdicts_for_a_registrant(town, client) -> None:  # noqa: ANN001
    counselor = town["counselor"]
    house = town["barred"]

    def check(person, headers) -> dict:  # noqa: ANN001
        query = {"client_id": person.id, "service_id": house.id}
        response = client.get("/api/referrals/check", query_string=query, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    mine = _h(counselor)
    [verdict] = check(town["registrant"], mine)["residency"]
    assert verdict["outcome"] == "barred" and verdict["barred"] is True
    assert "Elm Street School" in verdict["message"]
    assert check(town["other"], mine)["residency"] is None  # not on the registry
