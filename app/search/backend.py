"""The search layer's one interface to a full-text engine, and its Whoosh implementation.

Callers (app.search.query; the views, API and CLI only use query.search) see `SearchBackend`
and the `IndexView` it hands out for one search: matching documents (unscored sets), their
facts (app.search.docfacts), points near a place, relevance for the few candidates that can
reach the page, and spelling suggestions (app.search.planning plans a page over it). The
PostgreSQL backend (app.search.pg_backend) plans a page in SQL instead (app.search.pg_plan);
SEARCH_BACKEND chooses.

Text matching in the Whoosh backend: every query part must match (AND). A word matches its
English stem in any text field (field boosts in app.search.index.FIELD_BOOSTS); a word of four
letters or more also matches, at a lower tier, any word one edit away in the unstemmed `spell`
field (typo tolerance). Results matching every part exactly come first (tier 0), then those that
needed a typo match (tier 1). A lay term matches its own words OR any expansion; a quoted phrase
matches the words in order.

Speed: matching is done on posting-list sets (no scoring); only candidates that can still reach
the requested page are scored: Whoosh's own top-N (which skips low-scoring blocks) is widened
until the page is settled (ranking boosts are capped, see `top`), or, for a small candidate set,
each candidate is scored directly.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from app.search import index as ix
from app.search.docfacts import DocFacts
from app.search.geo import Place
from app.search.synonyms import QueryPart


@dataclass(frozen=True)
class IndexFilters:
    """Filters on indexed catalog fields (need areas already include their children)."""

    need_areas: frozenset[str] = frozenset()
    language: str | None = None
    town: str | None = None
    towns: tuple[str, ...] = ()  # any of these towns (a parole district's), with `town` too
    statuses: tuple[str, ...] = ("active",)


def top_by_rank(
    scores: dict[int, float],
    rank: Callable[[int, float], float],
    k: int,
    max_boost: float,
    service_id: Callable[[int], str],
) -> list[tuple[float, int]]:
    """The k best (rank, key) of scored keys, best first (ties by service id, so pages are
    stable). Boosts are looked up in falling order of relevance, and only until no later key
    could overtake the k-th best even with the largest boost. Shared by every backend's view."""
    by_relevance = sorted(scores.items(), key=lambda item: -item[1])
    best: list[tuple[float, int]] = []
    for n, (key, relevance) in enumerate(by_relevance):
        best.append((rank(key, relevance), key))
        if len(best) >= k and n % 16 == 15:
            best.sort(key=lambda x: -x[0])
            del best[k:]
            if best[-1][0] > relevance * max_boost:
                break
    best.sort(key=lambda x: (-x[0], service_id(x[1])))
    return best[:k]


class IndexView(Protocol):
    """One consistent snapshot of the index for the length of one search. Keys are opaque."""

    def match(self, parts: list[QueryPart], filters: IndexFilters) -> dict[int, int] | None:
        """key -> tier for matching documents; None when nothing restricts (every document)."""
        ...

    def all_keys(self) -> Iterable[int]: ...

    def facts(self, key: int) -> DocFacts: ...

    def service_id(self, key: int) -> str: ...

    def near(
        self, place: Place, radius: float, among: dict[int, int] | None = None
    ) -> dict[int, tuple[float, str]]:
        """key -> (miles, location id) of its nearest point within the radius (only keys in
        `among` need be answered when it is given)."""
        ...

    def relevance(self, parts: list[QueryPart], tier: int, keys: Iterable[int]) -> dict[int, float]:
        """The text score of each of these keys that matches the tier's query."""
        ...

    def top(
        self,
        parts: list[QueryPart],
        tier: int,
        allowed: set[int],
        rank: Callable[[int, float], float],
        k: int,
        max_boost: float,
    ) -> list[tuple[float, int]]:
        """The k best (rank, key) of `allowed` by rank(key, relevance), best first;
        rank(key, r) must lie between r and r * max_boost."""
        ...

    def suggest(self, parts: list[QueryPart]) -> str | None:
        """A corrected query text when some word is unknown to the index, else None."""
        ...


class SearchBackend(Protocol):
    def rebuild(self) -> int: ...

    def plan(self, ctx: object) -> object:
        """The page plan (app.search.ranking.Plan) of one search (ranking.PlanContext)."""
        ...

    def update(self, ids: Iterable[str]) -> None: ...

    def delete(self, ids: Iterable[str]) -> None: ...

    def run(self, action: Callable[[IndexView], object]) -> object:
        """Run `action` on a fresh view; recover from a broken index (rebuild) and retry."""
        ...


class WhooshBackend:
    """Whoosh on local disk (one index directory per deployment)."""

    def __init__(self, index_dir: str | os.PathLike | None = None) -> None:
        self.index_dir = ix.index_dir_from_config(index_dir)

    def rebuild(self) -> int:
        return ix.rebuild_index(self.index_dir)

    def update(self, ids: Iterable[str]) -> None:
        ix.update_services(ids, self.index_dir)

    def plan(self, ctx: object) -> object:
        from app.search.planning import index_plan

        return self.run(lambda view: index_plan(view, ctx))  # type: ignore[arg-type]

    def delete(self, ids: Iterable[str]) -> None:
        ix.delete_services(ids, self.index_dir)

    def run(self, action: Callable[[IndexView], object]) -> object:
        """Run a read. If it fails, reopen the index and try again; if it fails again, rebuild
        from the database and try a last time. The rebuild is inline only in "inline" sync
        mode (tests, CLI); otherwise it runs in the background (app.search.rebuild) and this
        raises IndexUnavailable at once, so a request never waits for a rebuild."""
        from flask import current_app

        from app.search import rebuild
        from app.search.sync import EXTENSION
        from app.search.whoosh_view import WhooshView

        app = current_app._get_current_object()  # noqa: SLF001
        inline = app.extensions.get(EXTENSION, {}).get("mode", "inline") == "inline"
        for attempt in range(3):
            try:
                return action(WhooshView(ix.searcher(self.index_dir, build=inline)))
            except rebuild.IndexUnavailable:
                raise rebuild.start(app, self.index_dir) from None
            except Exception as exc:
                ix.forget(self.index_dir)
                ix.collect_abandoned_files(exc)
                if attempt == 2:
                    raise
                if attempt == 1:
                    if not inline:
                        raise rebuild.start(app, self.index_dir) from None
                    self.rebuild()
        return None  # unreachable


def get_backend(index_dir: str | os.PathLike | None = None) -> SearchBackend:
    """The configured backend (SEARCH_BACKEND); an explicit index folder means Whoosh."""
    if index_dir is None:
        from flask import current_app

        from app.search.sync import backend_name

        if backend_name(current_app) == "postgres":
            from app.search.pg_backend import PostgresBackend

            return PostgresBackend()
    return WhooshBackend(index_dir)
