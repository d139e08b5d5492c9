"""The parameters of an HSDS list operation, from the query string and, for the POST variants
HSDS 3.1 adds, from a JSON object body as well.

A long query (many filters, a long search) may not fit a URL, so HSDS 3.1 lets a client POST the
same list operations. We read the body's members as the query parameters of the same names, with
the JSON types the document gives them (`page` a whole number, `full` a boolean...), and hand the
existing parameter parsers one mapping, so GET and POST validate alike (400 naming the parameter).
A parameter in both the query string and the body is refused rather than one silently winning.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import request

from app.api.openapi import PARAMS
from app.api.params import ParameterError

View = TypeVar("View", bound=Callable[..., Any])
INTEGERS = {"page", "per_page"}
NUMBERS = {"proximity"}
BOOLEANS = {"minimal", "full", "full_service", "top_only"}


def _as_text(name: str, value: Any) -> str | None:
    """The body member as the query string would carry it, or ParameterError on a wrong type."""
    if value is None:
        return None
    if name in BOOLEANS:
        if not isinstance(value, bool):
            raise ParameterError(name, f"{name} must be true or false")
        return "true" if value else "false"
    if name in INTEGERS or name in NUMBERS:
        if isinstance(value, bool) or not isinstance(value, int | float):
            kind = "a whole number" if name in INTEGERS else "a number"
            raise ParameterError(name, f"{name} must be {kind}")
        return repr(value)
    if not isinstance(value, str):
        raise ParameterError(name, f"{name} must be a string")
    return value


def body_parameters() -> dict[str, str]:
    """The JSON body's members as parameters; an empty body means none."""
    if not request.get_data(cache=True):
        return {}
    body = request.get_json(silent=True) if request.is_json else None
    if not isinstance(body, dict):
        raise ParameterError(
            "body", "Send the parameters as a JSON object with Content-Type: application/json."
        )
    found: dict[str, str] = {}
    for name, value in body.items():
        if name not in PARAMS:
            continue  # unknown parameters are ignored, as HSDS allows
        text = _as_text(name, value)
        if text is not None:
            found[name] = text
    return found


def list_parameters() -> Mapping[str, str]:
    """Query parameters, plus the body's on POST; a name given in both places is refused."""
    query = request.args.to_dict()
    if request.method != "POST":
        return query
    body = body_parameters()
    for name in body:
        if name in query:
            raise ParameterError(
                name, f"{name} is given in both the query string and the body; send it once"
            )
    return query | body


def query_in_body(view: View) -> View:
    """Mark a list view whose POST body holds query parameters, so the request guard answers a
    control character there as it does in the query string (400 naming the parameter)."""
    view.body_is_query = True  # type: ignore[attr-defined]
    return view
