"""The Whoosh side of a search: query building, matching sets, relevance for chosen documents,
per-segment facts and point grid, spelling suggestions (see app.search.backend for the rules).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable

from whoosh import query as wq
from whoosh.searching import Searcher

from app.search import index as ix
from app.search import whoosh_mmap
from app.search.backend import IndexFilters, top_by_rank
from app.search.docfacts import DocFacts, Interner
from app.search.geo import Place, bounding_box
from app.search.nearby import Distances, unit_vector
from app.search.synonyms import QueryPart, fold, transpositions
from app.search.whoosh_scoring import FieldLengths, Scorer

FUZZY_MIN_LENGTH = 4
SPANISH_STEMS = True  # also match each word's Spanish stem (bench/spanish_search.py turns it off)
FUZZY_BOOST = 0.3
GRID = 0.1  # degrees per cell of the in-memory point grid


_stem = ix.english_analyzer()
_stem_es = ix.spanish_analyzer()


def stems(word: str) -> list[str]:
    return [t.text for t in _stem(word)]


def _word_exact(word: str, spanish: bool = True) -> wq.Query | None:
    """The word's English stem in the text fields, or (`spanish`) its Spanish stem."""
    tokens = stems(word)
    if not tokens:
        return None  # a stop word: matches everything, so it does not restrict
    per_field: list[wq.Query] = []
    for name, boost in ix.FIELD_BOOSTS.items():
        if len(tokens) == 1:
            per_field.append(wq.Term(name, tokens[0], boost=boost))
        else:
            per_field.append(wq.Phrase(name, tokens, boost=boost))
    spanish_stems = [t.text for t in _stem_es(word)] if spanish and SPANISH_STEMS else []
    if len(spanish_stems) == 1:  # a word the Spanish stemmer reads as one word (not a stop word)
        per_field.append(wq.Term(ix.SPANISH_FIELD, spanish_stems[0], boost=ix.SPANISH_BOOST))
    return wq.Or(per_field)


def _words_exact(words: Iterable[str], spanish: bool = True) -> wq.Query | None:
    queries = [q for q in (_word_exact(w, spanish) for w in words) if q is not None]
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else wq.And(queries)


def _phrase(words: tuple[str, ...]) -> wq.Query | None:
    tokens = [t for w in words for t in stems(w)]
    if len(tokens) < 2:
        return _words_exact(words)
    return wq.Or([wq.Phrase(name, tokens, boost=b) for name, b in ix.FIELD_BOOSTS.items()])


def _typo_alternatives(searcher: Searcher, word: str) -> list[str]:
    """Indexed words one edit away (an adjacent swap counts one) that are not just another
    form of `word`."""
    word = fold(word)
    if len(word) < FUZZY_MIN_LENGTH or not word.isalpha():
        return []
    own = stems(word)
    found = []
    reader = searcher.reader()
    for term in reader.terms_within(ix.SPELL_FIELD, word, 1, prefix=1):
        if term != word and stems(term) != own:
            found.append(term)
    for term in transpositions(word):  # one edit too (Damerau), as on PostgreSQL
        if term not in found and (ix.SPELL_FIELD, term) in reader and stems(term) != own:
            found.append(term)
    return found


