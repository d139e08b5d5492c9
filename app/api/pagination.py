"""The HSDS Page envelope, the same on the first, a middle, the last and a past-the-end page."""

from __future__ import annotations

import math
from typing import Any


def page_envelope(contents: list[Any], *, total: int, page: int, per_page: int) -> dict:
    """`size` counts this page's items; `empty` means this page has none."""
    total_pages = math.ceil(total / per_page) if total else 0
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }
