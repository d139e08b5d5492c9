"""Reading JSON request bodies and answering bad input with a 422 problem naming the field.

`json_body()` is the one door for API bodies: besides "a JSON object", it refuses bodies nested
deeper than MAX_DEPTH. Control characters (PostgreSQL cannot store a NUL) and bodies too deep for
the parser never get here: app.input_guard refuses them before any view runs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request

from app.common import INT_COLUMN_MAX
from app.domain_errors import DomainError
from app.errors import problem
from app.input_guard import json_offence
from app.plausible import DateKind, problem_with

MAX_DEPTH = 16  # our bodies are flat objects; arrays of objects would still fit
INT32_MAX = INT_COLUMN_MAX  # the widest integer column we store


class BadInput(DomainError, ValueError):
    status = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field)


def unprocessable(field: str, message: str, **extra: Any):  # noqa: ANN201
    extra = {k: v for k, v in extra.items() if v is not None}
    return problem(
        422, "Unprocessable Content", message, field=field, errors={field: [message]}, **extra
    )


def _check(body: dict[str, Any]) -> None:
    """Our bodies are flat: refuse one nested deeper than MAX_DEPTH (the request guard already
    refused control characters and anything past its own, looser depth), with the same walk."""
    offence = json_offence(body, max_depth=MAX_DEPTH - 1)  # the guard counts the body as 0
    if offence == "body":
        raise BadInput("body", f"The JSON body is nested more than {MAX_DEPTH} levels deep.")
    if offence is not None:
        raise BadInput(offence, f"{offence} must not contain a control character.")


def json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)  # too deep for the parser: the request guard said so
    if not isinstance(body, dict):
        raise BadInput("body", "Send a JSON object with Content-Type: application/json.")
    _check(body)
    return body


def whole_number(body: dict[str, Any], name: str, *, low: int = 0, high: int = INT32_MAX) -> int:
    """An integer member (not a bool, not a float) within [low, high]."""
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadInput(name, f"{name} must be a whole number.")
    if not low <= value <= high:
        raise BadInput(name, f"{name} must be between {low} and {high}.")
    return value


def choice(body: dict[str, Any], name: str, choices: set[str] | tuple[str, ...]) -> str | None:
    """A string member from a fixed list, or None when absent; a list or object is refused."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or value not in choices:
        raise BadInput(name, f"{name} must be one of: {', '.join(sorted(choices))}.")
    return value


def string(body: dict[str, Any], name: str, *, max_length: int = 5000) -> str | None:
    """A string member, or None when absent or null; any other JSON type is refused."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadInput(name, f"{name} must be a string.")
    if len(value) > max_length:
        raise BadInput(name, f"{name} must be at most {max_length} characters.")
    return value


# A referral's dates lie near today; 9999-12-31 or 0001-01-01 is a typo and would overflow date
# arithmetic downstream. The ranges are app.plausible's, shared with the pages.
_KINDS = {
    "needed_by": DateKind.NEEDED_BY,
    "intake_at": DateKind.INTAKE,
    "intake_date": DateKind.INTAKE,
    "expected_date": DateKind.WAITLIST_EXPECTED,
}


def plausible(value: date, field: str) -> date:
    """The day itself when plausible for this field (app.plausible), else BadInput naming it."""
    message = problem_with(_KINDS.get(field, DateKind.INTAKE), value)
    if message:
        raise BadInput(field, f"{field}: {message}")
    return value
