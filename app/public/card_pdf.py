"""The discharge card as a one-page US-letter PDF (fpdf2, DejaVu Sans embedded, QR drawn as
vector squares from segno's matrix, encoded once per address: app.public.qr).

DejaVu Sans ships in app/static/fonts (with its license), so Spanish accents print the same on
any machine. The text shrinks step by step until every entry fits on one page; whatever the
data, each value is clipped, each "bring" list shows its first items, and entries that still do
not fit are counted ("…and N more — see the card online"), so the card stays one page and fast.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _
from fpdf import FPDF

from app.public.card_view import CardView, EntryView
from app.public.listing import compact_hours
from app.public.qr import qr_runs

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONT = "DejaVu"
SIZES = (13, 12, 11, 10, 9)  # body text sizes tried, largest first
MARGIN = 14.0
QR_SIZE = 38.0
ONE_COLUMN_MAX = 4
GUTTER = 6.0
MAX_CHARS = 160  # any one printed value
MAX_BRING = 8  # "bring" items listed per entry; the rest are counted


class CardPDF(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="letter")
        self.set_auto_page_break(auto=True, margin=MARGIN)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_creator("Partners")


def _qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    modules, runs = qr_runs(url)
    border = 2
    cell = size / (modules + 2 * border)
    pdf.set_fill_color(0, 0, 0)
    for row, start, length in runs:
        pdf.rect(
            x + (start + border) * cell,
            y + (row + border) * cell,
            length * cell,
            cell,
            style="F",
        )


def _clip(text: str, limit: int = MAX_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _more(count: int) -> str:
    return _("…and %(count)s more — see the card online", count=count)


def _bring(items: list[str]) -> str:
    """The first few items that fit in about two lines' worth of text, then how many more."""
    shown: list[str] = []
    for item in items[:MAX_BRING]:
        item = _clip(item, 80)
        if shown and len(", ".join([*shown, item])) > 2 * MAX_CHARS - 60:
            break
        shown.append(item)
    rest = len(items) - len(shown)
    return ", ".join(shown) + (" " + _more(rest) if rest else "")


def _line(pdf: FPDF, text: str, size: float, bold: bool = False, indent: float = 0) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_x(pdf.l_margin + indent)
    # Left-aligned: justified lines stretch the spaces of short, wrapped lines (hard to read).
    pdf.multi_cell(
        0, size * 0.48, _clip(text, 3 * MAX_CHARS), align="L", new_x="LMARGIN", new_y="NEXT"
    )


def _header(pdf: FPDF, view: CardView, size: float) -> None:
    top = pdf.get_y()
    _qr(pdf, view.url, pdf.w - MARGIN - QR_SIZE, top - 2, QR_SIZE)
    pdf.set_right_margin(MARGIN + QR_SIZE + 4)
    _line(pdf, _("Places that can help you"), size + 7, bold=True)
    pdf.ln(1)
    _line(pdf, _("Your card code: %(code)s", code=view.code), size + 2, bold=True)
    _line(pdf, _("See this card on a phone: %(url)s", url=view.url), size - 1)
    _line(pdf, _("Or scan the square code with a phone camera."), size - 1)
    pdf.set_y(max(pdf.get_y(), top + QR_SIZE - 2))
    pdf.set_right_margin(MARGIN)
    pdf.ln(2)


def _entry(pdf: FPDF, entry: EntryView, size: float) -> None:
    pdf.set_draw_color(120, 120, 120)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(1.5)
    _line(pdf, _clip(entry.name), size + 2, bold=True)
    if entry.closed:
        _line(pdf, _("Closed: %(status)s", status=entry.closed), size, bold=True)
        alt = entry.alternative
        if alt is not None:
            _line(pdf, _("Try instead: %(name)s", name=_clip(alt.name)), size, bold=True)
            if alt.place and alt.place.address:
                _line(pdf, _clip(alt.place.address), size)
            if alt.phones:
                _line(pdf, _("Phone: %(phone)s", phone=alt.phones[0].display), size)
        pdf.ln(1)
        return
    if entry.intake:
        _line(pdf, _("Your appointment: %(when)s", when=_clip(entry.intake)), size, bold=True)
    if entry.place and entry.place.address:
        _line(pdf, _clip(entry.place.address), size)
    if entry.phones:
        phones = ", ".join(_clip(p.display, 40) for p in entry.phones[:2])
        _line(pdf, _("Phone: %(phone)s", phone=phones), size, bold=True)
    hours = compact_hours(entry.hours)
    if hours:
        _line(pdf, _("Hours: %(hours)s", hours=_clip("; ".join(hours))), size)
    if entry.bring:
        _line(pdf, _("Bring: %(items)s", items=_bring(entry.bring)), size)
    pdf.ln(1)


