"""The search layer's one interface to a full-text engine, and its Whoosh implementation.

Callers (app.search.query, later the views, API and CLI) only use `SearchBackend`, so a
PostgreSQL full-text backend can be added for database-native deployments without touching them.

Text matching in the Whoosh backend: every query part must match (AND). A word matches its
English stem in any text field (field boosts in app.search.index.FIELD_BOOSTS); a word of four
letters or more also matches, at a lower tier, any word one edit away in the unstemmed `spell`
field (typo tolerance). Results matching every part exactly come first (tier 0), then those that
needed a typo match (tier 1). A lay term matches its own words OR any expansion; a quoted phrase
matches the words in order.
"""

from __future__ import annotations

import bisect
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from whoosh import query as wq
from whoosh.analysis import StemmingAnalyzer
from whoosh.searching import Searcher

from app.search import index as ix
from app.search.synonyms import QueryPart

FUZZY_MIN_LENGTH = 4
FUZZY_BOOST = 0.3


@dataclass(frozen=True)
class IndexFilters:
    """Filters on indexed catalog fields (need areas already include their children)."""

    need_areas: frozenset[str] = frozenset()
    language: str | None = None
    town: str | None = None
    statuses: tuple[str, ...] = ("active",)


@dataclass
class TextHit:
    id: str
    score: float
    tier: int = 0  # 0 = every part matched exactly; 1 = some part only through a typo match


@dataclass
class TextHits:
    hits: list[TextHit] = field(default_factory=list)


@dataclass(frozen=True)
class DocFacets:
    need_areas: list[str]
    towns: list[str]
    languages: list[str]


class SearchBackend(Protocol):
    def rebuild(self) -> int: ...

    def update(self, ids: Iterable[str]) -> None: ...

    def delete(self, ids: Iterable[str]) -> None: ...

    def search_ids(self, parts: list[QueryPart], filters: IndexFilters) -> TextHits:
        """Every active service matching the text and filters, best first (no paging)."""
        ...

    def facet_values(self, ids: Iterable[str]) -> dict[str, DocFacets]: ...

    def suggest(self, parts: list[QueryPart]) -> str | None:
        """A corrected query text when some word is unknown to the index, else None."""
        ...


_stem = StemmingAnalyzer()


def stems(word: str) -> list[str]:
    return [t.text for t in _stem(word)]


def _word_exact(word: str) -> wq.Query | None:
    tokens = stems(word)
    if not tokens:
        return None  # a stop word: matches everything, so it does not restrict
    per_field = []
    for name, boost in ix.FIELD_BOOSTS.items():
        if len(tokens) == 1:
            per_field.append(wq.Term(name, tokens[0], boost=boost))
        else:
            per_field.append(wq.Phrase(name, tokens, boost=boost))
    return wq.Or(per_field)


def _words_exact(words: Iterable[str]) -> wq.Query | None:
    queries = [q for q in (_word_exact(w) for w in words) if q is not None]
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else wq.And(queries)


def _phrase(words: tuple[str, ...]) -> wq.Query | None:
    tokens = [t for w in words for t in stems(w)]
    if len(tokens) < 2:
        return _words_exact(words)
    return wq.Or([wq.Phrase(name, tokens, boost=b) for name, b in ix.FIELD_BOOSTS.items()])


def _typo_alternatives(searcher: Searcher, word: str) -> list[str]:
    """Indexed words one edit away that are not just another form of `word`."""
    if len(word) < FUZZY_MIN_LENGTH or not word.isalpha():
        return []
    own = stems(word)
    found = []
    for term in searcher.reader().terms_within(ix.SPELL_FIELD, word, 1, prefix=1):
        if term != word and stems(term) != own:
            found.append(term)
    return found


