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


def page_number() -> int:
    """The ?page= asked for; anything odd is page 1."""
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


def paginate(query: Select, page: int, per_page: int) -> Page:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, page=page, pages=max(1, -(-(total or 0) // per_page)), total=total)


def page_args() -> dict[str, str]:
    """The request's other non-empty query arguments, for the links to other pages."""
    return {k: v for k, v in request.args.items() if k != "page" and v}
