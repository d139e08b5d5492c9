"""The OpenAPI document is complete and generator-friendly, and a generated client works.

- every route under /api is in the document, with every method it answers;
- enum constants do not collide once a generator makes names of them, and arrays have items;
- TRACE and other methods a path lacks answer 405 with `Allow`;
- empty UUID, date-time and choice parameters are refused as the document says (400 / 422);
- GET /api/ declares HSDS 3.1 and its profile URL serves the profile;
- openapi-python-client generates a client that lists and reads through a live server
  (a dev dependency: the test fails, never skips, when the tool is missing).
"""

from __future__ import annotations

import importlib
import json
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from app.accounts.api_tokens import create_token
from app.accounts.models import Role
from app.api.openapi import build_document
from app.extensions import db
from app.interop.hsds_schema import SCHEMA_DIR
from tests import factories
from tests.interop.hsds_helpers import catalog, index_dir, taxonomy  # noqa: F401

METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def _routes(app) -> set[tuple[str, str]]:  # noqa: ANN001
    """(METHOD, path relative to /api, OpenAPI style) for every API rule Flask has."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule != "/api" and not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule.removeprefix("/api")) or "/"
        found |= {(method, path) for method in rule.methods & METHODS}
    return found


def test_every_api_route_and_method_is_documented(app) -> None:  # noqa: ANN001
    documented = {(method.upper(), path) for path, item in build_document()["paths"].items()
                  for method in item if method.upper() in METHODS}  # fmt: skip
    assert _routes(app) == documented
    assert ("GET", "/search") in documented
    assert ("GET", "/admin/hsds-export.zip") in documented


def _constant(value: Any) -> str:
    """The constant name generators make of an enum value (openapi-python-client's rule)."""
    return re.sub(r"[^A-Za-z0-9]+", "_", str(value)).strip("_").upper()


def _walk(node: Any, at: str) -> Iterator[tuple[str, dict]]:
    if isinstance(node, dict):
        yield at, node
        for key, value in node.items():
            yield from _walk(value, f"{at}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{at}/{i}")


def test_enum_names_do_not_collide_and_arrays_have_items(app) -> None:  # noqa: ANN001
    doc = build_document()
    for at, schema in _walk(doc, "#"):
        if isinstance(schema.get("enum"), list):
            values = schema["enum"]
            names = schema.get("x-enum-varnames") or [_constant(v) for v in values]
            assert len(names) == len(values), at
            assert len(set(names)) == len(names), f"{at}: colliding names {names}"
        kinds = schema.get("type")
        if kinds == "array" or (isinstance(kinds, list) and "array" in kinds):
            assert "items" in schema, f"{at}: an array without items"
    transition = doc["components"]["schemas"]["ReferralTransition"]["properties"]["to"]
    named = dict(zip(transition["enum"], transition["x-enum-varnames"], strict=True))
    assert named["entered_in_error"] == "ENTERED_IN_ERROR"
    assert named["entered-in-error"] == "FHIR_ENTERED_IN_ERROR"


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", ["/api/services", "/api/taxonomies/x", "/api/"])
def test_a_method_the_path_lacks_answers_405_with_allow(client, method, path) -> None:  # noqa: ANN001
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"
    assert "GET" in {m.strip() for m in response.headers["Allow"].split(",")}


def test_405_on_a_page_says_allow_too(client) -> None:  # noqa: ANN001
    response = client.open("/", method="TRACE")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/services?taxonomy_id=", "taxonomy_id"),
        ("/api/services?organization_id=%20", "organization_id"),
        ("/api/services?modified_after=", "modified_after"),
        ("/api/services?format=", "format"),
        ("/api/taxonomy_terms?parent_id=", "parent_id"),
        ("/api/service_at_locations?taxonomy_term_id=", "taxonomy_term_id"),
        ("/api/search?gender=", "gender"),
        ("/api/search?sort=", "sort"),
        ("/api/search?documents=id_card&documents=", "documents"),
    ],
)
def test_empty_uuid_date_time_and_choice_parameters_answer_400(
    client,  # noqa: ANN001
    catalog,  # noqa: F811
    path: str,
    parameter: str,
) -> None:
    response = client.get(path)
    assert response.status_code == 400, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["parameter"] == parameter


def test_empty_values_still_mean_not_given_where_the_document_allows_them(
    client,
    catalog,  # noqa: ANN001,F811
) -> None:
    assert client.get("/api/services?page=&per_page=&search=&full=").status_code == 200
    assert client.get("/api/search?q=&page=&has_capacity=").status_code == 200
    params = build_document()["paths"]["/services"]["get"]["parameters"]
    allow = {p["name"]: p["allowEmptyValue"] for p in params}
    assert allow["page"] and allow["search"]
    assert not allow["taxonomy_id"] and not allow["modified_after"] and not allow["format"]


