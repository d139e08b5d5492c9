"""The OpenAPI document: valid OpenAPI 3.1, 4xx answers on every operation, and a schemathesis
run over every operation without a token (no 5xx, every response as documented)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from openapi_spec_validator import validate

from app.api.openapi import build_document
from tests.interop.hsds_helpers import catalog, index_dir, taxonomy  # noqa: F401


def test_document_is_valid_openapi_31(client, app) -> None:  # noqa: ANN001
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    validate(doc)


def test_every_operation_lists_its_4xx_with_the_problem_schema(app) -> None:  # noqa: ANN001
    doc = build_document()
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            errors = {code: r for code, r in op["responses"].items() if code.startswith("4")}
            assert errors, f"{method} {path} lists no 4xx response"
            for response in errors.values():
                schema = next(iter(response["content"].values()))["schema"]
                assert schema == {"$ref": "#/components/schemas/Problem"}


def test_hsds_read_operations_are_documented(app) -> None:  # noqa: ANN001
    paths = build_document()["paths"]
    for kind in ("services", "organizations", "service_at_locations", "taxonomies",
                 "taxonomy_terms"):  # fmt: skip
        assert f"/{kind}" in paths and f"/{kind}/{{id}}" in paths


CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


def test_schemathesis_read_operations(app, catalog) -> None:  # noqa: ANN001,F811
    """Hypothesis drives each operation directly (schemathesis' pytest plugin does not run under
    pytest 9): valid and invalid parameters, a bounded number of examples per operation. Without
    a token, so the token operations must answer 401 as documented; with one per role, see
    test_openapi_fuzz.py."""
    api = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, database=None,
                  phases=[Phase.explicit, Phase.generate],  # no slow shrinking
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def run(case) -> None:  # noqa: ANN001
            case.call_and_validate(checks=CHECKS)

        run()
