"""Lay terms and the parsed form of what a user typed, independent of any search backend.

The synonym list is data (seed/synonyms.csv, `term,expands_to`; a term may have several rows).
A lay term found in the text (longest match first, case-insensitive, outside quotes) matches
"the user's words OR any of its expansions", so "sober house" finds services described as
"recovery housing" as well as those that say "sober house".
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SYNONYMS_CSV = Path(__file__).resolve().parents[2] / "seed" / "synonyms.csv"

_WORD = re.compile(r"\w+")
_QUOTED = re.compile(r'"([^"]*)"')

Words = tuple[str, ...]


def words_of(text: str) -> Words:
    return tuple(w.lower() for w in _WORD.findall(text or ""))


@cache
def load_synonyms(path: str | Path = SYNONYMS_CSV) -> dict[Words, tuple[Words, ...]]:
    """term words -> its expansions (each a sequence of words, all of which must match)."""
    table: dict[Words, list[Words]] = {}
    with Path(path).open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            term, expansion = words_of(row["term"]), words_of(row["expands_to"])
            if term and expansion and expansion not in table.setdefault(term, []):
                table[term].append(expansion)
    return {term: tuple(expansions) for term, expansions in table.items()}


@dataclass(frozen=True)
class QueryPart:
    """One thing every result must match: a word, a quoted phrase, or a lay term."""

    words: Words
    phrase: bool = False
    expansions: tuple[Words, ...] = ()


def _expand(words: list[str], synonyms: dict[Words, tuple[Words, ...]]) -> list[QueryPart]:
    longest = max((len(term) for term in synonyms), default=1)
    parts: list[QueryPart] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            term = tuple(words[i : i + size])
            if term in synonyms:
                parts.append(QueryPart(term, expansions=synonyms[term]))
                i += size
                break
        else:
            parts.append(QueryPart((words[i],)))
            i += 1
    return parts


def parse_text(
    text: str, synonyms: dict[Words, tuple[Words, ...]] | None = None
) -> list[QueryPart]:
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
