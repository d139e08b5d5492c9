"""Turning one HSDS cell (text) into a value for our column, or a message saying why not."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Float, Integer, String, Time
from sqlalchemy.types import TypeDecorator

from app.clock import local_midnight
from app.interop.tables import Resource
from app.web_address import is_web_address

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TRUE = {"true", "1", "yes"}
FALSE = {"false", "0", "no"}


class Bad(ValueError):
    """A cell that cannot be stored; the message is for the import report."""


class Shortened(ValueError):
    """Free text longer than our column: stored cut short, reported as a warning."""

    def __init__(self, value: str, length: int) -> None:
        super().__init__(f"is longer than {length} characters; shortened")
        self.value = value


Converter = Callable[[str], Any]


UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _uuid(text: str) -> str:
    text = text.lower()
    if not UUID.match(text):
        raise Bad(f"“{text[:60]}” is not a UUID")
    return text


def _int(text: str) -> int:
    try:
        number = float(text)
    except ValueError:
        raise Bad(f"“{text[:60]}” is not a number") from None
    if not math.isfinite(number) or number != int(number):
        raise Bad(f"“{text[:60]}” is not a whole number")
    if abs(number) > 2**31 - 1:
        raise Bad(f"{text[:60]} is too large")
    return int(number)


def _float(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise Bad(f"“{text[:60]}” is not a number") from None
    if not math.isfinite(number):
        raise Bad(f"“{text[:60]}” is not a finite number")
    return number


def _numeric_text(text: str) -> str:
    _float(text)
    return text


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Bad(f"“{text[:60]}” is not a date (YYYY-MM-DD)") from None


def parse_datetime(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise Bad(f"“{text[:60]}” is not a date-time (ISO 8601)") from None
    if len(text.strip()) == len("YYYY-MM-DD"):
        # A bare date (HSDS assured_date) is a day of the network's calendar, as we export it.
        return local_midnight(value.date())
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _time(text: str) -> time:
    try:
        return time.fromisoformat(text.replace("Z", "")).replace(tzinfo=None)
    except ValueError:
        raise Bad(f"“{text[:60]}” is not a time (HH:MM:SS)") from None


def _bool(text: str) -> bool:
    if text.lower() in TRUE:
        return True
    if text.lower() in FALSE:
        return False
    raise Bad(f"“{text[:60]}” is not true or false")


def _array(text: str) -> list[str]:
    try:
        value = json.loads(text)
    except ValueError:
        raise Bad("is not a JSON array") from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Bad("is not a JSON array of text")
    return value


def _email(text: str) -> str:
    if not EMAIL.match(text):
        raise Bad(f"“{text[:60]}” is not an e-mail address")
    return text


def _uri(text: str) -> str:
    """Only http(s): these addresses become links on our pages (app.web_address)."""
    if not is_web_address(text):
        raise Bad(f"“{text[:60]}” is not a web address starting with https:// or http://")
    return text


def _limit(convert: Converter, length: int | None, free_text: bool) -> Converter:
    if not length:
        return convert

    def limited(text: str) -> Any:
        value = convert(text)
        if isinstance(value, str) and len(value) > length:
            if free_text and length >= 100:
                raise Shortened(value[: length - 1] + "…", length)
            raise Bad(f"is longer than {length} characters")
        return value

    return limited


def _choices(convert: Converter, allowed: list[str]) -> Converter:
    def checked(text: str) -> Any:
        value = convert(text)
        if value not in allowed:
            raise Bad(f"“{text[:60]}” is not one of: {', '.join(allowed)}")
        return value

    return checked


def converter(resource: Resource, field: dict, column: Column | None) -> Converter:
    """The function that checks and converts one field's cells for our column."""
    kind, fmt = field.get("type", "string"), field.get("format")
    sql_type = column.type if column is not None else None
    if isinstance(sql_type, TypeDecorator):
        sql_type = sql_type.impl  # UTCDateTime stores a DateTime
    if fmt == "uuid":
        base: Converter = _uuid
    elif isinstance(sql_type, Integer) or kind == "integer":
        base = _int
    elif isinstance(sql_type, Float):
        base = _float
    elif kind == "number":
        base = _numeric_text  # a number we keep as text (phone extension)
    elif isinstance(sql_type, DateTime) or kind == "datetime":
        base = parse_datetime
    elif isinstance(sql_type, Date) or kind == "date":
        base = _date
    elif isinstance(sql_type, Time) or kind == "time":
        base = _time
    elif isinstance(sql_type, Boolean) or kind == "boolean":
        base = _bool
    elif kind == "array":
        base = _array
    elif fmt == "email":
        base = _email
    elif fmt == "uri":
        base = _uri
    else:
        base = str
    enums = getattr(sql_type, "enums", None)
    if enums:
        base = _choices(base, list(enums))
    length = getattr(sql_type, "length", None) if isinstance(sql_type, String) else None
    if enums or base is _uuid:
        return base
    return _limit(base, length, base is str)