def _entries(pdf: FPDF, entries: list[EntryView], size: float) -> None:
    """One column for a few entries; two balanced columns for more."""
    if len(entries) <= ONE_COLUMN_MAX:
        for entry in entries:
            _entry(pdf, entry, size)
        return
    top, half = pdf.get_y(), (len(entries) + 1) // 2
    width = (pdf.w - 2 * MARGIN - GUTTER) / 2
    bottoms = []
    for column, chunk in enumerate((entries[:half], entries[half:])):
        left = MARGIN + column * (width + GUTTER)
        pdf.set_left_margin(left)
        pdf.set_right_margin(pdf.w - left - width)
        pdf.set_xy(left, top)
        for entry in chunk:
            _entry(pdf, entry, size)
        bottoms.append(pdf.get_y() if pdf.page == 1 else pdf.h)
    pdf.set_left_margin(MARGIN)
    pdf.set_right_margin(MARGIN)
    pdf.set_xy(MARGIN, max(bottoms))


def _footer(pdf: FPDF, view: CardView, size: float) -> None:
    pdf.ln(1)
    pdf.line(MARGIN, pdf.get_y(), pdf.w - MARGIN, pdf.get_y())
    pdf.ln(1.5)
    _line(pdf, _("Information checked on %(date)s.", date=view.checked_on), size - 1)
    _line(pdf, _("Hours can change. Call before you go."), size - 1)
    _line(pdf, _("This card works until %(date)s.", date=view.expires_on), size - 1)


def _render(view: CardView, size: float, shown: int | None = None) -> CardPDF:
    """The card with its first `shown` entries (all by default); the rest are counted."""
    shown = len(view.entries) if shown is None else shown
    pdf = CardPDF()
    pdf.set_title(_("Places that can help you"))
    pdf.set_lang(view.language)
    pdf.add_page()
    _header(pdf, view, size)
    _entries(pdf, view.entries[:shown], size)
    if shown < len(view.entries):
        _line(pdf, _more(len(view.entries) - shown), size, bold=True)
    _footer(pdf, view, size)
    return pdf


def _close_fonts(pdf: FPDF) -> None:
    """fpdf2 reads fonts lazily and never closes the files; close them so none leak."""
    for font in pdf.fonts.values():
        ttfont = getattr(font, "ttfont", None)
        if ttfont is not None:
            ttfont.close()


def _fewest_pages(view: CardView, pdf: CardPDF) -> CardPDF:
    """The most entries that fit on one page at the smallest size (binary search), the rest
    counted; one entry is shown even if it alone runs over."""
    low, high, best = 1, len(view.entries) - 1, None
    while low <= high:
        shown = (low + high) // 2
        candidate = _render(view, SIZES[-1], shown)
        if candidate.pages_count == 1:
            if best is not None:
                _close_fonts(best)
            best, low = candidate, shown + 1
        else:
            _close_fonts(candidate)
            high = shown - 1
    if best is None:
        best = _render(view, SIZES[-1], 1)
    _close_fonts(pdf)
    return best


def card_pdf(view: CardView) -> bytes:
    """The card on one letter page, at the largest text size that fits."""
    # Start where the entries will likely fit, so most cards render once.
    start = 0 if len(view.entries) <= 3 else 2 if len(view.entries) <= 6 else 3
    for size in SIZES[start:]:
        pdf = _render(view, size)
        if pdf.pages_count == 1 or size == SIZES[-1]:
            break
        _close_fonts(pdf)
    if pdf.pages_count > 1:  # only data no person typed gets here: show fewer entries
        pdf = _fewest_pages(view, pdf)
    try:
        return bytes(pdf.output())
    finally:
        _close_fonts(pdf)
