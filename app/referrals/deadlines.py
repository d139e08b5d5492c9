"""Answer deadlines in business days, and the overdue check both inboxes use.

A business day is a 24-hour weekday; a referral sent on a weekend starts counting on Monday at
midnight. Holidays are not known. `business_days_after` counts in the time zone of the datetime
it is given; `response_due` gives it the network's local time, so a referral sent Friday 8 pm in
Hartford (already Saturday in UTC) is due Tuesday 8 pm there, not Wednesday.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from flask import current_app

from app.clock import local_time

if TYPE_CHECKING:
    from app.referrals.models import Referral

SATURDAY = 5


def _is_weekend(moment: datetime) -> bool:
    return moment.weekday() >= SATURDAY


def business_days_after(start: datetime, days: int) -> datetime:
    """`days` business days after `start`: Friday 16:00 + 2 -> Tuesday 16:00."""
    current = start
    if _is_weekend(current):
        current = current.replace(hour=0, minute=0, second=0, microsecond=0)
        while _is_weekend(current):
            current += timedelta(days=1)
    for _ in range(days):
        current += timedelta(days=1)
        while _is_weekend(current):
            current += timedelta(days=1)
    return current


def response_due(sent_at: datetime) -> datetime:
    """The answer deadline (UTC), counted in business days of the network's calendar."""
    days = int(current_app.config.get("REFERRAL_RESPONSE_DAYS", 2))
    return business_days_after(local_time(sent_at), days).astimezone(UTC)


def is_overdue(referral: Referral, now: datetime) -> bool:
    """Still waiting for the provider's answer after the deadline."""
    return referral.status.awaits_response and referral.due_at is not None and now > referral.due_at
