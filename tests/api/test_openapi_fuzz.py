"""Schemathesis over every operation and method of the OpenAPI document, with a token of each role,
every check, valid and invalid input: no 5xx, and every answer as the document says.

Runs in-process against the Flask app (WSGI, no network) on a demo-like catalog with referrals,
so real ids exist: about half the cases use a known id for each path parameter and body id.
Bounded and derandomized (the same cases each run), so each role takes well under two minutes;
on PostgreSQL too when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import schemathesis
from flask import current_app
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from app.accounts.api_tokens import create_token
from app.accounts.models import Role
from app.api.openapi import build_document
from app.extensions import db
from app.plans.models import PlanItem
from app.plans.services import start_plan
from app.plans.vocabulary import ItemKind
from tests import factories
from tests.interop.hsds_helpers import catalog, index_dir, taxonomy  # noqa: F401

EXAMPLES = 25  # per operation and role
HSDS_LISTS = {"/services", "/organizations", "/service_at_locations", "/taxonomies",
              "/taxonomy_terms"}  # fmt: skip


@pytest.fixture
def world(catalog):  # noqa: ANN001,ANN201,F811
    """The HSDS test catalog plus people, tokens, a client and referrals in several states."""
    facility = factories.make_facility()
    w = SimpleNamespace(
        provider=factories.make_user(Role.PROVIDER, organizations=[catalog.harbor]),
        counselor=factories.make_user(Role.COUNSELOR, facility=facility),
        admin=factories.make_user(Role.ADMIN),
        analyst=factories.make_user(Role.ANALYST),
    )
    person = factories.make_client(w.counselor)
    factories.make_consent(person, w.counselor, organization=catalog.valley)
    referrals = [
        factories.make_referral(person, catalog.sober_house, w.counselor),
        factories.make_referral(person, catalog.pantry, w.counselor),
        factories.make_referral(person, catalog.jobs, w.counselor),
    ]
    # A release plan whose housing item a Harbor referral serves (the provider's) and whose
    # employment item a Valley one does; a second person has no plan yet (start: 201, then 409).
    plan = start_plan(person, w.counselor)
    served = {ItemKind.HOUSING: referrals[0], ItemKind.EMPLOYMENT: referrals[2]}
    for item in plan.items:
        item.referral_id = served[item.kind].id if item.kind in served else None
    newcomer = factories.make_client(w.counselor)
    ids = {"referral": [r.id for r in referrals], "client": [person.id, newcomer.id],
           "plan_item": [i.id for i in plan.items]}  # fmt: skip
    # HSDS ids as published (some reference rows get name-based UUIDs), read from the lists.
    reader = current_app.test_client()
    for kind in ("services", "organizations", "service_at_locations", "taxonomies",
                 "taxonomy_terms"):  # fmt: skip
        listing = reader.get(f"/api/{kind}", query_string={"per_page": 20}).get_json()
        ids[kind] = [item["id"] for item in listing["contents"]]
    w.ids = ids
    w.tokens = {}
    for role in FUZZED_ROLES:
        _, w.tokens[role] = create_token(getattr(w, role), "fuzz")
    db.session.commit()
    return w


def _known_ids(path: str, ids: dict[str, list[str]]) -> dict[str, list[str]]:
    """Which seeded ids fit each path parameter of this path."""
    if "{client_id}" in path:
        return {"client_id": ids["client"]}
    if "{item_id}" in path:
        return {"item_id": ids["plan_item"]}
    if "{referral_id}" in path:
        return {"referral_id": ids["referral"]}
    if "{service_id}" in path:
        return {"service_id": ids["services"]}
    if "{id}" in path:
        return {"id": ids[path.split("/")[1]]}
    return {}


def _cases(operation, ids: dict[str, list[str]]):  # noqa: ANN001,ANN202
    """Positive and negative cases; half of them with a seeded id in every path parameter."""
    strategies = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        strategies.append(operation.as_strategy(generation_mode=mode))
        known = _known_ids(operation.path, ids)
        if known:
            strategies.extend(
                st.sampled_from(choices).flatmap(
                    lambda value, name=name, mode=mode: operation.as_strategy(
                        generation_mode=mode, path_parameters={name: value}
                    )
                )
                for name, choices in known.items()
            )
    return st.one_of(strategies)


def _with_current_version(case, pick: int) -> None:  # noqa: ANN001
    """Plan item changes: often send the item's version as it is now, so the rules past the
    version lock run (and some changes succeed) instead of a 409 every time."""
    item_id = (case.path_parameters or {}).get("item_id")
    if case.operation.path != "/plan-items/{item_id}" or not isinstance(case.body, dict):
        return
    item = db.session.get(PlanItem, item_id) if isinstance(item_id, str) else None
    if item is not None and pick < 3:
        db.session.refresh(item)
        case.body = {**case.body, "version": item.version}


def _with_known_body_ids(case, ids: dict[str, list[str]], pick: int) -> None:  # noqa: ANN001
    """Referral create: often name a real client and service, so the rules past lookup run;
    sometimes with only the generated priority and note, so some referrals are really sent."""
    if not isinstance(case.body, dict) or case.operation.path != "/referrals" or pick < 2:
        return
    known = {"client_id": ids["client"][0], "service_id": ids["services"][pick % 3]}
    if pick < 4:
        kept = {k: v for k, v in case.body.items() if k in ("priority", "note_to_provider")}
        case.body = {**kept, **known, "acknowledge_no_capacity": True}
    else:
        case.body = {**case.body, **known}


# Every role that can hold a token, the analyst (aggregates only: 403 nearly everywhere) included.
FUZZED_ROLES = ["provider", "counselor", "admin", "analyst"]


def test_every_role_is_fuzzed() -> None:
    assert sorted(FUZZED_ROLES) == sorted(role.value for role in Role)


@pytest.mark.parametrize("role", FUZZED_ROLES)
def test_schemathesis_every_operation_every_role(app, world, role) -> None:  # noqa: ANN001
    api = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    # Unknown query parameters are ignored, as HSDS allows; the token is sent by us, not fuzzed.
    api.config.generation.update(allow_extra_parameters=False, with_security_parameters=False)
    # Schema-valid input can still break a rule the schema cannot say: a postcode we do not
    # know (reads: 400), no consent, a missing reason, an implausible date (writes: 422).
    accepted = list(api.config.checks.positive_data_acceptance.expected_statuses)
    read_statuses, write_statuses = [*accepted, "400"], [*accepted, "422"]
    operations = [result.ok() for result in api.get_all_operations()]
    documented = {(method.upper(), path) for path, item in build_document()["paths"].items()
                  for method in item if method != "parameters"}  # fmt: skip
    # Schemathesis leaves out the operation it loaded the document from.
    assert {(op.method.upper(), op.path) for op in operations} == documented - {
        ("GET", "/openapi.json")
    }
    assert ("GET", "/admin/hsds-export.zip") in documented
    assert ("PUT", "/services/{service_id}/capacity") in documented
    assert ("GET", "/search") in documented
    assert ("PATCH", "/plan-items/{item_id}") in documented
    assert ("GET", "/clients/{client_id}/plan") in documented
    headers = {"Authorization": f"Bearer {world.tokens[role]}"}
    for operation in operations:
        # HSDS 3.1's POST list operations read, like their GET twins (400 on bad parameters).
        reads = operation.method.upper() == "GET" or operation.path in HSDS_LISTS
        writes = not reads
        api.config.checks.positive_data_acceptance.expected_statuses = (
            write_statuses if writes else read_statuses
        )

        @given(case=_cases(operation, world.ids), pick=st.integers(0, 5))
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def run(case, pick: int) -> None:  # noqa: ANN001
            _with_known_body_ids(case, world.ids, pick)
            _with_current_version(case, pick)
            case.call_and_validate(headers=headers)  # every check schemathesis has

        run()


ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "TRACE"]


@pytest.mark.parametrize("role", ["counselor", "admin"])
def test_methods_a_path_lacks_answer_405_with_allow(client, world, role) -> None:  # noqa: ANN001
    """Every documented path, with a token, in every method it does not document (TRACE
    included): 405, a problem body and `Allow` naming what it does answer."""
    headers = {"Authorization": f"Bearer {world.tokens[role]}"}
    for path, item in build_document()["paths"].items():
        documented = {m.upper() for m in item if m != "parameters"}
        allowed = documented | ({"HEAD"} if "GET" in documented else set())
        known = _known_ids(path, world.ids)
        url = "/api" + path.format(**{name: values[0] for name, values in known.items()})
        for method in ALL_METHODS:
            if method in allowed:
                continue
            response = client.open(url, method=method, headers=headers)
            assert response.status_code == 405, (method, url)
            allow = {m.strip() for m in response.headers["Allow"].split(",")}
            assert documented <= allow <= {*allowed, "OPTIONS"}, (method, url, allow)
            if method != "HEAD":
                assert response.mimetype == "application/problem+json", (method, url)
