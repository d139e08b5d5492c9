"""QR codes as inline SVG (segno): drawn by the page itself, no image host, no script.

A card's QR code holds only its public address (the code, never personal data) and never
changes, so each address is encoded once per process: `qr_code` keeps the last QR_CACHE_SIZE
encodings, `qr_svg` the SVG per (address, title), `qr_runs` the dark runs the PDF draws.
`qr_cache_info()` counts the encodings made (cached or not) for tests and benchmarks.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import count

import segno
from markupsafe import Markup

QR_CACHE_SIZE = 1024
_encodes = count()  # every encoding this process made (next() is atomic)
_encoded = 0


def encode(url: str) -> segno.QRCode:
    """The encoded symbol for an address (the expensive step: several milliseconds)."""
    global _encoded
    _encoded = next(_encodes) + 1
    return segno.make(url, error="m")


qr_code = lru_cache(maxsize=QR_CACHE_SIZE)(encode)


def _build_svg(code: segno.QRCode, title: str) -> str:
    svg = code.svg_inline(
        scale=1,
        border=2,
        omitsize=True,
        svgclass="qr",
        lineclass=None,
        title=title,
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)


@lru_cache(maxsize=QR_CACHE_SIZE)
def _svg(url: str, title: str) -> str:
    return _build_svg(qr_code(url), title)


def qr_svg(url: str, title: str | None = None, *, cached: bool = True) -> Markup:
    """An SVG that scales with CSS (viewBox, no fixed size), with an accessible title."""
    from flask_babel import gettext as _

    title = title or _("QR code for this card's web address")
    if not cached:
        return Markup(_build_svg(encode(url), title))  # noqa: S704 - segno's own SVG
    return Markup(_svg(url, title))  # noqa: S704 - segno's own SVG


Runs = tuple[int, tuple[tuple[int, int, int], ...]]


def qr_runs(url: str, *, cached: bool = True) -> Runs:
    """(modules per side, dark runs as (row, first column, length)) for drawing as rectangles."""
    return _runs(url) if cached else _dark_runs(encode(url))


@lru_cache(maxsize=QR_CACHE_SIZE)
def _runs(url: str) -> Runs:
    return _dark_runs(qr_code(url))


def _dark_runs(code: segno.QRCode) -> Runs:
    matrix = code.matrix
    runs = []
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return len(matrix), tuple(runs)


def qr_cache_info() -> dict[str, int]:
    """How many addresses were encoded (misses) and how often an encoding was reused (hits)."""
    info = qr_code.cache_info()
    svg = _svg.cache_info()
    return {
        "encodes": _encoded,
        "encode_hits": info.hits,
        "svg_builds": svg.misses,
        "svg_hits": svg.hits,
        "size": info.currsize,
    }


def clear_qr_cache() -> None:
    qr_code.cache_clear()
    _svg.cache_clear()
    _runs.cache_clear()
