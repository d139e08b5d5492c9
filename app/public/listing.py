"""A service as the public sees it: plain words, current language, nothing internal.

Shown: name and description (the provider's Spanish wording where given), address with a
directions link, phones, weekly hours and "open now", what to bring, languages, cost, who it is
for (from the eligibility rules, conviction rules phrased neutrally with a "confirm with the
provider" notice), last checked date, and space as one plain word when the figure is fresh.
Never shown: capacity numbers, site visits, internal notes, referral or client data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from urllib.parse import quote_plus

from babel import dates as babel_dates
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.clock import local_date
from app.common import local_time, utcnow
from app.directory.capacity import has_room, is_stale
from app.directory.hours import openings_by_day
from app.directory.models import WEEKDAYS, Location, Service
from app.directory.vocabulary import CapacityStatus, ServiceStatus
from app.extensions import db
from app.public.models import ServiceTranslation
from app.public.who_for import who_it_is_for
from app.public.wording import bring_items, pick
from app.templating import format_phone, tel_href

MIDNIGHT = time(0, 0)


def day_names() -> dict[str, str]:
    return {
        "MO": _("Monday"),
        "TU": _("Tuesday"),
        "WE": _("Wednesday"),
        "TH": _("Thursday"),
        "FR": _("Friday"),
        "SA": _("Saturday"),
        "SU": _("Sunday"),
    }


def locale_code() -> str:
    return str(get_locale() or "en")


def translation_for(service: Service, language: str | None = None) -> ServiceTranslation | None:
    language = language or locale_code()
    if language == "en":
        return None
    return db.session.scalar(
        select(ServiceTranslation).where(
            ServiceTranslation.service_id == service.id, ServiceTranslation.language == language
        )
    )


def translations_for(ids: list[str], language: str | None = None) -> dict[str, ServiceTranslation]:
    """Translations of many services in one query (for result lists)."""
    language = language or locale_code()
    if language == "en" or not ids:
        return {}
    rows = db.session.scalars(
        select(ServiceTranslation).where(
            ServiceTranslation.service_id.in_(ids), ServiceTranslation.language == language
        )
    )
    return {row.service_id: row for row in rows}


def need_area_name(term) -> str:  # noqa: ANN001
    if locale_code() == "es" and getattr(term, "name_es", None):
        return term.name_es
    return term.name


# --- hours --------------------------------------------------------------------------------------


def _tidy(text: str) -> str:
    # CLDR puts narrow no-break spaces in times ("8:00\u202fAM"); a plain no-break space prints
    # in every font.
    return text.replace("\u202f", "\u00a0")


def clock(value: time) -> str:
    return _tidy(babel_dates.format_time(value, "short", locale=get_locale()))


def interval_text(opens: time | None, closes: time | None) -> str:
    if opens is None or closes is None:
        return _("Open (call for times)")
    if opens == MIDNIGHT and closes == MIDNIGHT:
        return _("Open 24 hours")
    return _("%(opens)s to %(closes)s", opens=clock(opens), closes=clock(closes))


def hours_rows(schedules) -> list[tuple[str, str]] | None:  # noqa: ANN001
    """Monday to Sunday in the page's language; None when no hours are listed."""
    days = openings_by_day(schedules)
    if not days:
        return None
    names = day_names()
    return [
        (
            names[code],
            "; ".join(interval_text(o, c) for o, c in days[code]) if code in days else _("Closed"),
        )
        for code in WEEKDAYS
    ]


def compact_hours(rows: list[tuple[str, str]] | None) -> list[str]:
    """'Monday to Friday: 8:00 AM to 4:00 PM' lines for a small card; closed days left out."""
    if not rows:
        return []
    groups: list[list] = []
    for day, text in rows:
        if groups and groups[-1][2] == text:
            groups[-1][1] = day
        else:
            groups.append([day, day, text])
    closed = _("Closed")
    lines = []
    for first, last, text in groups:
        if text == closed:
            continue
        days = first if first == last else _("%(first)s to %(last)s", first=first, last=last)
        lines.append(f"{days}: {text}")
    return lines or [closed]


def is_open_now(schedules, now: datetime | None = None) -> bool | None:  # noqa: ANN001
    """True/False from the weekly hours at local time; None when no hours are listed."""
    days = openings_by_day(schedules)
    if not days:
        return None
    moment = local_time(now)
    today = WEEKDAYS[moment.weekday()]
    yesterday = WEEKDAYS[(moment.weekday() - 1) % 7]
    clock_now = moment.time().replace(tzinfo=None)
    for opens, closes in days.get(today, []):
        if opens is None or closes is None:
            continue
        if opens == MIDNIGHT and closes == MIDNIGHT:
            return True
        if closes <= opens and closes != MIDNIGHT:  # runs past midnight
            if clock_now >= opens:
                return True
        elif opens <= clock_now < (closes if closes != MIDNIGHT else time.max):
            return True
    for opens, closes in days.get(yesterday, []):
        if opens and closes and closes < opens and closes != MIDNIGHT and clock_now < closes:
            return True
    return False


# --- space --------------------------------------------------------------------------------------


