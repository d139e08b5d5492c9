"""Log lines for operators: one JSON object a line (LOG_FORMAT=json) or one readable line (text).

Every line carries time, level, logger, message and request_id (null outside a request). The
privacy guard (app.log_privacy) works on the log record before any formatter sees it: an
exception arrives here as its scrubbed text (type, SQL without values, frames), never its message.
"""

from __future__ import annotations

import logging
import sys
from typing import IO, Any

from flask import Flask
from flask.logging import default_handler
from pythonjsonlogger.json import JsonFormatter

from app.ops.request_id import current_request_id

FORMATS = ("text", "json")
_HANDLER_FLAG = "_partners_handler"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class PartnersJsonFormatter(JsonFormatter):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            "%(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"levelname": "level", "name": "logger", "exc_info": "exception"},
            timestamp="time",
            **kwargs,
        )


def json_formatter() -> logging.Formatter:
    return PartnersJsonFormatter()


class TextFormatter(logging.Formatter):
    """One readable line; "-" where a line belongs to no request."""

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        record.request_id = request_id or "-"
        try:
            return super().format(record)
        finally:
            record.request_id = request_id


def text_formatter() -> logging.Formatter:
    return TextFormatter(TEXT_FORMAT)


def make_handler(log_format: str, stream: IO[str] | None = None) -> logging.Handler:
    if log_format not in FORMATS:
        raise RuntimeError(f"LOG_FORMAT is {log_format!r}; use one of: text, json")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(json_formatter() if log_format == "json" else text_formatter())
    handler.addFilter(RequestIdFilter())
    setattr(handler, _HANDLER_FLAG, True)
    return handler


def configure_logging(app: Flask, stream: IO[str] | None = None) -> logging.Handler | None:
    """Send every logger's lines through one handler on the root logger, in LOG_FORMAT.
    An empty LOG_FORMAT (the test settings) leaves logging alone. Calling it again replaces
    the handler it added before, so a process never writes each line twice."""
    log_format = (app.config.get("LOG_FORMAT") or "").strip().lower()
    if not log_format:
        return None
    handler = make_handler(log_format, stream)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_FLAG, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(str(app.config.get("LOG_LEVEL") or "INFO").upper())
    app.logger.removeHandler(default_handler)  # the root handler writes Flask's lines too
    return handler
