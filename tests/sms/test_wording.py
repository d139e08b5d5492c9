"""The texts' wording comes from the gettext catalogs, in the person's language, whatever the
language of the request (or job) that queued them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale

from app.sms.wording import FOOTER, TEXTS, WHEN_PATTERN, text, when_text

PO = Path(__file__).resolve().parents[2] / "app/translations/es/LC_MESSAGES/messages.po"
VALUES = {"link": "https://partners.example/card/ABCD-2345", "when": "{when}"}


def _spanish_catalog() -> dict[str, str]:
    with PO.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and "fuzzy" not in m.flags}


def test_every_text_and_reply_has_a_spanish_translation() -> None:
    catalog = _spanish_catalog()
    for message in (*TEXTS.values(), FOOTER, WHEN_PATTERN):
        msgid = message._args[0]  # noqa: SLF001 (the lazy string's msgid)
        assert catalog.get(msgid), f"no Spanish for {msgid!r}"


@pytest.mark.parametrize("kind", sorted(TEXTS))
def test_each_text_reads_in_spanish_for_a_spanish_speaker(app, kind: str) -> None:  # noqa: ANN001
    used = {k: v for k, v in VALUES.items() if f"%({k})s" in TEXTS[kind]._args[0]}  # noqa: SLF001
    english = text(kind, "en", **used)
    spanish = text(kind, "es", **used)
    assert spanish != english
    assert "Responda ALTO" in spanish and "STOP" not in spanish
    assert "Reply STOP" in english
    for value in used.values():  # the link and the time are kept, in both languages
        assert value in english and value in spanish


def test_a_text_is_in_the_persons_language_inside_a_spanish_request(app) -> None:  # noqa: ANN001
    """A Spanish-speaking visitor's request (or a staff page) does not change the person's text."""
    with app.test_request_context("/?lang=es"), force_locale("es"):
        assert text("accepted", "en").startswith("Good news")
    with app.test_request_context("/"):
        assert text("accepted", "es").startswith("Buenas noticias")


def test_an_unknown_language_gets_english(app) -> None:  # noqa: ANN001
    assert text("start", "fr", footer=False) == text("start", "en", footer=False)


def test_the_appointment_time_is_said_the_local_way(app) -> None:  # noqa: ANN001
    moment = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)  # 11:00 AM in Connecticut (EDT)
    assert when_text(moment, "en") == "Tuesday, March 10 at 11:00 AM"
    assert when_text(moment, "es") == "martes 10 de marzo a las 11:00"
