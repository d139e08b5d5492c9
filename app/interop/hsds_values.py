"""Small helpers shared by the HSDS JSON serializers: absent values left out, ISO dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

Json = dict[str, Any]


def iso_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso_datetime(value)
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def clean(obj: Json) -> Json:
    return {k: v for k, v in obj.items() if v is not None and v != ""}


def keep_required(obj: Json, **required: Any) -> Json:
    out = clean(obj)
    out.update(required)
    return out
