"""HSDS ids are UUIDs; a few of our reference rows have readable ids ("need-housing").

Outgoing, such an id is replaced by a stable name-based UUID (uuid5), so every id we publish is
a valid HSDS uuid and the same row always gets the same one. Incoming, `alias_map` turns those
UUIDs back into our own ids, so re-importing our own export updates rows instead of copying them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

# Fixed forever: changing it would change every published taxonomy id.
PARTNERS_NAMESPACE = uuid.UUID("5b0e7a4e-3c1f-5d2a-9a57-0f5e1f0c7a11")


def is_uuid(value: str | None) -> bool:
    if not value or len(value) != 36:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def hsds_id(local_id: str | None) -> str | None:
    """The id we publish for one of our ids (unchanged when it already is a UUID)."""
    if local_id is None:
        return None
    if is_uuid(local_id):
        return local_id
    return str(uuid.uuid5(PARTNERS_NAMESPACE, local_id))


def alias_map(local_ids: Iterable[str]) -> dict[str, str]:
    """published id -> our id, for our ids that are not UUIDs."""
    return {hsds_id(i): i for i in local_ids if not is_uuid(i)}  # type: ignore[misc]


def link_id(*parts: str) -> str:
    """A stable UUID for a row we hold without an id of its own (a service's taxonomy term)."""
    return str(uuid.uuid5(PARTNERS_NAMESPACE, "|".join(parts)))
