"""Query-parameter parsing for the API: each bad value becomes a ParameterError naming it."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime

from app.domain_errors import DomainError
from app.interop.ids import is_uuid

TRUE = {"true", "1", "yes"}
WHOLE = re.compile(r"\+?([0-9]+)(?:\.0*)?", re.ASCII)
MAX_DIGITS = 18  # past any bound we use; int() of 4,300+ digits raises, of 4,000 is slow
FALSE = {"false", "0", "no"}
FORMATS = ("json", "ndjson")
FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


class ParameterError(DomainError, ValueError):
    status = 422

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message, parameter)
        self.parameter = parameter


def _raw(args: Mapping[str, str], name: str) -> str | None:
    value = args.get(name)
    if value is None:
        return None
    return value.strip()  # a NUL never gets here: app.input_guard refused the request


def present(args: Mapping[str, str], name: str) -> str | None:
    """The value of a parameter that may be left out but, when given, not empty: a UUID, a
    date-time or a choice from a list. `?taxonomy_id=` is refused, not read as "any"."""
    value = _raw(args, name)
    if value == "":
        raise ParameterError(name, f"{name} must not be empty (leave the parameter out instead)")
    return value


def integer(args: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    value = _raw(args, name)
    if value is None or value == "":
        return default
    # ASCII only: isdigit() alone accepts "²", which int() refuses. "6.0" is the whole number
    # 6, as JSON Schema (and so the OpenAPI document) counts it.
    match = WHOLE.fullmatch(value)
    if match is None:
        raise ParameterError(name, f"{name} must be a whole number")
    digits = match.group(1)
    if len(digits.lstrip("0")) > MAX_DIGITS:
        raise ParameterError(name, f"{name} must be between {low} and {high}")
    number = int(digits)
    if not low <= number <= high:
        raise ParameterError(name, f"{name} must be between {low} and {high}")
    return number


def boolean(args: Mapping[str, str], name: str) -> bool:
    value = _raw(args, name)
    if value is None or value == "":
        return False
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise ParameterError(name, f"{name} must be true or false")


def uuid(args: Mapping[str, str], name: str) -> str | None:
    value = present(args, name)
    if value is None:
        return None
    if not is_uuid(value):
        raise ParameterError(name, f"{name} must be a UUID")
    return value.lower()


def text(args: Mapping[str, str], name: str, max_length: int = 200) -> str | None:
    value = _raw(args, name)
    if not value:
        return None
    if len(value) > max_length:
        raise ParameterError(name, f"{name} must be at most {max_length} characters")
    return value


def moment(args: Mapping[str, str], name: str) -> datetime | None:
    """An ISO 8601 date or date-time; without a zone it is taken as UTC. Never raises
    OverflowError: a moment past either end of the calendar is clamped to that end."""
    value = present(args, name)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ParameterError(name, f"{name} must be an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        # 0001-01-01T00:00+01:00 is before, 9999-12-31T23:59-01:00 after, every UTC time we
        # can hold: as a lower bound they mean "everything" and "nothing", so clamp.
        return datetime.min.replace(tzinfo=UTC) if parsed.year == 1 else FAR_FUTURE


def metres(args: Mapping[str, str], name: str, maximum: float) -> float | None:
    value = _raw(args, name)
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        raise ParameterError(name, f"{name} must be a distance in metres") from None
    if not math.isfinite(number) or not 0 < number <= maximum:
        raise ParameterError(name, f"{name} must be more than 0 and at most {maximum:g} metres")
    return number


def output_format(args: Mapping[str, str]) -> str:
    value = (present(args, "format") or "json").lower()
    if value not in FORMATS:
        raise ParameterError("format", "format must be json or ndjson")
    return value


def usable_id(value: str) -> bool:
    """Whether a path id may be looked up at all: our ids are 36-character strings (a control
    character in a path never gets here: app.input_guard answers 404)."""
    return len(value) <= 36
