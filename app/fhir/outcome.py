"""FHIR errors: an OperationOutcome with the HTTP status, for every error under /fhir/."""

from __future__ import annotations

from flask import Response, jsonify, request

FHIR_JSON = "application/fhir+json"

# HTTP status -> OperationOutcome issue code (FHIR issue-type value set).
ISSUE_CODE = {400: "invalid", 401: "login", 403: "forbidden", 404: "not-found",
              405: "not-supported", 406: "not-supported", 409: "conflict",
              422: "processing", 429: "throttled"}  # fmt: skip


def operation_outcome(status: int, code: str, text: str) -> Response:
    response = jsonify(
        {
            "resourceType": "OperationOutcome",
            "issue": [
                {"severity": "error", "code": code, "diagnostics": text, "details": {"text": text}}
            ],  # fmt: skip
        }
    )
    response.status_code = status
    response.mimetype = FHIR_JSON
    return response


def as_operation_outcome(response: Response) -> Response:
    """After every request: a problem+json answer under /fhir/ becomes an OperationOutcome (the
    token check and the app's error handlers speak problem+json); headers such as
    WWW-Authenticate and Allow are kept."""
    if not request.path.startswith("/fhir/") or response.mimetype != "application/problem+json":
        return response
    body = response.get_json(silent=True) or {}
    text = body.get("detail") or body.get("title") or "Error"
    status = response.status_code
    outcome = operation_outcome(status, ISSUE_CODE.get(status, "exception"), text)
    for name, value in response.headers.items():
        if name.lower() not in ("content-type", "content-length"):
            outcome.headers[name] = value
    return outcome
