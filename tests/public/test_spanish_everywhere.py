"""Every public page and the card, in Spanish, with no English UI string left.

The demo network is loaded (every need area, closed services, capacity, rules, a sample card and
the card of a person released today, with their plan), and each page is read as a person sees
it: visible text plus alt, aria-label, title and placeholder. Left out: text marked as another
language (provider text nobody has translated is marked lang="en"), and proper names
(organizations, places, addresses). What remains must contain no msgid of our catalog whose
Spanish differs from the English, and no English need-area name.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from app.directory.models import Address, Location, Organization, Service, TaxonomyTerm
from app.extensions import db
from app.public.models import DischargeCard, ServiceTranslation
from tests.public.test_i18n import TRANSLATIONS

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
SKIP = {"script", "style", "template"}
ATTRIBUTES = ("alt", "aria-label", "title", "placeholder")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


class _Visible(HTMLParser):
    """The text a person reads or hears, leaving out subtrees in another language."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: is it skipped?

    @property
    def skipping(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        skipped = tag in SKIP or (values.get("lang") or "es").split("-")[0] != "es"
        if not (self.skipping or skipped):
            self.parts += [values[a] or "" for a in ATTRIBUTES if values.get(a)]
            if tag == "input" and values.get("type") in {"submit", "button"}:
                self.parts.append(values.get("value") or "")
        if tag not in VOID:
            self.stack.append(skipped)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def _english_strings() -> list[str]:
    """Our msgids (and their literal pieces around placeholders) that Spanish says otherwise."""
    with (TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    spanish = " ".join(
        " ".join(m.string) if isinstance(m.string, tuple) else m.string for m in catalog if m.id
    )
    found = set()
    for message in catalog:
        if not message.id or message.string == message.id:
            continue
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            pieces = PLACEHOLDER.split(msgid)
            if len(pieces) == 1:
                found.add(msgid.strip())
                continue
            for piece in pieces:
                piece = piece.strip(" .,:;—-()")
                if len(piece) >= 4 and re.search(r"[A-Za-z]{2}", piece):
                    found.add(piece)
    terms = db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.name_es.is_not(None)))
    found |= {t.name for t in terms if t.name != t.name_es}
    # A Spanish translation may keep the English word on purpose ("libertad condicional (parole)").
    kept = {s for s in found if re.search(r"(?<!\w)" + re.escape(s) + r"(?!\w)", spanish)}
    return sorted(found - kept, key=len, reverse=True)


def _proper_names() -> list[str]:
    """Proper names, and the provider's English text with no Spanish (marked lang="en" in the
    page, but a <title> holds no markup)."""
    names = set(db.session.scalars(select(Organization.name)))
    translated = select(ServiceTranslation.service_id).where(ServiceTranslation.name.is_not(None))
    names |= set(db.session.scalars(select(Service.name).where(Service.id.not_in(translated))))
    names |= {n for n in db.session.scalars(select(Location.name)) if n}
    for address in db.session.scalars(select(Address)):
        names |= {v for v in (address.address_1, address.address_2, address.city) if v}
    return sorted(names, key=len, reverse=True)


def english_left(html: str, strings: list[str], names: list[str]) -> list[str]:
    text = visible_text(html)
    for name in names:
        text = text.replace(name, " ")
    left = []
    for string in strings:  # longest first; a found one is taken out ("Open now", not "Open")
        pattern = re.compile(r"(?<!\w)" + re.escape(string) + r"(?!\w)")
        if pattern.search(text):
            left.append(string)
            text = pattern.sub(" ", text)
    return left


@pytest.fixture
def demo(app, tmp_path):  # noqa: ANN001,ANN201
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    return result


def _pages(client) -> dict[str, str]:  # noqa: ANN001
    services = db.session.scalars(select(Service).order_by(Service.name)).all()
    cards = db.session.scalars(select(DischargeCard).order_by(DischargeCard.code)).all()
    urls = ["/", "/search", "/search?need=housing&near=Hartford", "/search?q=food",
            "/search?q=zzqqxx+nothing", "/card", "/card?code=NOPE2-NOPE2", "/card?code=%21",
            "/no-such-page", "/services/no-such-service"]  # fmt: skip
    for card in cards:
        urls += [f"/card/{card.code}", f"/card/{card.code}/print"]
    for service in services:
        urls.append(f"/services/{service.id}")
    urls.append(f"/services/{services[0].id}/report")
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in {200, 404, 422}, (url, response.status_code)
        assert response.mimetype == "text/html", url
        pages[url] = response.get_data(as_text=True)
    return pages


def test_every_public_page_in_spanish_has_no_english_ui_string(app, client, demo):  # noqa: ANN001
    client.get("/?lang=es")
    strings, names = _english_strings(), _proper_names()
    assert len(strings) > 150  # the catalog was read
    pages = _pages(client)
    found = {}
    for url, html in pages.items():
        assert '<html lang="es">' in html, url
        left = english_left(html, strings, names)
        if left:
            found[url] = left
    assert found == {}, "\n".join(f"{url}: {left}" for url, left in found.items())


def test_the_check_finds_english_when_it_is_there(app, client):  # noqa: ANN001
    strings = _english_strings()
    html = '<html lang="es"><p>Abierto ahora</p><p>Open now</p><span lang="en">Call</span></html>'
    assert english_left(html, strings, []) == ["Open now"]
    assert english_left('<img alt="Get directions">', strings, []) == ["Get directions"]
    assert english_left("<p>Harbor House Open now</p>", strings, ["Harbor House Open now"]) == []


def test_demo_cards_in_spanish_print_spanish_bring_items(app, client, demo):  # noqa: ANN001
    """The card PDF has no markup to mark English, so the demo's Spanish cards carry the
    providers' Spanish "what to bring" and no English item, and no justified line."""
    from app.seeding.demo_spanish import BRING_ES
    from tests.public.pdftext import justified_lines, pdf_text

    client.get("/?lang=es")
    for card in db.session.scalars(select(DischargeCard)):
        body = client.get(f"/card/{card.code}/pdf?lang=es").get_data()
        text = pdf_text(body)
        assert "Lugares que le pueden ayudar" in text
        assert "Traiga:" in text and "Bring:" not in text
        assert any(spanish in text for spanish in BRING_ES.values())
        for english in BRING_ES:
            assert english not in text, (card.code, english)
        assert justified_lines(body) == 0