def _part_query(part: QueryPart, searcher: Searcher, fuzzy: bool) -> tuple[wq.Query | None, bool]:
    """The query for one part, and whether typo alternatives were added to it."""
    if part.phrase:
        return _phrase(part.words), False
    used_fuzzy = False
    word_queries = []
    for word in part.words:
        # A lay term's own words match as typed (English stems): its meaning is in its
        # expansions, and a short Spanish stem is ambiguous ("comida" -> "com", as in "come").
        exact = _word_exact(word, spanish=not part.expansions)
        if exact is None:
            continue
        # A lay term was found in our lists, so it is not a typo ("casa" is not "case").
        alternatives = _typo_alternatives(searcher, word) if fuzzy and not part.expansions else []
        if alternatives:
            used_fuzzy = True
            typos = [wq.Term(ix.SPELL_FIELD, t, boost=FUZZY_BOOST) for t in alternatives]
            exact = wq.Or([exact, *typos])
        word_queries.append(exact)
    own = None
    if word_queries:
        own = word_queries[0] if len(word_queries) == 1 else wq.And(word_queries)
    options = [
        q
        for q in [own, *(_words_exact(e, spanish=False) for e in part.expansions)]
        if q is not None
    ]
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
    """Filters that narrow the index by keyword fields. Status is usually left to the facts
    (the caller checks them for every candidate): a term nearly every document has costs more
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
    if filters.towns:
        clauses.append(wq.Or([wq.Term("towns", t.strip().lower()) for t in filters.towns]))
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else wq.And(clauses)


def _docset(searcher: Searcher, q: wq.Query) -> set[int]:
    """Matching document numbers, without scoring: posting lists turned into sets."""
    if isinstance(q, wq.Term):
        if not searcher.reader().doc_frequency(q.fieldname, q.text):
            return set()
        return set(searcher.postings(q.fieldname, q.text).all_ids())
    if isinstance(q, wq.Or):
        found: set[int] = set()
        for sub in q.subqueries:
            found |= _docset(searcher, sub)
        return found
    if isinstance(q, wq.And):
        subs = list(q.subqueries)
        found = _docset(searcher, subs[0])
        for sub in subs[1:]:
            if not found:
                break
            found &= _docset(searcher, sub)
        return found
    return set(q.docs(searcher))


class SegmentData:
    """Service ids, facts and a point grid of one segment. Segments are immutable, so this is
    read once (column by column, which is fast) and shared by every later searcher."""

    def __init__(self, leaf: object) -> None:
        self.ids: list[str] = list(leaf.column_reader("id"))  # type: ignore[attr-defined]
        raw = leaf.column_reader("facts")  # type: ignore[attr-defined]
        intern = Interner()  # shared values held once per segment (dropped after reading)
        self.facts = [DocFacts(r, intern) for r in raw]
        whoosh_mmap.release_pages(leaf)  # the facts column's pages are not read again
        self.lengths = FieldLengths()
        self._grid: dict[tuple[int, int], list[tuple]] | None = None
        self._lock = threading.Lock()

    def grid(self) -> dict[tuple[int, int], list[tuple]]:
        """Cell -> (local doc, location id, lat, lon, x, y, z) of its points, (x, y, z) being
        the point on the unit sphere (see app.search.nearby)."""
        with self._lock:
            if self._grid is None:
                grid: dict[tuple[int, int], list[tuple]] = {}
                for local, facts in enumerate(self.facts):
                    for loc_id, lat, lon in facts.points:
                        cell = (math.floor(lat / GRID), math.floor(lon / GRID))
                        grid.setdefault(cell, []).append(
                            (local, loc_id, lat, lon, *unit_vector(lat, lon))
                        )
                self._grid = grid
            return self._grid


_segments: dict[str, SegmentData] = {}
_segments_lock = threading.Lock()


def _segment(leaf: object) -> SegmentData:
    key = leaf.segment().segment_id()  # type: ignore[attr-defined]
    with _segments_lock:
        data = _segments.get(key)
    if data is None:
        data = SegmentData(leaf)
        with _segments_lock:
            _segments[key] = data
    return data


_flats: dict[tuple[str, ...], tuple[list[DocFacts], list[str]]] = {}


def _flat(
    segment_ids: tuple[str, ...], segments: list[SegmentData]
) -> tuple[list[DocFacts], list[str]]:
    """Facts and service ids of every document, indexed by the searcher's document number (the
    segments' lists one after another, as the reader numbers them), kept per set of segments."""
    with _segments_lock:
        flat = _flats.get(segment_ids)
    if flat is None:
        if len(segments) == 1:
            flat = (segments[0].facts, segments[0].ids)
        else:
            flat = (
                [f for data in segments for f in data.facts],
                [i for data in segments for i in data.ids],
            )
        with _segments_lock:
            if len(_flats) >= 4:
                _flats.clear()
            _flats[segment_ids] = flat
    return flat


def _forget_segments(live: set[str]) -> None:
    with _segments_lock:
        if len(_segments) > 4 * max(1, len(live)) + 8:
            for key in [k for k in _segments if k not in live]:
                del _segments[key]


