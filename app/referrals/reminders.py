"""`flask referrals remind`: one reminder per overdue referral, with alternatives for the team."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.clock import local_today
from app.common import utcnow
from app.extensions import db
from app.referrals import notifications
from app.referrals.alternatives import suggest_alternatives
from app.referrals.inbox import AWAITING
from app.referrals.models import CareTeamMember, Client, Consent, Referral


def _claim(row: Referral | Consent, stamp: str, now: datetime) -> bool:
    """Set row.<stamp> = now with one UPDATE guarded by "<stamp> IS NULL": of two cron runs at
    once exactly one wins (True). A plain UPDATE, so a referral's version is left alone."""
    model = type(row)
    claimed = db.session.execute(
        update(model)
        .where(model.id == row.id, getattr(model, stamp).is_(None))
        .values({stamp: now})
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False
    set_committed_value(row, stamp, now)
    return True


def remind_overdue(now: datetime | None = None) -> int:
    """Remind providers once about each overdue referral; tell the team, with alternatives.

    reminded_at is set with a plain UPDATE guarded by "reminded_at IS NULL", so two cron runs
    at once still remind once, and the referral's version (what an open answer form holds) is
    left alone.
    """
    now = now or utcnow()
    due = db.session.scalars(
        select(Referral)
        .where(
            Referral.status.in_(AWAITING),
            Referral.due_at < now,
            Referral.reminded_at.is_(None),
        )
        .options(
            selectinload(Referral.service),
            selectinload(Referral.organization),
            selectinload(Referral.client).selectinload(Client.team),
        )
        .order_by(Referral.due_at)
    ).all()
    reminded = 0
    for referral in due:
        if not _claim(referral, "reminded_at", now):
            continue
        notifications.overdue_reminder(
            referral, suggest_alternatives(referral, today=local_today(now))
        )
        reminded += 1
    db.session.flush()
    return reminded


CONSENT_WARNING_DAYS = 14


def notify_expiring_consents(
    now: datetime | None = None, within_days: int = CONSENT_WARNING_DAYS
) -> int:
    """Tell each care team once when an active consent will expire within `within_days`.

    Claimed with a guarded UPDATE like the overdue reminder, so two cron runs tell once.
    """
    now = now or utcnow()
    today = local_today(now)
    expiring = db.session.scalars(
        select(Consent)
        .where(
            Consent.revoked_at.is_(None),
            Consent.expiry_notified_at.is_(None),
            Consent.expires_on >= today,
            Consent.expires_on <= today + timedelta(days=within_days),
        )
        .options(
            selectinload(Consent.client).selectinload(Client.team).selectinload(CareTeamMember.user)
        )
    ).all()
    told = 0
    for consent in expiring:
        if not _claim(consent, "expiry_notified_at", now):
            continue
        notifications.consent_expiring(consent)
        told += 1
    db.session.flush()
    return told