def space_badge(service: Service, now: datetime | None = None) -> tuple[str, str] | None:
    """(design.css badge meaning, word) from fresh figures only: ok, wait, unknown or stop."""
    now = now or utcnow()
    fresh = [c for c in service.capacities if not is_stale(c, now=now)]
    if not fresh:
        return None
    if any(has_room(c, now=now) for c in fresh):
        return "ok", _("Has space now")
    statuses = {c.status for c in fresh}
    if CapacityStatus.WAITLIST in statuses:
        return "wait", _("Waiting list")
    if CapacityStatus.ASSESSMENT_REQUIRED in statuses:
        return "unknown", _("Call to ask about space")
    return "stop", _("Full right now")


# --- the page -----------------------------------------------------------------------------------


@dataclass
class PhoneView:
    display: str
    href: str | None
    note: str = ""


@dataclass
class PlaceView:
    name: str
    address: str | None
    directions_url: str | None


@dataclass
class ServiceView:
    id: str
    name: str
    organization: str
    is_sample: bool
    status: str
    closed: bool
    alert: str | None
    description: str
    places: list[PlaceView]
    phones: list[PhoneView]
    hours: list[tuple[str, str]] | None
    open_now: bool | None
    bring: list[str]
    languages: list[str]
    cost: str | None
    how_to_apply: str | None
    who_for: list[str]
    who_for_text: str | None
    conviction_notice: bool
    last_checked: str | None
    space: str | None
    space_kind: str | None = None  # design.css badge meaning of space
    need_areas: list[str] = field(default_factory=list)
    url: str | None = None


def directions_url(address: str | None, location: Location | None = None) -> str | None:
    if address:
        return "https://www.google.com/maps/dir/?api=1&destination=" + quote_plus(address)
    if location is not None and location.latitude is not None:
        return (
            "https://www.google.com/maps/dir/?api=1&destination="
            f"{location.latitude:.5f},{location.longitude:.5f}"
        )
    return None


def place_view(location: Location) -> PlaceView:
    address = location.address.one_line() if location.address else None
    return PlaceView(location.display_name, address, directions_url(address, location))


def phone_views(service: Service, location: Location | None = None) -> list[PhoneView]:
    phones = list(service.phones) or (list(location.phones) if location is not None else [])
    if not phones:
        phones = list(service.organization.phones)
    notes = {"text": _("text messages"), "tty": _("TTY"), "fax": _("fax")}
    out = []
    for phone in phones:
        display = format_phone(phone.number)
        if phone.extension:
            display += " " + _("ext. %(ext)s", ext=phone.extension)
        href = tel_href(phone.number) if phone.type != "fax" else None
        out.append(PhoneView(display, href, notes.get(phone.type, "")))
    return out


def language_names(languages) -> list[str]:  # noqa: ANN001
    """Language names in the page's language ("Spanish" / "español") where the code is known."""
    names = get_locale().languages if get_locale() is not None else {}
    return [
        (names.get(lang.code) or lang.name).capitalize() if lang.code else lang.name
        for lang in languages
    ]


def status_text(status: ServiceStatus) -> str:
    return {
        ServiceStatus.ACTIVE: _("Open"),
        ServiceStatus.INACTIVE: _("Closed"),
        ServiceStatus.DEFUNCT: _("Closed for good"),
        ServiceStatus.TEMPORARILY_CLOSED: _("Closed for now"),
    }[ServiceStatus(status)]


def checked_on(service: Service) -> str | None:
    moment = service.last_verified_at
    return long_date(local_date(moment)) if moment else None


def long_date(value: date) -> str:
    return babel_dates.format_date(value, "long", locale=get_locale())


def long_day(value: date) -> str:
    """'Monday, March 2, 2026' / 'lunes, 2 de marzo de 2026'."""
    return babel_dates.format_date(value, "full", locale=get_locale())


def service_view(service: Service, now: datetime | None = None) -> ServiceView:
    language = locale_code()
    tr = translation_for(service, language)
    closed = ServiceStatus(service.status) != ServiceStatus.ACTIVE
    lines, conviction = who_it_is_for(service.eligibility_rules)
    space = None if closed else space_badge(service, now)
    english_bring = [doc.document for doc in service.required_documents]
    return ServiceView(
        id=service.id,
        name=pick(tr, "name", service.name, language) or service.name,
        organization=service.organization.name,
        is_sample=service.organization.is_sample,
        status=status_text(service.status),
        closed=closed,
        alert=pick(tr, "alert", service.alert, language),
        description=pick(tr, "description", service.description, language) or "",
        places=[place_view(loc) for loc in service.locations],
        phones=phone_views(service),
        hours=hours_rows(service.schedules),
        open_now=None if closed else is_open_now(service.schedules, now),
        bring=bring_items(tr, english_bring, language),
        languages=language_names(service.languages),
        cost=pick(tr, "fees_description", service.fees_description or service.fees, language),
        how_to_apply=pick(tr, "application_process", service.application_process, language),
        who_for=lines,
        who_for_text=pick(tr, "eligibility_description", service.eligibility_description, language),
        conviction_notice=conviction,
        last_checked=checked_on(service),
        space=space[1] if space else None,
        space_kind=space[0] if space else None,
        need_areas=[need_area_name(t) for t in service.need_areas],
        url=service.url,
    )
