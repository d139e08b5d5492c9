"""IndexView over the PostgreSQL search tables (app.search.pg_schema) for one search.

Same matching rules as the Whoosh view (app.search.whoosh_view): every query part must match; a
word matches its stem in the weighted English tsvector (or its Spanish stem; accents never
matter); a stop word does not restrict; a lay term matches its own words or any expansion; a
quoted phrase matches the words in order. Typo tolerance: a word of four letters or more, all
letters, also matches (tier 1) any indexed word one edit away (Damerau-Levenshtein, same first
letter) that is not just another form of it: candidates come from the trigram index on
search_word. "Did you mean" takes, for each unknown word, the nearest indexed word (two edits).

Relevance is ts_rank over the weighted tsvector (name 1.0, terms 0.5, text 0.25), plus 0.3 × the
typo words' rank for a typo match. Keys are search_document.doc; each process keeps the decoded
facts per (doc, version), so a search reads only ids and versions of its candidates plus the
facts that changed since this process last saw them.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import text

from app.search.backend import IndexFilters, top_by_rank
from app.search.docfacts import DocFacts
from app.search.geo import Place, bounding_box
from app.search.nearby import Distances, unit_vector
from app.search.synonyms import QueryPart

FUZZY_MIN_LENGTH = 4
FUZZY_BOOST = 0.3
SUGGEST_MAX_EDITS = 2
TRIGRAM_THRESHOLD = 0.2  # one edit in a four-letter word leaves a similarity of about 0.25
WEIGHTS = "{0.1, 0.25, 0.5, 1.0}"  # D, C (text), B (terms), A (name): as Whoosh's 1 : 2 : 4
MIN_SCORE = 1e-6  # a match always has a positive relevance, so ranking boosts still count
CACHE_MAX = 400_000


def edits(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count one), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


class _Cache:
    """doc -> (version, service id, facts) for one database, shared by this process's threads."""

    def __init__(self) -> None:
        self.entries: dict[int, tuple[int, str, DocFacts]] = {}
        self.lock = threading.Lock()


