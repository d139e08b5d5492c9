"""What the texts say: plain words, never a name, an offense, a facility, a service's name or a
provider's reasons. The card link carries the details, and the card itself is built to be safe
to lose.

The wording lives in the app's gettext catalogs (app/translations; babel.cfg extracts this file),
like the public pages. A text is written in the person's preferred language, not the language of
whoever caused it, and often outside any request (a job): `force_locale` picks the catalog.
"""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_datetime
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.clock import local_time

LANGUAGES = ("en", "es")

FOOTER = _l(" Reply STOP to end texts, HELP for help.")

TEXTS = {
    "card": _l("Your list of places that can help, from your counselor: %(link)s"),
    "intake": _l("Reminder: you have an appointment tomorrow, %(when)s. Details: %(link)s"),
    "intake_no_card": _l(
        "Reminder: you have an appointment tomorrow, %(when)s. "
        "Ask your counselor if you need the address."
    ),
    "accepted": _l(
        "Good news: a place your counselor contacted for you said yes. "
        "Your counselor will tell you the next steps."
    ),
    "waitlisted": _l(
        "A place your counselor contacted for you put you on its waiting list. "
        "Your counselor will keep you posted."
    ),
    "declined": _l(
        "A place your counselor contacted for you cannot take you right now. "
        "Your counselor will help you find another one."
    ),
    "arranged": _l(
        "Your plan has news: one more step is arranged for you. See your list: %(link)s"
    ),
    "arranged_no_card": _l(
        "Your plan has news: one more step is arranged for you. "
        "Your counselor will tell you the details."
    ),
    # Answers to the person's HELP and START replies (STOP gets none: the provider confirms it).
    "help": _l(
        "Partners texts from your counselor about your release plan and appointments. "
        "For other help, call 211. Reply STOP to end texts."
    ),
    "start": _l("You will get texts from Partners again. Reply STOP to end them."),
}

# A CLDR date pattern (https://cldr.unicode.org/translation/date-time/date-time-patterns):
# translated as a pattern, so each language says the day, the date and the time its own way.
WHEN_PATTERN = _l("EEEE, MMMM d 'at' h:mm a")


def language_of(code: str | None) -> str:
    return code if code in LANGUAGES else "en"


def when_text(moment: datetime, language: str) -> str:
    """The intake's local day and time: "Tuesday, March 10 at 10:00 AM", "martes 10 de marzo a
    las 10:00"."""
    language = language_of(language)
    with force_locale(language):
        pattern = str(WHEN_PATTERN)
    return format_datetime(local_time(moment), pattern, locale=language)


def text(kind: str, language: str, *, footer: bool = True, **values: str) -> str:
    with force_locale(language_of(language)):
        body = str(TEXTS[kind]) % values if values else str(TEXTS[kind])
        return body + (str(FOOTER) if footer else "")
