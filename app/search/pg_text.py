"""A search's words as SQL over search_document (app.search.pg_schema), and "did you mean".

Same matching rules as the Whoosh view (app.search.whoosh_view): every query part must match; a
word matches its stem in the weighted English tsvector (or its Spanish stem; accents never
matter); a stop word does not restrict; a lay term matches its own words or any expansion; a
quoted phrase matches the words in order. Typo tolerance: a word of four letters or more, all
letters, also matches (tier 1) any indexed word one edit away (Damerau-Levenshtein, same first
letter) that is not just another form of it: candidates come from the trigram index on
search_word. "Did you mean" takes, for each unknown word, the nearest indexed word (two edits).

Relevance is ts_rank over the weighted tsvector (name 1.0, terms 0.5, text 0.25), plus 0.3 × the
typo words' rank for a typo match; at least MIN_SCORE, so ranking boosts still count.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from app.search.synonyms import QueryPart, transpositions

FUZZY_MIN_LENGTH = 4
FUZZY_BOOST = 0.3
SUGGEST_MAX_EDITS = 2
TRIGRAM_THRESHOLD = 0.2  # one edit in a four-letter word leaves a similarity of about 0.25
WEIGHTS = "{0.1, 0.25, 0.5, 1.0}"  # D, C (text), B (terms), A (name): as Whoosh's 1 : 2 : 4
MIN_SCORE = 1e-6  # a match always has a positive relevance, so ranking boosts still count
THRESHOLD_SQL = f"set_config('pg_trgm.similarity_threshold', '{TRIGRAM_THRESHOLD}', true)"

# each word's and phrase's English and Spanish tsquery, as text ('' for a stop word)
FORMS = (
    "SELECT w, plainto_tsquery('partners_en', w)::text AS en, "
    "plainto_tsquery('partners_es', w)::text AS es FROM unnest(CAST(:tq_w AS text[])) AS w "
    "UNION ALL SELECT p, phraseto_tsquery('partners_en', p)::text, "
    "phraseto_tsquery('partners_es', p)::text FROM unnest(CAST(:tq_p AS text[])) AS p"
)
# indexed words similar to each word (same first letter), and whether it is another form of it
# (an adjacent swap is one edit but shares few trigrams: "hlep" and "help" share one of nine,
# so those candidates, :tq_t pairs of word and swapped word, are looked up by key)
TYPOS = (
    "SELECT w, s.word, ts_lexize('english_stem', s.word) "
    "IS NOT DISTINCT FROM ts_lexize('english_stem', w) AS same "
    "FROM unnest(CAST(:tq_f AS text[])) AS w JOIN search_word s "
    'ON s.word OPERATOR("{ext}".%) w AND left(s.word, 1) = left(w, 1) '
    "UNION SELECT t.w, s.word, ts_lexize('english_stem', s.word) "
    "IS NOT DISTINCT FROM ts_lexize('english_stem', t.w) "
    "FROM unnest(CAST(:tq_tw AS text[]), CAST(:tq_t AS text[])) AS t(w, swapped) "
    "JOIN search_word s ON s.word = t.swapped"
)


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


def _typo_params(words: list[str]) -> dict[str, list[str]]:
    """TYPOS's parameters: the words, and each word's adjacent swaps as (word, swap) pairs."""
    pairs = [(w, t) for w in words for t in transpositions(w)]
    return {"tq_f": words, "tq_tw": [w for w, _ in pairs], "tq_t": [t for _, t in pairs]}


class TextQuery:
    """The WHERE condition, tier and relevance of one search's words (parts), as SQL."""

    def __init__(self, session: Any, ext_schema: str, parts: list[QueryPart]) -> None:
        self.session = session
        self.ext = ext_schema
        self.parts = parts
        self._prepared: dict[str, tuple[str, str]] | None = None
        self._alternatives: dict[str, list[str]] = {}

    def _rows(self, sql: str, params: dict[str, Any] | None = None) -> list[Any]:
        return list(self.session.execute(text(sql), params or {}).all())

    def sql(self, params: dict[str, Any]) -> tuple[str, str, str]:
        """(condition, tier, relevance) SQL expressions over search_document; their
        parameters are added to `params`. Tier 0: every word matched exactly; 1: a typo."""
        parts = self.parts
        exact, _ = self._conditions(parts, False, params)
        either, used_fuzzy = self._conditions(parts, True, params)
        rank_q = self._rank_query(parts)
        rank0 = "CAST(0 AS float8)"
        if rank_q:
            params["rank_q"] = rank_q
            rank0 = f"CAST(ts_rank('{WEIGHTS}', tsv, CAST(:rank_q AS tsquery)) AS float8)"
        params["min_score"] = MIN_SCORE
        if not used_fuzzy:
            return exact, "0", f"GREATEST({rank0}, CAST(:min_score AS float8))"
        rank_typo = "CAST(0 AS float8)"
        typo_words = [t for ts in self._alternatives.values() for t in ts]
        if typo_words:
            params["typo_q"] = " | ".join(_quote(t) for t in dict.fromkeys(typo_words))
            rank_typo = "CAST(ts_rank(spell, CAST(:typo_q AS tsquery)) AS float8)"
        params["fuzzy_boost"] = FUZZY_BOOST
        tier = f"CASE WHEN {exact} THEN 0 ELSE 1 END"
        relevance = (
            f"CASE WHEN {exact} THEN GREATEST({rank0}, CAST(:min_score AS float8)) "
            f"ELSE GREATEST({rank0} + CAST(:fuzzy_boost AS float8) * {rank_typo}, "
            "CAST(:min_score AS float8)) END"
        )
        return either, tier, relevance

    def lookups(self, params: dict[str, Any]) -> dict[str, tuple[tuple, str]]:
        """Sub-selects (one JSON value each) answering what `sql` needs from the database (each
        word's tsquery forms, its typo alternatives), with the key each answer is remembered
        under (app.search.pg_lookups), for the caller's one statement; `load` takes their
        answers. The caller has set pg_trgm.similarity_threshold (THRESHOLD_SQL)."""
        words, phrases = self._words_and_phrases()
        fuzzy = self._fuzzy_words()
        params.update(tq_w=words, tq_p=phrases, **_typo_params(fuzzy))
        return {
            "forms": (
                ("forms", tuple(words), tuple(phrases)),
                f"SELECT json_agg(json_build_array(w, en, es)) FROM ({FORMS}) f",
            ),
            "typos": (
                ("typos", self.ext, tuple(fuzzy)),
                "SELECT json_agg(json_build_array(w, word, same)) FROM "
                f"({TYPOS.format(ext=self.ext)}) t",
            ),
        }

    def load(self, found: dict[str, Any]) -> None:
        self._prepared = {w: (en, es) for w, en, es in found.get("forms") or []}
        self._alternatives = {}  # loaded afresh when the answers are asked again
        for word in self._fuzzy_words():
            self._alternatives.setdefault(word, [])
        for word, candidate, same_stem in found.get("typos") or []:
            if candidate != word and not same_stem and edits(candidate, word, 1) <= 1:
                self._alternatives[word].append(candidate)

    def _words_and_phrases(self) -> tuple[list[str], list[str]]:
        parts = self.parts
        words = sorted(
            {w for p in parts if not p.phrase for w in p.words}
            | {w for p in parts for e in p.expansions for w in e}
        )
        return words, sorted({" ".join(p.words) for p in parts if p.phrase})

    def _fuzzy_words(self) -> list[str]:
        words = [w for p in self.parts if not p.phrase for w in p.words]
        return sorted({w for w in words if len(w) >= FUZZY_MIN_LENGTH and w.isalpha()})

    def _prepare(self, parts: list[QueryPart]) -> dict[str, tuple[str, str]]:
        """Each word's and phrase's English and Spanish tsquery (as text; '' for stop words)."""
        if self._prepared is None:
            words, phrases = self._words_and_phrases()
            rows = self._rows(FORMS, {"tq_w": words, "tq_p": phrases})
            self._prepared = {row[0]: (row[1], row[2]) for row in rows}
        return self._prepared

    def _typo_alternatives(self, words: list[str]) -> dict[str, list[str]]:
        """Indexed words one edit away (same first letter) that are not another form of it."""
        wanted = [w for w in words if len(w) >= FUZZY_MIN_LENGTH and w.isalpha()]
        wanted = [w for w in wanted if w not in self._alternatives]
        if wanted:
            self._set_threshold()
            rows = self._rows(TYPOS.format(ext=self.ext), _typo_params(wanted))
            for word in wanted:
                self._alternatives[word] = []
            for word, candidate, same_stem in rows:
                if candidate != word and not same_stem and edits(candidate, word, 1) <= 1:
                    self._alternatives[word].append(candidate)
        return {w: self._alternatives.get(w, []) for w in words}

    def _set_threshold(self) -> None:
        self.session.execute(text(f"SELECT {THRESHOLD_SQL}"))

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

    def suggest(self, parts: list[QueryPart]) -> str | None:
        # A lay term ("vivienda") is known even when no service uses the word itself.
        words = sorted({w for p in parts if not p.expansions for w in p.words if len(w) > 2})
        if not words:
            return None
        self._set_threshold()
        # Candidates within two edits: trigram neighbours, and (as two edits can leave a short
        # word with no trigram in common: "pamtri" and "pantry" share 2 of 12) words of about
        # the same length sharing the first or the last letter; the edit distance decides.
        # Only a search that found nothing asks, so a scan of the words is affordable here.
        rows = self._rows(
            "SELECT w, s.word, EXISTS (SELECT 1 FROM search_word k WHERE k.word = w) "
            "FROM unnest(CAST(:w AS text[])) AS w "
            f'LEFT JOIN search_word s ON (s.word OPERATOR("{self.ext}".%) w '
            "OR (length(s.word) BETWEEN length(w) - 2 AND length(w) + 2 "
            "AND (left(s.word, 1) = left(w, 1) OR right(s.word, 1) = right(w, 1))))",
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
