"""Answer deadlines in business days, and the overdue check both inboxes use.

A business day is a 24-hour weekday; a referral sent on a weekend starts counting on Monday at
midnight. Holidays are not known. Times are computed in the time zone of the given datetime
(services pass UTC).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from flask import current_app

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
    return business_days_after(sent_at, int(current_app.config.get("REFERRAL_RESPONSE_DAYS", 2)))


def is_overdue(referral: Referral, now: datetime) -> bool:
    """Still waiting for the provider's answer after the deadline."""
    return referral.status.awaits_response and referral.due_at is not None and now > referral.due_at