def _part_query(part: QueryPart, searcher: Searcher, fuzzy: bool) -> tuple[wq.Query | None, bool]:
    """The query for one part, and whether typo alternatives were added to it."""
    if part.phrase:
        return _phrase(part.words), False
    used_fuzzy = False
    word_queries = []
    for word in part.words:
        exact = _word_exact(word)
        if exact is None:
            continue
        alternatives = _typo_alternatives(searcher, word) if fuzzy else []
        if alternatives:
            used_fuzzy = True
            typos = [wq.Term(ix.SPELL_FIELD, t, boost=FUZZY_BOOST) for t in alternatives]
            exact = wq.Or([exact, *typos])
        word_queries.append(exact)
    own = None
    if word_queries:
        own = word_queries[0] if len(word_queries) == 1 else wq.And(word_queries)
    options = [q for q in [own, *(_words_exact(e) for e in part.expansions)] if q is not None]
    if not options:
        return None, used_fuzzy
    return (options[0] if len(options) == 1 else wq.Or(options)), used_fuzzy


def _text_query(parts: list[QueryPart], searcher: Searcher, fuzzy: bool) -> tuple[wq.Query, bool]:
    built = [_part_query(p, searcher, fuzzy) for p in parts]
    queries = [q for q, _ in built if q is not None]
    used_fuzzy = any(f for _, f in built)
    if not queries:
        return wq.Every(), False
    return (queries[0] if len(queries) == 1 else wq.And(queries)), used_fuzzy


def _filter_query(filters: IndexFilters) -> wq.Query | None:
    """Filters that narrow the index. Status is left to the database (the caller re-checks it
    for every candidate), because filtering on a term nearly every document has costs more
    than it saves; pass statuses=() to say so explicitly."""
    clauses: list[wq.Query] = []
    if filters.statuses:
        clauses.append(wq.Or([wq.Term("status", s) for s in filters.statuses]))
    if filters.need_areas:
        clauses.append(wq.Or([wq.Term("need_areas", c.lower()) for c in filters.need_areas]))
    if filters.language:
        clauses.append(wq.Term("languages", filters.language.lower()))
    if filters.town:
        clauses.append(wq.Term("towns", filters.town.strip().lower()))
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else wq.And(clauses)


class WhooshBackend:
    """Whoosh on local disk (one index directory per deployment)."""

    def __init__(self, index_dir: str | os.PathLike | None = None) -> None:
        self.index_dir = ix.index_dir_from_config(index_dir)

    def rebuild(self) -> int:
        count = ix.rebuild_index(self.index_dir)
        ix.forget(self.index_dir)
        return count

    def update(self, ids: Iterable[str]) -> None:
        ix.update_services(ids, self.index_dir)

    def delete(self, ids: Iterable[str]) -> None:
        ix.delete_services(ids, self.index_dir)

    def _searcher(self) -> Searcher:
        return ix.searcher(self.index_dir)

    def _run(self, action):  # noqa: ANN001,ANN202
        """Run a read. If it fails, reopen the index (open_index rebuilds one it cannot read)
        and try again; if it fails again, rebuild from the database and try a last time."""
        for attempt in range(3):
            try:
                return action(self._searcher())
            except Exception as exc:
                ix.forget(self.index_dir)
                ix.collect_abandoned_files(exc)
                if attempt == 2:
                    raise
                if attempt == 1:
                    self.rebuild()
        return None  # unreachable

    def search_ids(self, parts: list[QueryPart], filters: IndexFilters) -> TextHits:
        return self._run(lambda s: self._search(s, parts, filters))

    def _search(
        self, searcher: Searcher, parts: list[QueryPart], filters: IndexFilters
    ) -> TextHits:
        ids = doc_table(searcher)
        flt = _filter_query(filters)
        exact_q, _ = _text_query(parts, searcher, fuzzy=False)
        results = searcher.search(exact_q, filter=flt, limit=None)
        hits = [TextHit(ids.id_of(d), s) for s, d in results.top_n]
        full_q, used_fuzzy = _text_query(parts, searcher, fuzzy=True)
        if used_fuzzy:
            exact = {h.id for h in hits}
            more = searcher.search(full_q, filter=flt, limit=None)
            hits.extend(
                TextHit(ids.id_of(d), s, 1) for s, d in more.top_n if ids.id_of(d) not in exact
            )
        return TextHits(hits)

    def facet_values(self, ids: Iterable[str]) -> dict[str, DocFacets]:
        return self._run(lambda s: self._facets(s, ids))

    def _facets(self, searcher: Searcher, ids: Iterable[str]) -> dict[str, DocFacets]:
        table = doc_table(searcher)
        found = {}
        for sid in ids:
            docnum = table.docnum_of(sid)
            if docnum is not None:
                found[sid] = table.facets_of(docnum)
        return found

    def suggest(self, parts: list[QueryPart]) -> str | None:
        return self._run(lambda s: self._suggest(s, parts))

    def _suggest(self, searcher: Searcher, parts: list[QueryPart]) -> str | None:
        reader = searcher.reader()
        corrector = searcher.corrector(ix.SPELL_FIELD)
        changed = False
        out = []
        for part in parts:
            words = []
            for word in part.words:
                if len(word) > 2 and not reader.doc_frequency(ix.SPELL_FIELD, word):
                    suggestion = corrector.suggest(word, limit=1, maxdist=2)
                    if suggestion and suggestion[0] != word:
                        word, changed = suggestion[0], True
                words.append(word)
            text = " ".join(words)
            out.append(f'"{text}"' if part.phrase else text)
        return " ".join(out) if changed else None