class WhooshView:
    """IndexView over one Whoosh searcher. Keys are the searcher's document numbers."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        reader = searcher.reader()
        # An empty index (no service yet) has one reader with no segment behind it: no leaves.
        self.leaves = [
            (leaf, offset, _segment(leaf))
            for leaf, offset in reader.leaf_readers()
            if leaf.segment() is not None
        ]
        self.offsets = [offset for _, offset, _ in self.leaves]
        segment_ids = tuple(leaf.segment().segment_id() for leaf, _, _ in self.leaves)
        _forget_segments(set(segment_ids))
        self._facts, self._ids = _flat(segment_ids, [data for _, _, data in self.leaves])
        self._queries: dict[int, tuple[wq.Query, bool]] = {}
        self._tier_scores: dict[int, dict[int, float]] = {}
        self._scorers: list[tuple[Scorer, int]] | None = None

    # --- documents

    def facts(self, key: int) -> DocFacts:
        return self._facts[key]

    def service_id(self, key: int) -> str:
        return self._ids[key]

    def all_keys(self) -> Iterable[int]:
        for leaf, offset, data in self.leaves:
            deleted = leaf.has_deletions()
            for local in range(len(data.ids)):
                if not (deleted and leaf.is_deleted(local)):
                    yield offset + local

    # --- text

    def _query(self, parts: list[QueryPart], tier: int) -> tuple[wq.Query, bool]:
        if tier not in self._queries:
            self._queries[tier] = _text_query(parts, self.searcher, fuzzy=tier > 0)
        return self._queries[tier]

    def _scores(self, parts: list[QueryPart], tier: int) -> dict[int, float]:
        """Key -> BM25F score of every document the tier's query matches (see whoosh_scoring);
        computed once per search and tier, term scores shared between the tiers."""
        if tier not in self._tier_scores:
            if self._scorers is None:
                self._scorers = [
                    (Scorer(sub, self.searcher, self.leaves[n][2].lengths), offset)
                    for n, (sub, offset) in enumerate(self.searcher.leaf_searchers())
                    if self.leaves  # an empty index has nothing to score
                ]
            q, _ = self._query(parts, tier)
            found: dict[int, float] = {}
            for scorer, offset in self._scorers:
                for doc, score in scorer.scores(q).items():
                    found[doc + offset] = score
            self._tier_scores[tier] = found
        return self._tier_scores[tier]

    def match(self, parts: list[QueryPart], filters: IndexFilters) -> dict[int, int] | None:
        flt = _filter_query(filters)
        allowed = _docset(self.searcher, flt) if flt is not None else None
        if not parts:
            return None if allowed is None else dict.fromkeys(allowed, 0)
        found = self._scores(parts, 0).keys()
        if allowed is not None:
            found = found & allowed
        tiers = dict.fromkeys(found, 0)
        _, used_fuzzy = self._query(parts, 1)
        if used_fuzzy:
            more = self._scores(parts, 1).keys() - found
            if allowed is not None:
                more &= allowed
            tiers.update(dict.fromkeys(more, 1))
        return tiers

    def relevance(self, parts: list[QueryPart], tier: int, keys: Iterable[int]) -> dict[int, float]:
        """Each key's score for the tier's query: exactly Whoosh's BM25F sum."""
        scores = self._scores(parts, tier)
        return {k: scores[k] for k in keys if k in scores}

    def top(
        self,
        parts: list[QueryPart],
        tier: int,
        allowed: set[int],
        rank: Callable[[int, float], float],
        k: int,
        max_boost: float,
    ) -> list[tuple[float, int]]:
        """Boosts are looked up in falling order of relevance, and only until no later key
        could overtake the k-th best even with the largest boost."""
        scores = self.relevance(parts, tier, allowed)
        return top_by_rank(scores, rank, k, max_boost, self.service_id)

    # --- places

    def near(
        self, place: Place, radius: float, among: dict[int, int] | None = None
    ) -> dict[int, tuple[float, str]]:
        """Points in the grid cells overlapping the bounding box (or, when the candidates are
        fewer than those points, the candidates' own points), then haversine, and geodesic
        for any point near the edge."""
        box = bounding_box(place.lat, place.lon, radius)
        lat_cells = range(math.floor(box.min_lat / GRID), math.floor(box.max_lat / GRID) + 1)
        lon_cells = [
            range(math.floor(lo / GRID), math.floor(hi / GRID) + 1) for lo, hi in box.lon_ranges
        ]
        cells = [(la, lo) for la in lat_cells for lons in lon_cells for lo in lons]
        points = []
        for leaf, offset, data in self.leaves:
            grid = data.grid()
            points.append((leaf, offset, [grid[c] for c in cells if c in grid]))
        in_box = sum(len(p) for _, _, lists in points for p in lists)
        measure = Distances(place, radius)
        if among is not None and len(among) < in_box:
            measure.scan(
                [
                    (key, loc_id, lat, lon, *unit_vector(lat, lon))
                    for loc_id, lat, lon in facts.points
                ]
                for key, facts in ((key, self.facts(key)) for key in among)
            )
            return measure.nearest
        for leaf, offset, lists in points:
            measure.scan(lists, offset, leaf.is_deleted if leaf.has_deletions() else None)
        return measure.nearest

    # --- spelling

    def suggest(self, parts: list[QueryPart]) -> str | None:
        reader = self.searcher.reader()
        corrector = self.searcher.corrector(ix.SPELL_FIELD)
        changed = False
        out = []
        for part in parts:
            words = []
            for word in part.words:
                # A lay term ("vivienda") is known even when no service uses the word itself.
                plain = fold(word)
                if (
                    not part.expansions
                    and len(plain) > 2
                    and not reader.doc_frequency(ix.SPELL_FIELD, plain)
                ):
                    suggestion = corrector.suggest(plain, limit=1, maxdist=2)
                    if suggestion and suggestion[0] != plain:
                        word, changed = suggestion[0], True
                words.append(word)
            text = " ".join(words)
            out.append(f'"{text}"' if part.phrase else text)
        return " ".join(out) if changed else None
