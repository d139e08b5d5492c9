"""Reading JSON request bodies and answering bad input with a 422 problem naming the field.

`json_body()` is the one door for API bodies: besides "a JSON object", it refuses bodies nested
deeper than MAX_DEPTH (json.loads on 50,000 brackets raises RecursionError, a 500) and any NUL
character in a key or string (PostgreSQL cannot store it), so no body reaches a service that
the database or the interpreter would refuse.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import request

from app.common import INT_COLUMN_MAX
from app.domain_errors import DomainError
from app.errors import problem
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
    """Walk the parsed body without recursion: depth and NUL characters."""
    pending: list[tuple[Any, int, str]] = [(body, 1, "body")]
    while pending:
        value, depth, field = pending.pop()
        if depth > MAX_DEPTH:
            raise BadInput("body", f"The JSON body is nested more than {MAX_DEPTH} levels deep.")
        if isinstance(value, str) and "\x00" in value:
            raise BadInput(field, f"{field} must not contain a NUL character.")
        if isinstance(value, dict):
            for key, item in value.items():
                name = key if depth == 1 else field
                if "\x00" in key:
                    raise BadInput("body", "Member names must not contain a NUL character.")
                pending.append((item, depth + 1, name))
        elif isinstance(value, list):
            pending.extend((item, depth + 1, field) for item in value)


def json_body() -> dict[str, Any]:
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # silent=True covers ValueError only
        raise BadInput(
            "body", f"The JSON body is nested more than {MAX_DEPTH} levels deep."
        ) from None
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
