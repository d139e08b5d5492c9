"""Jinja filters for dates, ages and phone numbers, written once for every page."""

from __future__ import annotations

import functools
from datetime import date, datetime

import phonenumbers
from flask import Flask

from app.clock import days_between, local_time
from app.web_address import web_href


def age_in_words(moment: datetime | None, now: datetime | None = None) -> str:
    """'today', 'yesterday', '3 days ago', '5 weeks ago' — how old a figure is, in plain words."""
    if moment is None:
        return "never"
    # Local calendar days: a figure set last night reads "yesterday", and one set at 6 pm in
    # Hartford still reads "today" at 8 pm there, when the UTC date has already turned.
    days = days_between(moment, now)
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


def format_date(value: date | datetime | None) -> str:
    """ "Nov 24, 2026". A moment (an aware datetime) is dated in the network's time zone, so an
    evening intake is not shown on the next (UTC) day."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = local_time(value)
    return f"{value:%b} {value.day}, {value.year}"


def format_moment(value: datetime | None) -> str:
    """A moment in the network's time zone, with the zone: "Nov 24, 2026, 9:05 AM EST".
    Stored times are UTC; a naive one is taken as UTC."""
    if value is None:
        return ""
    local = local_time(value)
    hour = local.hour % 12 or 12
    half = "AM" if local.hour < 12 else "PM"
    return f"{format_date(local)}, {hour}:{local:%M} {half} {local:%Z}"


# A page shows the same few hundred numbers again and again, and parsing one costs ~60 µs
# (phonenumbers): remembered per process, as pure functions of the text.
@functools.lru_cache(maxsize=8192)
def format_phone(number: str | None) -> str:
    if not number:
        return ""
    try:
        parsed = phonenumbers.parse(number, "US")
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


@functools.lru_cache(maxsize=8192)
def tel_href(number: str | None) -> str:
    if not number:
        return ""
    try:
        parsed = phonenumbers.parse(number, "US")
    except phonenumbers.NumberParseException:
        return "tel:" + "".join(ch for ch in number if ch.isdigit() or ch == "+")
    return "tel:" + phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["age"] = age_in_words
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["moment"] = format_moment
    app.jinja_env.filters["phone"] = format_phone
    app.jinja_env.filters["tel"] = tel_href
    app.jinja_env.filters["web_href"] = web_href


# (endpoint, label, permission, menu): shown in the header when the endpoint exists and `can`
# allows. Links that share a menu name fold into one menu when a person has two or more of them,
# so the header stays one line at 1280 px for every role (administrators had three lines).
STAFF_NAV = (
    ("plans.caseload", "My caseload", "caseload.view", None),
    ("search.staff", "Search", "directory.browse", None),
    ("referrals.clients", "Clients", "client.view", None),
    ("referrals.inbox", "Referrals", "inbox.view", None),
    ("directory.capacity_overview", "Capacity", "capacity.update", None),
    ("reports.dashboard", "Network measures", "reports.view", "Reports"),
    ("reports.scorecard", "Scorecard", "capacity.update", "Reports"),
    # Users, facilities, freshness, problem reports, outbox, audit: one page for administrators.
    ("accounts.admin_home", "Administration", "user.manage", None),
    ("referrals.notifications", "Notifications", "notifications.view", None),
)


# Its header link carries the unread count: "Notifications (12)".
NOTIFICATIONS = "referrals.notifications"


def fold_into_menus(items: list[dict[str, object]]) -> list[dict[str, object]]:
    """Links of one menu become {"menu": name, "links": [...]} where the first of them stood;
    a menu with a single link stays a plain link."""
    members: dict[object, list[dict[str, object]]] = {}
    for item in items:
        if item.get("menu"):
            members.setdefault(item["menu"], []).append(item)
    out: list[dict[str, object]] = []
    for item in items:
        menu = item.get("menu")
        if not menu or len(members[menu]) == 1:
            out.append(item)
        elif members[menu][0] is item:
            out.append({"menu": menu, "links": members[menu]})
    return out


def register_navigation(app: Flask) -> None:
    from flask import url_for
    from flask_login import current_user

    from app.permissions import can

    def staff_nav_items() -> list[dict[str, object]]:
        items: list[dict[str, object]] = [
            {"endpoint": endpoint, "label": label, "menu": menu}
            for endpoint, label, action, menu in STAFF_NAV
            if endpoint in app.view_functions and can(current_user, action)
        ]
        for item in items:
            if item["endpoint"] == NOTIFICATIONS:
                item["count"] = unread_notifications()
        return fold_into_menus(items)

    def unread_notifications() -> int:
        """The header's unread count: one query per page, however often a template asks."""
        from flask import g

        from app.notify.services import unread_count

        if "unread_notifications" not in g:
            g.unread_notifications = unread_count(current_user)
        return g.unread_notifications

    def url_for_safe(endpoint: str, **values: object) -> str | None:
        return url_for(endpoint, **values) if endpoint in app.view_functions else None

    app.jinja_env.globals["staff_nav_items"] = staff_nav_items
    app.jinja_env.globals["url_for_safe"] = url_for_safe