class DocTable:
    """Document number -> service id and facet values for one searcher, read column by column
    per segment (sequential column reads are fast; one random read per hit is not). Segments are
    immutable, so each segment's columns are read once and shared by later searchers."""

    _segments: dict[str, tuple[list[str], list[DocFacets]]] = {}
    _lock = threading.Lock()

    def __init__(self, searcher: Searcher) -> None:
        self.reader = searcher.reader()
        self.offsets: list[int] = []
        self.ids: list[list[str]] = []
        self.facets: list[list[DocFacets]] = []
        self.leaves = self.reader.leaf_readers()
        live = set()
        for leaf, offset in self.leaves:
            key = leaf.segment().segment_id()
            with self._lock:
                data = self._segments.get(key)
            if data is None:
                facets = [DocFacets(*ix.parse_facets(raw)) for raw in leaf.column_reader("facets")]
                data = (list(leaf.column_reader("id")), facets)
                with self._lock:
                    self._segments[key] = data
            live.add(key)
            self.offsets.append(offset)
            self.ids.append(data[0])
            self.facets.append(data[1])
        with self._lock:  # forget segments merged away
            for key in [k for k in self._segments if k not in live]:
                if len(self._segments) > 4 * max(1, len(live)):
                    del self._segments[key]
        self._by_id: dict[str, int] | None = None

    def _locate(self, docnum: int) -> tuple[int, int]:
        leaf = bisect.bisect_right(self.offsets, docnum) - 1
        return leaf, docnum - self.offsets[leaf]

    def id_of(self, docnum: int) -> str:
        leaf, local = self._locate(docnum)
        return self.ids[leaf][local]

    def facets_of(self, docnum: int) -> DocFacets:
        leaf, local = self._locate(docnum)
        return self.facets[leaf][local]

    def docnum_of(self, service_id: str) -> int | None:
        if self._by_id is None:
            by_id = {}
            for (leaf, offset), ids in zip(self.leaves, self.ids, strict=True):
                for local, sid in enumerate(ids):
                    if not leaf.is_deleted(local):
                        by_id[sid] = offset + local
            self._by_id = by_id
        return self._by_id.get(service_id)


_tables: dict[int, DocTable] = {}


def doc_table(searcher: Searcher) -> DocTable:
    reader = searcher.reader()
    table = _tables.get(id(reader))
    if table is None or table.reader is not reader:
        table = DocTable(searcher)
        if len(_tables) > 16:
            _tables.clear()
        _tables[id(reader)] = table
    return table


def get_backend(index_dir: str | os.PathLike | None = None) -> SearchBackend:
    """The configured backend (only Whoosh so far; a SEARCH_BACKEND setting would choose)."""
    return WhooshBackend(index_dir)
