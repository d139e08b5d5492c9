"""Answers remembered per worker with the content versions they were read under.

Why: a PostgreSQL search reads the same small things again and again (each word's forms, the
places near a town's radius, the page's services); they change only when the directory does.
The caller reads the current versions of what its data is read from (app.content_version
scopes, e.g. "catalog" and "search" for the page rows) in the same statement or round trip as
its data, and uses a remembered value only when it was read under those very versions. Writes
the version watchers cannot see (SQL typed by hand) are caught by age: a value older than
`max_age` seconds is read again. Bounded: least recently used first out.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class VersionedMemo:
    def __init__(self, max_entries: int, max_age: float) -> None:
        self.max_entries = max_entries
        self.max_age = max_age
        self._items: OrderedDict[Hashable, tuple[str, float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> tuple[str, Any] | None:
        """(version, value) when remembered and young enough."""
        now = time.monotonic()
        with self._lock:
            held = self._items.get(key)
            if held is None:
                return None
            version, stored, value = held
            if now - stored > self.max_age:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return version, value

    def put(self, key: Hashable, version: str, value: Any) -> None:
        with self._lock:
            self._items[key] = (version, time.monotonic(), value)
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def held_keys(self) -> list[Hashable]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
