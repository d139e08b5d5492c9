"""Lay terms and the parsed form of what a user typed, independent of any search backend.

The synonym lists are data: seed/synonyms.csv (English) and seed/synonyms_es.csv (Spanish), both
`term,expands_to`; a term may have several rows, and a Spanish term expands to English words
(the catalog's own language). A lay term found in the text (longest match first, outside
quotes) matches "the user's words OR any of its expansions", so "sober house" finds services
described as "recovery housing" as well as those that say "sober house", and "casa sobria" or
"albergue" find them too.

Terms are compared by their key words (`term_key`): lower case, accents removed, and a plural
ending taken off (-s, and -es after l, r, n, d, z or j), so "Albergues", "albergue" and
"ALBERGUÉ" are one term, as are "jobs" and "job". Spanish function words ("de", "en", "para",
"busco", ...) outside quotes and lay terms are dropped: "busco comida en Hartford" asks for
food in Hartford, and "en" must not have to appear in a service's text.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "seed"
SYNONYMS_CSV = SEED / "synonyms.csv"
SYNONYMS_ES_CSV = SEED / "synonyms_es.csv"
SYNONYM_FILES = (SYNONYMS_CSV, SYNONYMS_ES_CSV)

_WORD = re.compile(r"\w+")
_QUOTED = re.compile(r'"([^"]*)"')

# Spanish words that carry no meaning in a search (articles, prepositions, "I look for").
# English stop words are the backends' business (their analyzers drop them).
SPANISH_FILLER = frozenset(
    {
        *("de", "del", "la", "las", "el", "los", "en", "y", "o", "para", "por", "con"),
        *("un", "una", "unos", "unas", "al", "a", "mi", "mis", "me", "se", "lo", "que"),
        *("busco", "buscar", "necesito", "necesita", "ayuda", "cerca", "donde", "hay"),
    }
)

Words = tuple[str, ...]


def words_of(text: str) -> Words:
    return tuple(w.lower() for w in _WORD.findall(text or ""))


def fold(word: str) -> str:
    """Lower case without accents: "Transición" -> "transicion", "ñ" -> "n"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def word_key(word: str) -> str:
    """A word as lay terms are compared: folded, and singular where the ending says plural."""
    word = fold(word)
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
        if len(word) > 3 and word.endswith("e") and word[-2] in "lrndzj":
            word = word[:-1]
    return word


def term_key(words: Words) -> Words:
    return tuple(word_key(w) for w in words)


Table = dict[Words, tuple[Words, ...]]


@cache
def load_synonyms(*paths: str | Path) -> Table:
    """term key -> its expansions (each a sequence of words, all of which must match), from
    the given files (by default the English and the Spanish list)."""
    table: dict[Words, list[Words]] = {}
    for path in paths or SYNONYM_FILES:
        with Path(path).open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                term, expansion = words_of(row["term"]), words_of(row["expands_to"])
                if not (term and expansion):
                    continue
                known = table.setdefault(term_key(term), [])
                if expansion not in known:
                    known.append(expansion)
    return {term: tuple(expansions) for term, expansions in table.items()}


@dataclass(frozen=True)
class QueryPart:
    """One thing every result must match: a word, a quoted phrase, or a lay term."""

    words: Words
    phrase: bool = False
    expansions: tuple[Words, ...] = ()


def _expand(words: list[str], synonyms: Table) -> list[QueryPart]:
    longest = max((len(term) for term in synonyms), default=1)
    keys = [word_key(w) for w in words]
    parts: list[QueryPart] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            term = tuple(keys[i : i + size])
            if term in synonyms:
                parts.append(QueryPart(tuple(words[i : i + size]), expansions=synonyms[term]))
                i += size
                break
        else:
            if fold(words[i]) not in SPANISH_FILLER:
                parts.append(QueryPart((words[i],)))
            i += 1
    return parts


def parse_text(text: str, synonyms: Table | None = None) -> list[QueryPart]:
    """Split user text into parts: "quoted phrases" stay together and are never expanded."""
    synonyms = load_synonyms() if synonyms is None else synonyms
    parts: list[QueryPart] = []
    position = 0
    for match in _QUOTED.finditer(text or ""):
        parts.extend(_expand(list(words_of(text[position : match.start()])), synonyms))
        phrase = words_of(match.group(1))
        if len(phrase) == 1:
            parts.append(QueryPart(phrase))
        elif phrase:
            parts.append(QueryPart(phrase, phrase=True))
        position = match.end()
    tail = (text or "")[position:].replace('"', " ")
    parts.extend(_expand(list(words_of(tail)), synonyms))
    return parts


def transpositions(word: str) -> list[str]:
    """`word` with two neighbouring letters swapped, the first letter kept ("pantyr" ->
    "pnatyr", "patnyr", "panytr", "pantry"): a typo of one edit under the typo rule, which
    neither Whoosh's edit automaton (plain Levenshtein) nor trigram similarity finds reliably,
    so both backends look these words up directly."""
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, len(word) - 1)}
    swapped.discard(word)
    return sorted(swapped)
