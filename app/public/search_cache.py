"""Public search results, kept per process for the minute they are true in.

Public search is the same for every visitor (no person, no account): the same words, place,
need and groups give the same page. At 50,000 services a search costs hundreds of milliseconds
and a handful of searches ("housing", "food pantry near Hartford") are most of the traffic, so
the data a results page shows (the results with their badges, open now and distance, each name
in the page's language, the number to call, the need areas of the form) is kept in a bounded
per-process LRU (card_cache.LRU, the card page's mechanism), keyed on:

- what was asked (words, place, need, groups, sort, page) and the page's language;
- the content-version tokens "catalog" and "search" (app.content_version), read with one
  primary-key query: every write to a table the results are read from (the card page's
  catalog tables, plus capacity, languages, eligibility rules and the search rows) replaces
  a token in the same transaction, so after a commit the next search on every server sharing
  the database builds anew: a capacity figure saved through another server shows at once;
- the local minute: open now is judged at the minute's start (hours are whole minutes), and
  capacity freshness at the minute's end, so a figure that turns stale during the minute shows
  as unknown for the whole minute, never as room a moment too long;
- the settings the results depend on (time zone, CAPACITY_STALE_DAYS, the search backend and
  its index folder).

Not kept: the plain fallback list shown while the Whoosh index is rebuilt. With Whoosh (one
server) the index applies a change just after its commit; a search in between keeps the old
order (its labels are read live) until the minute ends. SQL typed by hand is seen at the next
minute. SEARCH_CACHE_SIZE sets the number of entries (0 turns the cache off).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import InitVar, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from markupsafe import Markup

from app import content_version
from app.clock import network_zone, utcnow
from app.public.card_cache import CATALOG, LRU
from app.public.listing import locale_code

EXTENSION = "partners_search_cache"
SEARCH = "search"
# Tables the results read beyond the card page's catalog tables (card_cache.CATALOG_TABLES,
# scope "catalog"); the search backend's own rows are written with the catalog change.
SEARCH_TABLES = (
    "service_capacity",
    "unit",
    "language",
    "eligibility_rule",
    "need_area_mapping",
    "taxonomy",
    "search_document",
    "search_point",
    "search_word",
    "search_rule",
    "search_hours",
)
MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class Asked:
    """A public search as asked, after the page has tidied it (the cache key's own part)."""

    text: str
    near: str
    need: str
    who: tuple[str, ...]
    sort: str
    page: int


@dataclass(frozen=True)
class Minute:
    """The local minute a search is answered for: open now at its start, freshness at its end."""

    start: datetime  # naive local wall-clock time (app.search.open_now)
    end: datetime  # aware UTC


@dataclass(frozen=True)
class Counted:
    """What every request of a kept page reads of its results (the rendered body holds the rest)."""

    total: int
    fallback: bool
    hidden: dict[str, int]


@dataclass
class PublicPage:
    """What a results page shows, for any visitor; `body`, its content rendered, is filled in
    by the first request that shows it (the page's frame, with the visitor's own sign-in state,
    messages and language links, is rendered for each request).

    Until then `found` holds what the body is rendered from (the results, each name in the
    page's language, the call links); `rendered` drops it and keeps the body compressed, so a
    kept page is ~4 KB where with its results' objects (each service, verdict and capacity row)
    and its 35 KB of HTML it was ~140 KB: 500 kept pages made each worker ~60 MB larger at
    50,000 services. Unpacking the body costs ~25 µs a request. `found` is one attribute,
    dropped after the body is set: a request that finds no body finds `found`, whatever another
    thread does."""

    areas: list[dict]
    results: InitVar[Any] = None  # app.search.SearchResults
    names: InitVar[dict[str, str] | None] = None
    calls: InitVar[dict[str, Any] | None] = None
    counted: Counted | None = field(init=False, default=None)
    found: tuple[Any, Any, Any] | None = field(init=False, default=None)
    packed: bytes | None = field(init=False, default=None)  # the rendered body, zlib

    def __post_init__(self, results: Any, names: Any, calls: Any) -> None:
        if results is not None:
            self.counted = Counted(results.total, results.fallback, dict(results.hidden))
            self.found = (results, names, calls)

    @property
    def body(self) -> Markup | None:
        """The page's content as rendered by its first request (None until then)."""
        packed = self.packed
        if packed is None:
            return None
        return Markup(zlib.decompress(packed).decode("utf-8"))  # noqa: S704 - as rendered

    def rendered(self, body: str) -> None:
        self.packed = zlib.compress(body.encode("utf-8"), 1)
        self.found = None


def init_search_cache(app: Flask) -> None:
    """This app's cache (each app its own, like each server process) and its tables' scope."""
    size = int(app.config.get("SEARCH_CACHE_SIZE", 500))
    # An entry is for one minute; kept a little longer so a clock read late still finds it.
    app.extensions[EXTENSION] = LRU(size, 61.0) if size > 0 else None
    content_version.watch_tables(SEARCH, SEARCH_TABLES)
    content_version.install()


def search_cache(app: Flask | None = None) -> LRU | None:
    """The app's cache; None when it is turned off."""
    return (app or current_app).extensions.get(EXTENSION)


def this_minute(now: datetime | None = None) -> Minute:
    from app.search.open_now import local_now

    now = now or utcnow()
    local = local_now(now)
    into = timedelta(seconds=local.second, microseconds=local.microsecond)
    return Minute(start=local - into, end=now - into + MINUTE)


def _settings() -> tuple:
    from app.search.sync import backend_name

    config = current_app.config
    return (
        network_zone().key,
        config["CAPACITY_STALE_DAYS"],
        backend_name(current_app),
        str(config.get("SEARCH_INDEX_DIR") or ""),
    )


def cached_page(asked: Asked | None, build: Callable[[Minute | None], PublicPage]) -> PublicPage:
    """`build(minute)` once per key while it stays in this process's cache (`asked` None: the
    form alone). With the cache off, `build(None)`: answered for this very moment. A page from
    the plain fallback is shown but not kept."""
    cache = search_cache()
    if cache is None:
        return build(None)
    minute = this_minute()
    key = (
        asked,
        locale_code(),
        minute.start,
        content_version.read([CATALOG, SEARCH]),
        _settings(),
    )
    return cache.get_or_build(key, lambda: build(minute), keep=_keep)


def _keep(page: PublicPage) -> bool:
    return page.counted is None or not page.counted.fallback
