"""Pages of a query's rows for list pages (the template's `pager` macro shows the links)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request
from sqlalchemy import Select, func, select

from app.extensions import db


@dataclass
class Page:
    """One page of rows plus what the template needs for "previous / next"."""

    items: list[Any]
    page: int
    pages: int
    total: int


EMPTY = Page(items=[], page=1, pages=1, total=0)


MAX_PAGE = 10_000  # past any real list; keeps OFFSET small enough for every database


def parse_page(value: object) -> int:
    """A page number from untrusted text: 1 unless it is plain ASCII digits, at most MAX_PAGE.

    int() alone accepts "٣", " 3", "+3" and "3_0", raises on 5,000 digits and lets a 4,000-digit
    number reach the database as an OFFSET it cannot hold; this never does.
    """
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return 1
    digits = value.lstrip("0")
    if not digits:
        return 1
    if len(digits) > len(str(MAX_PAGE)):
        return MAX_PAGE
    return min(int(digits), MAX_PAGE)


def page_number() -> int:
    """The ?page= asked for; anything odd is page 1."""
    return parse_page(request.args.get("page", "1"))


def paginate(query: Select, page: int, per_page: int) -> Page:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, page=page, pages=max(1, -(-(total or 0) // per_page)), total=total)


def page_args() -> dict[str, str]:
    """The request's other non-empty query arguments, for the links to other pages."""
    return {k: v for k, v in request.args.items() if k != "page" and v}
