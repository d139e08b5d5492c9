"""Refuse, before any view runs, requests no view can store or answer sensibly.

PostgreSQL cannot hold a NUL in text, and no person types other C0 control characters, so a NUL
or control character anywhere in the path, query string, form fields or JSON strings answers 400
(a problem body under /api/, the error page elsewhere) instead of reaching a query and failing
there with a 500. Tab, CR and LF are allowed in values, where a textarea sends them. Body size is
capped by MAX_CONTENT_LENGTH (413); JSON nested deeper than MAX_JSON_DEPTH answers 400.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import Flask, abort, request

from app.errors import problem

# C0 controls and DEL; a value may still carry tab, LF and CR (textareas), a path or name may not.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_VALUE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_JSON_DEPTH = 32
DEPTH_MESSAGE = (
    f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep, or a member name holds a "
    "control character."
)
MESSAGE = "The request contains a control character (such as a NUL byte) that no field accepts."


def has_control(text: str, *, in_value: bool = True) -> bool:
    """True when `text` holds a character no field accepts (tab/CR/LF allowed in values)."""
    return bool((_CONTROL_IN_VALUE if in_value else _CONTROL).search(text))


def _first_bad_pair(pairs: Iterable[tuple[str, str]]) -> str | None:
    for key, value in pairs:
        if has_control(key, in_value=False) or has_control(value):
            return key if not has_control(key, in_value=False) else "name"
    return None


def json_offence(data: object, max_depth: int = MAX_JSON_DEPTH) -> str | None:
    """The top-level member holding a control character, "body" when the document is too deep
    (or a name is bad), or None when clean. Walks without recursion."""
    stack: list[tuple[object, int, str]] = [(data, 0, "body")]
    while stack:
        value, depth, member = stack.pop()
        if depth > max_depth:
            return "body"
        if isinstance(value, str):
            if has_control(value):
                return member
        elif isinstance(value, dict):
            for key, item in value.items():
                if has_control(key, in_value=False):
                    return "body"
                stack.append((item, depth + 1, key if depth == 0 else member))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, member) for item in value)
    return None


def json_clean(data: object, max_depth: int = MAX_JSON_DEPTH) -> bool:
    """No control characters and not too deep."""
    return json_offence(data, max_depth) is None


def _json_body_offence() -> str | None:
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # the json module gives up on very deep nesting before we can look
        return "body"
    return None if data is None else json_offence(data)


def first_offence() -> tuple[str, str] | None:
    """(where, name) of the first forbidden character in the current request, or None.
    `where` is "path", "query" (name = the parameter), "form" (the field) or "body"."""
    if has_control(request.path, in_value=False):
        return "path", "path"
    name = _first_bad_pair(request.args.items(multi=True))
    if name is not None:
        return "query", name
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return None
    if request.mimetype in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        files = [(k, f.filename or "") for k, f in request.files.items(multi=True)]
        name = _first_bad_pair([*request.form.items(multi=True), *files])
        return ("form", name) if name is not None else None
    if request.is_json:
        name = _json_body_offence()
        return ("body", name) if name is not None else None
    return None


def request_is_clean() -> bool:
    """The current request's path, query string, form and JSON carry no forbidden character."""
    return first_offence() is None


def register_input_guard(app: Flask) -> None:
    @app.before_request
    def refuse_control_characters():  # noqa: ANN202
        offence = first_offence()
        if offence is None:
            return None
        where, name = offence
        if where == "path":  # no page or record has such a name: not found, like any unknown id
            abort(404)
        if request.path.startswith("/api/"):
            view = app.view_functions.get(request.endpoint or "")
            if where == "body" and getattr(view, "body_is_query", False):
                # HSDS POST list operations: the body holds query parameters, answered as the
                # query string's (400 naming the parameter)
                return problem(400, "Bad Request", MESSAGE if name != "body" else DEPTH_MESSAGE,
                               parameter=name)  # fmt: skip
            if where == "body":  # like every other bad member: 422 naming it
                message = DEPTH_MESSAGE if name == "body" else MESSAGE
                return problem(
                    422, "Unprocessable Content", message, field=name, errors={name: [message]}
                )
            key = "parameter" if where == "query" else "field"
            return problem(400, "Bad Request", MESSAGE, **{key: name})
        abort(400, description=MESSAGE)
