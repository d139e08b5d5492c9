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

# C0 controls and DEL; a value may still carry tab, LF and CR (textareas), a path or name may not.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_VALUE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_JSON_DEPTH = 32
MESSAGE = "The request contains a control character (such as a NUL byte) that no field accepts."


def has_control(text: str, *, in_value: bool = True) -> bool:
    """True when `text` holds a character no field accepts (tab/CR/LF allowed in values)."""
    return bool((_CONTROL_IN_VALUE if in_value else _CONTROL).search(text))


def _pairs_clean(pairs: Iterable[tuple[str, str]]) -> bool:
    return not any(has_control(k, in_value=False) or has_control(v) for k, v in pairs)


def json_clean(data: object, max_depth: int = MAX_JSON_DEPTH) -> bool:
    """Walk a parsed JSON document without recursion: no control characters, not too deep."""
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > max_depth:
            return False
        if isinstance(value, str):
            if has_control(value):
                return False
        elif isinstance(value, dict):
            for key, item in value.items():
                if has_control(key, in_value=False):
                    return False
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return True


def _json_body_clean() -> bool:
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # the json module gives up on very deep nesting before we can look
        return False
    return data is None or json_clean(data)


def request_is_clean() -> bool:
    """The current request's path, query string, form and JSON carry no forbidden character."""
    if has_control(request.path, in_value=False):
        return False
    if not _pairs_clean(request.args.items(multi=True)):
        return False
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return True
    if request.mimetype in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        files = [(k, f.filename or "") for k, f in request.files.items(multi=True)]
        return _pairs_clean(request.form.items(multi=True)) and _pairs_clean(files)
    if request.is_json:
        return _json_body_clean()
    return True


def register_input_guard(app: Flask) -> None:
    @app.before_request
    def refuse_control_characters() -> None:
        if not request_is_clean():
            abort(400, description=MESSAGE)
