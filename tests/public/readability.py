"""How hard a text is to read: Flesch-Kincaid grade (English), Fernández-Huerta ease (Spanish).
A test helper (tests/public/test_readability.py measures the public pages): pyphen and textstat
are dev dependencies, never the app's.

The public pages and the card aim at grade 6-7. English uses the Flesch-Kincaid formula with
syllables counted by pyphen's hyphenation dictionaries (what textstat did before 0.7.4):
textstat 0.7.13 counts English syllables with NLTK's cmudict, which it downloads at first use,
and neither CI nor a fresh machine may fetch data at run time. Spanish uses textstat directly
(its Spanish path needs no download).
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")


@cache
def _hyphenator(lang: str):  # noqa: ANN202
    import pyphen

    return pyphen.Pyphen(lang=lang)


def syllables(word: str, lang: str = "en_US") -> int:
    return len(_hyphenator(lang).positions(word.lower())) + 1


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentence_count(text: str) -> int:
    """Sentence ends; a block without end punctuation (a heading, a list item) counts as one."""
    count = 0
    for block in text.splitlines():
        block = block.strip()
        if not words(block):
            continue
        count += max(1, len(_SENTENCE_END.findall(block)))
    return max(1, count)


def flesch_kincaid_grade(text: str) -> float:
    found = words(text)
    if not found:
        return 0.0
    total = sum(syllables(w) for w in found)
    return 0.39 * len(found) / sentence_count(text) + 11.8 * total / len(found) - 15.59


def fernandez_huerta(text: str) -> float:
    """Spanish reading ease: 100 is very easy, 60-70 plain, under 50 hard."""
    from textstat.textstat import textstatistics

    stats = textstatistics()
    stats.set_lang("es")
    return stats.fernandez_huerta(text)


class _Text(HTMLParser):
    """Visible text of a page body, one block per line (scripts, styles and SVG left out)."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "td", "th", "div", "label", "legend"}
    SKIP = {"script", "style", "svg", "title", "head"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS or tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)