_caches: weakref.WeakKeyDictionary[Any, _Cache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def _cache_for(engine: Any) -> _Cache:
    with _caches_lock:
        cache = _caches.get(engine)
        if cache is None:
            cache = _caches[engine] = _Cache()
        return cache


def forget_facts() -> None:
    """Drop every process-local copy of facts (tests; after a restore)."""
    with _caches_lock:
        for cache in _caches.values():
            with cache.lock:
                cache.entries.clear()


class PostgresView:
    """IndexView over search_document for one search, on the caller's session."""

    def __init__(self, session: Any, ext_schema: str) -> None:
        self.session = session
        self.ext = ext_schema
        self.cache = _cache_for(session.get_bind())
        self._entries = self.cache.entries
        self._tiers: dict[int, int] | None = None
        self._scores: dict[int, dict[int, float]] = {0: {}, 1: {}}
        self._prepared: dict[str, tuple[str, str]] | None = None
        self._alternatives: dict[str, list[str]] = {}

    def _rows(self, sql: str, params: dict[str, Any] | None = None) -> list[Any]:
        return list(self.session.execute(text(sql), params or {}).all())

    # --- documents

    def _ensure(self, versions: Iterable[tuple[int, int]]) -> None:
        """Load the facts of docs this process has not seen at this version."""
        entries = self._entries
        stale = [doc for doc, version in versions if entries.get(doc, (None,))[0] != version]
        if not stale:
            return
        rows = self._rows(
            "SELECT doc, version, service_id, facts FROM search_document WHERE doc = ANY(:docs)",
            {"docs": stale},
        )
        with self.cache.lock:
            if len(entries) + len(rows) > CACHE_MAX:
                entries.clear()
            for doc, version, service_id, facts in rows:
                entries[doc] = (version, service_id, DocFacts(facts))

    def facts(self, key: int) -> DocFacts:
        return self._entries[key][2]

    def service_id(self, key: int) -> str:
        return self._entries[key][1]

    def all_keys(self) -> Iterable[int]:
        rows = self._rows("SELECT doc, version FROM search_document")
        self._ensure(rows)
        return [doc for doc, _ in rows if doc in self._entries]

    # --- text

    def _prepare(self, parts: list[QueryPart]) -> dict[str, tuple[str, str]]:
        """Each word's and phrase's English and Spanish tsquery (as text; '' for stop words)."""
        if self._prepared is None:
            words = sorted(
                {w for p in parts if not p.phrase for w in p.words}
                | {w for p in parts for e in p.expansions for w in e}
            )
            phrases = sorted({" ".join(p.words) for p in parts if p.phrase})
            rows = self._rows(
                "SELECT w, plainto_tsquery('partners_en', w)::text, "
                "plainto_tsquery('partners_es', w)::text FROM unnest(CAST(:w AS text[])) AS w "
                "UNION ALL SELECT p, phraseto_tsquery('partners_en', p)::text, "
                "phraseto_tsquery('partners_es', p)::text FROM unnest(CAST(:p AS text[])) AS p",
                {"w": words, "p": phrases},
            )
            self._prepared = {row[0]: (row[1], row[2]) for row in rows}
        return self._prepared

    def _typo_alternatives(self, words: list[str]) -> dict[str, list[str]]:
        """Indexed words one edit away (same first letter) that are not another form of it."""
        wanted = [w for w in words if len(w) >= FUZZY_MIN_LENGTH and w.isalpha()]
        wanted = [w for w in wanted if w not in self._alternatives]
        if wanted:
            self._set_threshold()
            rows = self._rows(
                f"SELECT w, s.word, ts_lexize('english_stem', s.word) "
                f"IS NOT DISTINCT FROM ts_lexize('english_stem', w) "
                f"FROM unnest(CAST(:w AS text[])) AS w JOIN search_word s "
                f'ON s.word OPERATOR("{self.ext}".%) w AND left(s.word, 1) = left(w, 1)',
                {"w": wanted},
            )
            for word in wanted:
                self._alternatives[word] = []
            for word, candidate, same_stem in rows:
                if candidate != word and not same_stem and edits(candidate, word, 1) <= 1:
                    self._alternatives[word].append(candidate)
        return {w: self._alternatives.get(w, []) for w in words}

    def _set_threshold(self) -> None:
        self.session.execute(
            text("SELECT set_config('pg_trgm.similarity_threshold', :t, true)"),
            {"t": str(TRIGRAM_THRESHOLD)},
        )

    def _conditions(self, parts: list[QueryPart], fuzzy: bool, params: dict) -> tuple[str, bool]:
        """The WHERE clause for the tier's text query, and whether typo words were added."""
        prepared = self._prepare(parts)
        alternatives = (
            # A lay term was found in our lists, so it is not a typo ("casa" is not "case").
            self._typo_alternatives(
                [w for p in parts if not (p.phrase or p.expansions) for w in p.words]
            )
            if fuzzy
            else {}
        )
        used_fuzzy = False

        def bind(value: str) -> str:
            name = f"q{len(params)}"
            params[name] = value
            return f"CAST(:{name} AS tsquery)"

        def exact(key: str, spanish: bool = True) -> str | None:
            en, es = prepared.get(key, ("", ""))
            if not en:
                return None  # a stop word: it does not restrict
            if not spanish or not es or es == en:
                return f"tsv @@ {bind(en)}"
            return f"(tsv @@ {bind(en)} OR tsv_es @@ {bind(es)})"

        def all_of(conditions: list[str | None]) -> str | None:
            kept = [c for c in conditions if c is not None]
            return None if not kept else "(" + " AND ".join(kept) + ")"

        clauses = []
        for part in parts:
            if part.phrase:
                clause = exact(" ".join(part.words))
            else:
                own = []
                for word in part.words:
                    # A lay term's own words: English stems only (its meaning is in its
                    # expansions; "comida" -> Spanish "com" would match "come").
                    condition = exact(word, spanish=not part.expansions)
                    typos = alternatives.get(word) or []
                    if condition is not None and typos:
                        used_fuzzy = True
                        query = " | ".join(_quote(t) for t in typos)
                        condition = f"({condition} OR spell @@ {bind(query)})"
                    own.append(condition)
                options = [
                    all_of(own),
                    *(all_of([exact(w, False) for w in e]) for e in part.expansions),
                ]
                kept = [o for o in options if o is not None]
                clause = None if not kept else "(" + " OR ".join(kept) + ")"
            if clause is not None:
                clauses.append(clause)
        return (" AND ".join(clauses) if clauses else "TRUE"), used_fuzzy

    def _rank_query(self, parts: list[QueryPart]) -> str:
        """Every English lexeme and phrase of the query, ORed: what ts_rank weighs."""
        prepared = self._prepare(parts)
        keys: list[str] = []
        for part in parts:
            if part.phrase:
                keys.append(" ".join(part.words))
            else:
                keys.extend(part.words)
                keys.extend(w for e in part.expansions for w in e)
        found = [prepared[k][0] for k in dict.fromkeys(keys) if prepared.get(k, ("",))[0]]
        return " | ".join(f"({q})" for q in found)

    def _filters(self, filters: IndexFilters, params: dict) -> list[str]:
        clauses = []
        if filters.statuses:
            params["statuses"] = list(filters.statuses)
            clauses.append("status = ANY(:statuses)")
        if filters.need_areas:
            params["needs"] = sorted(c.lower() for c in filters.need_areas)
            clauses.append("need_areas && CAST(:needs AS text[])")
        if filters.language:
            params["language"] = [filters.language.lower()]
            clauses.append("languages @> CAST(:language AS text[])")
        if filters.town:
            params["town"] = [filters.town.strip().lower()]
            clauses.append("towns @> CAST(:town AS text[])")
        return clauses

    def match(self, parts: list[QueryPart], filters: IndexFilters) -> dict[int, int] | None:
        params: dict[str, Any] = {}
        where = self._filters(filters, params)
        if not parts:
            if not where:
                return None
            rows = self._rows(
                "SELECT doc, version FROM search_document WHERE " + " AND ".join(where), params
            )
            self._ensure(rows)
            return {doc: 0 for doc, _ in rows}
        exact, _ = self._conditions(parts, False, params)
        either, used_fuzzy = self._conditions(parts, True, params)
        rank_q = self._rank_query(parts)
        rank0 = "0"
        if rank_q:
            params["rank_q"] = rank_q
            rank0 = f"ts_rank('{WEIGHTS}', tsv, CAST(:rank_q AS tsquery))"
        rank_typo = "0"
        typo_words = [t for ts in self._alternatives.values() for t in ts]
        if used_fuzzy and typo_words:
            params["typo_q"] = " | ".join(_quote(t) for t in dict.fromkeys(typo_words))
            rank_typo = "ts_rank(spell, CAST(:typo_q AS tsquery))"
        condition = either if used_fuzzy else exact
        tier = f"CASE WHEN {exact} THEN 0 ELSE 1 END" if used_fuzzy else "0"
        sql = (
            f"SELECT doc, version, {tier}, {rank0}, {rank_typo} FROM search_document "
            f"WHERE {' AND '.join([*where, condition])}"
        )
        rows = self._rows(sql, params)
        self._ensure((doc, version) for doc, version, *_ in rows)
        tiers: dict[int, int] = {}
        for doc, _version, tier_of, r0, rt in rows:
            if doc not in self._entries:
                continue
            tiers[doc] = tier_of
            if tier_of == 0:
                self._scores[0][doc] = max(r0, MIN_SCORE)
            self._scores[1][doc] = max(r0 + FUZZY_BOOST * rt, MIN_SCORE)
        self._tiers = tiers
        return tiers

    def relevance(self, parts: list[QueryPart], tier: int, keys: Iterable[int]) -> dict[int, float]:
        scores = self._scores[tier]
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
        could overtake the k-th best even with the largest boost (as the Whoosh view)."""
        scores = self.relevance(parts, tier, allowed)
        return top_by_rank(scores, rank, k, max_boost, self.service_id)

    # --- places

    def near(
        self, place: Place, radius: float, among: dict[int, int] | None = None
    ) -> dict[int, tuple[float, str]]:
        """The candidates' own points when there are candidates (their facts are loaded);
        else the points in the bounding box (btree on lat, lon). Then the exact distance."""
        measure = Distances(place, radius)
        if among is not None:
            measure.scan(
                [
                    (key, loc_id, lat, lon, *unit_vector(lat, lon))
                    for loc_id, lat, lon in self.facts(key).points
                ]
                for key in among
                if key in self._entries
            )
            return measure.nearest
        box = bounding_box(place.lat, place.lon, radius)
        params: dict[str, Any] = {"lat0": box.min_lat, "lat1": box.max_lat}
        lons = []
        for n, (lo, hi) in enumerate(box.lon_ranges):
            params[f"lo{n}"], params[f"hi{n}"] = lo, hi
            lons.append(f"lon BETWEEN :lo{n} AND :hi{n}")
        rows = self._rows(
            "SELECT doc, location_id, lat, lon FROM search_point "
            f"WHERE lat BETWEEN :lat0 AND :lat1 AND ({' OR '.join(lons) or 'TRUE'})",
            params,
        )
        measure.scan(
            [[(doc, loc, lat, lon, *unit_vector(lat, lon)) for doc, loc, lat, lon in rows]]
        )
        if measure.nearest:
            self._ensure(
                self._rows(
                    "SELECT doc, version FROM search_document WHERE doc = ANY(:docs)",
                    {"docs": list(measure.nearest)},
                )
            )
        return {k: v for k, v in measure.nearest.items() if k in self._entries}

    # --- spelling

    def suggest(self, parts: list[QueryPart]) -> str | None:
        # A lay term ("vivienda") is known even when no service uses the word itself.
        words = sorted({w for p in parts if not p.expansions for w in p.words if len(w) > 2})
        if not words:
            return None
        self._set_threshold()
        rows = self._rows(
            "SELECT w, s.word, EXISTS (SELECT 1 FROM search_word k WHERE k.word = w) "
            "FROM unnest(CAST(:w AS text[])) AS w "
            f'LEFT JOIN search_word s ON s.word OPERATOR("{self.ext}".%) w',
            {"w": words},
        )
        best: dict[str, tuple[int, int, str]] = {}
        known = {w for w, _, exists in rows if exists}
        for word, candidate, _ in rows:
            if candidate is None or word in known:
                continue
            distance = edits(candidate, word, SUGGEST_MAX_EDITS)
            if distance <= SUGGEST_MAX_EDITS:
                score = (distance, abs(len(candidate) - len(word)), candidate)
                if word not in best or score < best[word]:
                    best[word] = score
        changed = False
        out = []
        for part in parts:
            chosen = []
            for word in part.words:
                if word in best:
                    word, changed = best[word][2], True
                chosen.append(word)
            joined = " ".join(chosen)
            out.append(f'"{joined}"' if part.phrase else joined)
        return " ".join(out) if changed else None
