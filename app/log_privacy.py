"""Log lines never carry client data.

A failed statement's parameters (a client's name, birth date, inmate number) and the database's own
message (PostgreSQL's "DETAIL: Key (email)=(…)", a trigger's text) used to reach the log with every
traceback. Two guards make that impossible rather than unlikely:

- every engine is created with `hide_parameters`, so SQLAlchemy never puts bound values in an error;
- every log record's exception is rewritten, wherever it is logged from, to its type, the SQL
  statement (placeholders only) and the frames where it happened — never an exception's message.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType
from typing import Any

from flask import Flask

_INSTALLED_FLAG = "_partners_log_privacy"
_MAX_STATEMENT = 300


def _describe(exc: BaseException) -> str:
    """One line for an exception without its message: message text may hold client data."""
    name = f"{type(exc).__module__}.{type(exc).__qualname__}"
    statement = getattr(exc, "statement", None)
    if isinstance(statement, str):
        flat = " ".join(statement.split())[:_MAX_STATEMENT]
        return f"{name} (message withheld) [SQL: {flat}]"
    return f"{name} (message withheld)"


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and its causes, oldest first, as Python prints them."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return list(reversed(seen))


def scrubbed_traceback(
    exc_info: tuple[type[BaseException], BaseException, TracebackType | None],
) -> str:
    """A traceback with every frame (file, line, code) and no exception message."""
    exc = exc_info[1]
    parts: list[str] = []
    for position, item in enumerate(_chain(exc)):
        if position:
            parts.append("\nThe above led to:\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(item.__traceback__))
        parts.append(_describe(item))
    return "".join(parts)


def _scrubbing_factory(previous: Any) -> Any:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        info = record.exc_info
        if info and info[1] is not None:
            record.exc_text = scrubbed_traceback(info)  # type: ignore[arg-type]
            record.exc_info = None
        return record

    setattr(factory, _INSTALLED_FLAG, True)
    return factory


def install_log_privacy(app: Flask) -> None:
    """Hide bound parameters on every engine and scrub every logged exception (once a process)."""
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options["hide_parameters"] = True
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    current = logging.getLogRecordFactory()
    if not getattr(current, _INSTALLED_FLAG, False):
        logging.setLogRecordFactory(_scrubbing_factory(current))
