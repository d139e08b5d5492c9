"""Replies from the person: STOP, START and HELP in English and Spanish.

Stop: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT (Twilio's own list) and ALTO, PARAR,
CANCELAR (Spanish). Start again: START, UNSTOP, YES and INICIO, COMENZAR. Help: HELP, INFO and
AYUDA. Only the first word counts, in any case. Any other reply changes nothing and gets no
answer (the text is not stored: it may hold personal data); the care team sees the consent's
state, not what was written.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from app.sms.consent import consents_for_number, start_by_number, stop_by_number
from app.sms.wording import language_of, text

STOP = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "ALTO", "PARAR", "CANCELAR"}
START = {"START", "UNSTOP", "YES", "INICIO", "COMENZAR"}
HELP = {"HELP", "INFO", "AYUDA"}
SPANISH = {"ALTO", "PARAR", "CANCELAR", "INICIO", "COMENZAR", "AYUDA"}


def _language(number: str, word: str) -> str:
    if word in SPANISH:
        return "es"
    consents = consents_for_number(number)
    return language_of(consents[0].client.preferred_language) if consents else "en"


def handle(number: str, body: str) -> str | None:
    """Act on a reply from `number` (E.164); return the text to answer with, if any."""
    words = body.strip().split()
    word = words[0].upper().strip(".!") if words else ""
    if word in STOP:
        for consent in stop_by_number(number, word):
            _tell_team(consent)
        return None  # the provider confirms a STOP itself; we must not text again
    if word in START:
        start_by_number(number)
        return text("start", _language(number, word), footer=False)
    if word in HELP:
        return text("help", _language(number, word), footer=False)
    return None


def _tell_team(consent) -> None:  # noqa: ANN001
    """The care team hears in the app (no name: a link to the person's page)."""
    from app.notify.services import notify_users

    users = [member.user for member in consent.client.team]
    link = f"/referrals/clients/{consent.client_id}#texts"
    notify_users(users, "texts.stopped", "A person on your caseload replied STOP to texts", link)


def twiml(reply: str | None) -> str:
    """Twilio's answer format: an empty Response, or one Message."""
    if reply is None:
        return '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Response><Message>'
        f"{escape(reply)}</Message></Response>"
    )
