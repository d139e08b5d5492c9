"""The one CSV writer of the app: every cell that a spreadsheet would run as a formula is defused.

Text starting with = + - @ tab or CR (after any leading apostrophes) gets one more apostrophe in
front, as OWASP advises; spreadsheets show the apostrophe-prefixed text as plain text. Plain
numbers such as -3 or +1.5e3 are left alone, so figures stay figures. `restore` undoes exactly
one `defuse`, which lets our HSDS import read our own export back unchanged.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _risky(text: str) -> bool:
    return text.lstrip("'").startswith(TRIGGERS) and not NUMBER.match(text)


def defuse(value: Any) -> Any:
    """One cell as a spreadsheet will not evaluate it (non-text values pass through)."""
    if isinstance(value, str) and _risky(value):
        return "'" + value
    return value


def restore(text: str) -> str:
    """The text `defuse` was given (for cells read from a CSV we or a careful tool wrote)."""
    if text.startswith("'") and text.lstrip("'").startswith(TRIGGERS):
        return text[1:]
    return text


class SafeWriter:
    """csv.writer with every cell passed through `defuse`."""

    def __init__(self, handle: Any, **options: Any) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([defuse(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(handle: Any, **options: Any) -> SafeWriter:
    """Use this instead of csv.writer (tests/test_safe_csv.py fails on any other CSV writer)."""
    return SafeWriter(handle, **options)
