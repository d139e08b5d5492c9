"""One id per request: taken from a valid incoming X-Request-ID (a proxy's), else made here.

It is stored in the WSGI environ (so log lines of the request and gunicorn's access line can
read it) and echoed in the response's X-Request-ID header, on every answer the app gives.
An incoming id is used only when it is short and plain ([A-Za-z0-9._-], at most 64
characters): anything else could smuggle text into the log, and is replaced.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, has_request_context, request

ENVIRON_KEY = "partners.request_id"
HEADER = "X-Request-ID"
_VALID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def valid_request_id(value: str | None) -> bool:
    return bool(value) and _VALID.fullmatch(value) is not None


def current_request_id() -> str | None:
    """The id of the request being handled, or None outside a request."""
    if not has_request_context():
        return None
    return request.environ.get(ENVIRON_KEY)


class RequestIdMiddleware:
    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        incoming = environ.get("HTTP_X_REQUEST_ID")
        request_id = incoming if valid_request_id(incoming) else uuid.uuid4().hex
        environ[ENVIRON_KEY] = request_id

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers = [(k, v) for k, v in headers if k.lower() != HEADER.lower()]
            headers.append((HEADER, request_id))
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def install_request_id(app: Flask) -> None:
    app.wsgi_app = RequestIdMiddleware(app.wsgi_app)  # type: ignore[method-assign]
