"""Small shared building blocks for models: ids, clocks, a timezone-safe DateTime type."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

# The clock lives in app.clock; these names stay importable from here for the models.
from app.clock import DEFAULT_TIMEZONE, local_time, network_zone, utcnow  # noqa: F401


def new_id() -> str:
    """HSDS ids are UUID strings."""
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and always returns them aware.

    SQLite has no time zones; without this, a value read back from SQLite is naive while the
    same value from PostgreSQL is aware, and comparisons between the two raise.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect):  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_type(enum_cls: type, name: str):  # noqa: ANN201
    """A named SQL enum that stores the enum's values (not its member names)."""
    from sqlalchemy import Enum

    # Stored as VARCHAR, not a native PostgreSQL ENUM, so adding a code later is a plain
    # migration on both databases.
    return Enum(
        enum_cls,
        name=name,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
        native_enum=False,
        length=40,
    )
