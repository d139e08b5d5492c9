"""gunicorn's access line, without the query string, and its own lines in LOG_FORMAT.

Query strings carry what people searched for ("housing sex offender Hartford"), so the access
line has the path only; the referrer (which holds the previous page's query) and the visitor's
address are left out too (the proxy keeps addresses where they are needed). A path that holds a
secret (a discharge card's code, a password-reset or listing-confirmation token) is logged as
its route, e.g. /card/<code>: anyone reading logs could otherwise open the card.

The app marks such requests (`register_access_path`); gunicorn.conf.py names `AccessLogger`.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, request
from gunicorn.glogging import Logger

from app.ops.logs import RequestIdFilter, json_formatter, text_formatter
from app.ops.request_id import ENVIRON_KEY, HEADER

LOG_PATH_KEY = "partners.log_path"
SECRET_ARGS = frozenset({"code", "token"})


def register_access_path(app: Flask) -> None:
    """Requests to a route with a secret in its path are logged by the route's pattern.
    A URL value preprocessor runs before every before_request hook, so even a request those
    refuse is covered."""

    @app.url_value_preprocessor
    def _mark(endpoint: str | None, values: dict[str, Any] | None) -> None:
        if values and SECRET_ARGS & values.keys() and request.url_rule is not None:
            request.environ[LOG_PATH_KEY] = request.url_rule.rule


def log_format() -> str:
    """LOG_FORMAT as the app's settings read it (json in production, text otherwise)."""
    from config import config_for_environment

    return (config_for_environment().LOG_FORMAT or "text").strip().lower()


def access_fields(resp: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
    status = resp.status
    status = int(str(status).split(None, 1)[0]) if status else None
    request_id = environ.get(ENVIRON_KEY)
    if request_id is None:
        headers = dict((k.lower(), v) for k, v in (resp.headers or []))
        request_id = headers.get(HEADER.lower())
    return {
        "method": environ.get("REQUEST_METHOD"),
        "path": environ.get(LOG_PATH_KEY) or environ.get("PATH_INFO"),
        "status": status,
        "bytes": getattr(resp, "sent", None),
        "duration_ms": round(request_time.total_seconds() * 1000, 1),
        "request_id": request_id,
    }


class AccessLogger(Logger):
    """gunicorn's Logger: same handlers and files, our formatter, our access line."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        fmt = log_format()
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(json_formatter() if fmt == "json" else text_formatter())
                handler.addFilter(RequestIdFilter())

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        try:
            fields = access_fields(resp, environ, request_time)
            message = "{method} {path} {status} {duration_ms}ms".format(**fields)
            self.access_log.info(message, extra=fields)
        except Exception:  # noqa: BLE001 - a log line must never break a response
            self.access_log.log(logging.ERROR, "access line could not be written")
