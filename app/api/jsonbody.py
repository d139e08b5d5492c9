"""Reading JSON request bodies and answering bad input with a 422 problem naming the field."""

from __future__ import annotations

from typing import Any

from flask import request

from app.domain_errors import DomainError
from app.errors import problem


class BadInput(DomainError, ValueError):
    status = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field)


def unprocessable(field: str, message: str, **extra: Any):  # noqa: ANN201
    extra = {k: v for k, v in extra.items() if v is not None}
    return problem(
        422, "Unprocessable Content", message, field=field, errors={field: [message]}, **extra
    )


def json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadInput("body", "Send a JSON object with Content-Type: application/json.")
    return body
