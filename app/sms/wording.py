"""What the texts say, in English and Spanish: plain words, never a name, an offense, a
facility, a service's name or a provider's reasons. The card link carries the details, and the
card itself is built to be safe to lose."""

from __future__ import annotations

from datetime import datetime

from app.clock import local_time

FOOTER = {
    "en": " Reply STOP to end texts, HELP for help.",
    "es": " Responda ALTO para no recibir más, AYUDA para ayuda.",
}

TEXTS: dict[str, dict[str, str]] = {
    "card": {
        "en": "Your list of places that can help, from your counselor: {link}",
        "es": "Su lista de lugares que pueden ayudarle, de parte de su consejero: {link}",
    },
    "intake": {
        "en": "Reminder: you have an appointment tomorrow, {when}. Details: {link}",
        "es": "Recordatorio: tiene una cita mañana, {when}. Detalles: {link}",
    },
    "intake_no_card": {
        "en": "Reminder: you have an appointment tomorrow, {when}. "
        "Ask your counselor if you need the address.",
        "es": "Recordatorio: tiene una cita mañana, {when}. "
        "Pregunte a su consejero si necesita la dirección.",
    },
    "accepted": {
        "en": "Good news: a place your counselor contacted for you said yes. "
        "Your counselor will tell you the next steps.",
        "es": "Buenas noticias: un lugar que su consejero contactó dijo que sí. "
        "Su consejero le dirá los próximos pasos.",
    },
    "waitlisted": {
        "en": "A place your counselor contacted for you put you on its waiting list. "
        "Your counselor will keep you posted.",
        "es": "Un lugar que su consejero contactó le puso en su lista de espera. "
        "Su consejero le mantendrá informado.",
    },
    "declined": {
        "en": "A place your counselor contacted for you cannot take you right now. "
        "Your counselor will help you find another one.",
        "es": "Un lugar que su consejero contactó no puede recibirle ahora. "
        "Su consejero le ayudará a encontrar otro.",
    },
    "arranged": {
        "en": "Your plan has news: one more step is arranged for you. See your list: {link}",
        "es": "Su plan tiene novedades: otro paso está listo para usted. Vea su lista: {link}",
    },
    "arranged_no_card": {
        "en": "Your plan has news: one more step is arranged for you. "
        "Your counselor will tell you the details.",
        "es": "Su plan tiene novedades: otro paso está listo para usted. "
        "Su consejero le dará los detalles.",
    },
    "help": {
        "en": "Partners texts from your counselor about your release plan and appointments. "
        "For other help, call 211. Reply STOP to end texts.",
        "es": "Partners le envía mensajes de su consejero sobre su plan y sus citas. "
        "Para otra ayuda, llame al 211. Responda ALTO para no recibir más.",
    },
    "start": {
        "en": "You will get texts from Partners again. Reply STOP to end them.",
        "es": "Volverá a recibir mensajes de Partners. Responda ALTO para no recibir más.",
    },
}

MONTHS_ES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
DAYS_ES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")


def language_of(code: str | None) -> str:
    return code if code in ("en", "es") else "en"


def when_text(moment: datetime, language: str) -> str:
    """The intake's local day and time: "Tuesday, March 10 at 10:00 AM"."""
    local = local_time(moment)
    if language == "es":
        return (
            f"{DAYS_ES[local.weekday()]} {local.day} de {MONTHS_ES[local.month - 1]} "
            f"a las {local:%H:%M}"
        )
    hour = local.strftime("%I:%M %p").lstrip("0")
    return f"{local:%A}, {local:%B} {local.day} at {hour}"


def text(kind: str, language: str, *, footer: bool = True, **values: str) -> str:
    language = language_of(language)
    body = TEXTS[kind][language].format(**values)
    return body + (FOOTER[language] if footer else "")
