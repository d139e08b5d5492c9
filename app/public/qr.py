"""QR codes as inline SVG (segno): drawn by the page itself, no image host, no script."""

from __future__ import annotations

from markupsafe import Markup


def qr_svg(url: str, title: str | None = None) -> Markup:
    """An SVG that scales with CSS (viewBox, no fixed size), with an accessible title."""
    import segno
    from flask_babel import gettext as _

    qr = segno.make(url, error="m")
    svg = qr.svg_inline(
        scale=1,
        border=2,
        omitsize=True,
        svgclass="qr",
        lineclass=None,
        title=title or _("QR code for this card's web address"),
    )
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704 - segno's own SVG