@pytest.mark.parametrize("query", ["status=", "since=", "status=%20"])
def test_empty_referral_filters_answer_422(client, app, query: str) -> None:  # noqa: ANN001
    _, token = create_token(factories.make_user(Role.ADMIN), "empty filters")
    db.session.commit()
    response = client.get(f"/api/referrals?{query}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_root_declares_hsds_31_and_its_profile_is_served(client, app) -> None:  # noqa: ANN001
    body = client.get("/api/").get_json()
    assert body["version"] == "3.1"
    profile = client.get(body["profile"].replace("http://localhost", ""))
    assert profile.status_code == 200
    document = profile.get_json()
    assert document["hsds_version"] == "3.1"
    assert "3.1" in document["name"]
    assert "service.x_partners_capacity_status" in document["extensions"]
    assert "service.x_partners_translations" in document["extensions"]


def test_bundled_hsds_openapi_refers_to_the_31_schemas() -> None:
    text = (SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8")
    refs = re.findall(r"openreferral/specification/([^/]+)/", text)
    assert refs and set(refs) == {"3.1"}


# --- a generated client against a live server ---------------------------------------------------


def _generator() -> list[str] | None:
    try:
        importlib.import_module("openapi_python_client")
    except ImportError:
        return None
    return [sys.executable, "-m", "openapi_python_client"]


GENERATOR_CONFIG = {"content_type_overrides": {"application/zip": "application/octet-stream"}}


@pytest.fixture
def live_api(app, catalog) -> Iterator[str]:  # noqa: ANN001,F811
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/api"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


@pytest.fixture
def generated_client(app, tmp_path: Path) -> Iterator[Any]:  # noqa: ANN001
    command = _generator()
    # a dev dependency (`make test` installs it): never skipped, so CI always generates a client
    assert command is not None, "openapi-python-client is not installed (pip install -e '.[dev]')"
    spec = tmp_path / "openapi.json"
    with app.test_request_context():
        spec.write_text(json.dumps(build_document()), encoding="utf-8")
    target = tmp_path / "partners_api_client"
    # The generator reads only JSON, text and octet-stream bodies unless told a type is binary.
    config = tmp_path / "generator.json"
    config.write_text(json.dumps(GENERATOR_CONFIG), encoding="utf-8")
    # Its post-generation hook runs ruff: find the one next to this interpreter.
    bin_dir = str(Path(sys.executable).parent)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [*command, "generate", "--path", str(spec), "--meta", "none",
         "--output-path", str(target), "--config", str(config)],
        capture_output=True, text=True, env=env, timeout=300, check=False, cwd=tmp_path,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Warning" not in output, output  # nothing skipped: every operation and model
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module("partners_api_client")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n.split(".")[0] == "partners_api_client"]:
            del sys.modules[name]
        shutil.rmtree(target, ignore_errors=True)


def test_a_generated_python_client_lists_and_reads(generated_client, live_api, catalog) -> None:  # noqa: ANN001,F811
    c = generated_client
    hsds = importlib.import_module("partners_api_client.api.hsds")
    models = importlib.import_module("partners_api_client.models")
    api = c.Client(base_url=live_api, raise_on_unexpected_status=True)

    about = importlib.import_module(f"{hsds.__name__}.get_api_info").sync(client=api)
    assert about.version == "3.1"

    listing = importlib.import_module(f"{hsds.__name__}.list_services").sync(client=api, per_page=2)
    assert listing.total_items == 3 and listing.size == 2 and not listing.last_page
    first = listing.contents[0]
    assert isinstance(first, models.HsdsServiceListItem)

    posted = importlib.import_module(f"{hsds.__name__}.list_services_post").sync(
        client=api, body=models.ListServicesPostBody(per_page=2, page=2)
    )
    assert posted.page_number == 2 and posted.size == 1
    assert posted.contents[0].id not in {item.id for item in listing.contents}

    service = importlib.import_module(f"{hsds.__name__}.get_service").sync(first.id, client=api)
    assert isinstance(service, models.HsdsService)
    assert service.id == first.id and service.name == first.name

    terms = importlib.import_module(f"{hsds.__name__}.list_taxonomy_terms").sync(client=api)
    assert terms.contents and isinstance(terms.contents[0], models.HsdsTaxonomyTerm)
    term = importlib.import_module(f"{hsds.__name__}.get_taxonomy_term").sync(
        terms.contents[0].id, client=api
    )
    assert term.id == terms.contents[0].id

    missing = importlib.import_module(f"{hsds.__name__}.get_service").sync(
        "00000000-0000-4000-8000-000000000000", client=api
    )
    assert isinstance(missing, models.Problem) and missing.status == 404


def test_a_generated_client_reads_referrals_with_a_token(
    generated_client,
    live_api,
    catalog,  # noqa: ANN001,F811
) -> None:
    counselor = factories.make_user(Role.COUNSELOR, facility=factories.make_facility())
    person = factories.make_client(counselor)
    sent = factories.make_referral(person, catalog.sober_house, counselor)
    _, token = create_token(counselor, "generated client")
    db.session.commit()
    referrals = importlib.import_module("partners_api_client.api.referrals")
    models = importlib.import_module("partners_api_client.models")
    api = generated_client.AuthenticatedClient(
        base_url=live_api, token=token, raise_on_unexpected_status=True
    )
    listing = importlib.import_module(f"{referrals.__name__}.list_referrals").sync(
        client=api, status=models.ListReferralsStatus.OPEN
    )
    assert [r.id for r in listing.contents] == [sent.id]
    detail = importlib.import_module(f"{referrals.__name__}.get_referral").sync(sent.id, client=api)
    assert detail.id == sent.id
    assert str(detail.status) == "sent"
    anonymous = generated_client.Client(base_url=live_api)
    refused = importlib.import_module(f"{referrals.__name__}.get_referral").sync(
        sent.id, client=anonymous
    )
    assert isinstance(refused, models.Problem) and refused.status == 401
