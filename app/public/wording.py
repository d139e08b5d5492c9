"""Provider text in the page's language where the provider gave it, in English where not.

A `Worded` is a plain string that remembers its language when that is not the page's: in HTML
it renders as `<span lang="en">…</span>`, so a screen reader reads an untranslated English
description on a Spanish page with English pronunciation. Everywhere else (the PDF, joins,
lengths) it is just the text. Use `|plain` where markup cannot go (the page title).
"""

from __future__ import annotations

from markupsafe import Markup, escape

from app.public.models import ServiceTranslation

SOURCE_LANGUAGE = "en"  # the language providers write the catalog in


class Worded(str):
    lang: str | None

    def __new__(cls, text: str, lang: str | None = None) -> Worded:
        obj = super().__new__(cls, text)
        obj.lang = lang
        return obj

    def __html__(self) -> Markup:
        if not self.lang:
            return escape(str(self))
        return Markup('<span lang="{}">{}</span>').format(self.lang, str(self))


def worded(translated: str | None, english: str | None, page_language: str) -> Worded | None:
    """The translated text, else the English (marked when the page is not in English)."""
    if translated and translated.strip():
        return Worded(translated)
    if english and english.strip():
        return Worded(english, None if page_language == SOURCE_LANGUAGE else SOURCE_LANGUAGE)
    return None


def pick(
    tr: ServiceTranslation | None, field: str, english: str | None, page_language: str
) -> Worded | None:
    return worded(getattr(tr, field, None) if tr is not None else None, english, page_language)


def bring_items(
    tr: ServiceTranslation | None, english: list[str], page_language: str
) -> list[Worded]:
    """What to bring: the translated list (one item a line) as a whole where given, otherwise
    the English items, marked."""
    lines = [line.strip() for line in ((tr and tr.documents) or "").splitlines() if line.strip()]
    if lines:
        return [Worded(line) for line in lines]
    lang = None if page_language == SOURCE_LANGUAGE else SOURCE_LANGUAGE
    return [Worded(item, lang) for item in english if item and item.strip()]


def plain(value: object) -> str:
    """Jinja filter: the text without its language span (for <title> and attributes)."""
    return "" if value is None else str(value)
