"""Helpers for the "Find a place" tests: a small catalog around Hartford, the search index
rebuilt on demand, and a reader for what a page's form would post unchanged."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from app.directory.models import TaxonomyTerm
from app.directory.vocabulary import Answer, CapacityStatus, Criterion
from app.extensions import db
from app.search.index import forget, rebuild_index
from tests import factories


def reindex(index_dir: Path) -> None:
    rebuild_index(index_dir)
    forget(index_dir)


def housing(
    name: str,
    *,
    rooms: int | None = 3,
    status=CapacityStatus.HAS_CAPACITY,  # noqa: ANN001
    age_days: float = 0,
    refuses_registry: bool = False,
):  # noqa: ANN205
    """A transitional house in Hartford with one capacity figure (None: no figure)."""
    org = factories.make_organization(name=f"{name} Org")
    location = factories.make_location(org, town="Hartford")
    svc = factories.make_service(org, location=location, name=name)
    svc.taxonomy_terms = [db.session.get(TaxonomyTerm, "need-housing.transitional")]
    db.session.commit()
    if rooms is not None:
        factories.make_capacity(svc, available=rooms, status=status, age_days=age_days)
    if refuses_registry:
        factories.make_rule(svc, Criterion.SEX_OFFENSE_REGISTRY, Answer.NO)
    return svc


def href(html: str, pattern: str) -> str:
    """The first link address matching `pattern` (a regex over the unescaped address)."""
    for found in re.findall(r'href="([^"]+)"', html):
        address = unescape(found)
        if re.search(pattern, address):
            return address
    raise AssertionError(f"no link matching {pattern!r}")


class _FormReader(HTMLParser):
    """What each POST form on the page would send if submitted as shown."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.values: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._in_post = False

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ANN001
        attr = dict(attrs)
        if tag == "form":
            self._in_post = (attr.get("method") or "").lower() == "post"
            if self._in_post:
                self.values = []
                self.forms.append(self.values)
            return
        if not self._in_post:
            return
        name = attr.get("name")
        if tag == "input" and name:
            kind = attr.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in attr:
                return
            if kind not in {"submit", "button"}:
                self.values.append((name, attr.get("value") or ("y" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attr:
            self.values.append((self._select, attr.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.append((name, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_post = False


def form_values(html: str, field: str) -> list[tuple[str, str]]:
    """The values of the POST form that has `field`."""
    reader = _FormReader()
    reader.feed(html)
    return next(form for form in reader.forms if any(name == field for name, _ in form))
