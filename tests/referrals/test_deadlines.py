"""Business-day deadlines, the overdue flag, inbox order and `flask referrals remind`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.clock import local_time, local_today
from app.common import utcnow
from app.notify.models import Notification, OutboxMessage
from app.referrals.deadlines import response_due
from app.referrals.services import (
    business_days_after,
    inbox_query,
    is_overdue,
    remind_overdue,
    transition,
)
from tests import factories

FRIDAY_4PM = datetime(2030, 3, 15, 16, 0, tzinfo=UTC)  # 15 March 2030 is a Friday


@pytest.fixture
def consented(world):  # noqa: ANN001,ANN201
    """A consent signed a month ago, so referrals can be back-dated."""
    factories.make_consent(
        world.client,
        world.counselor,
        organization=world.org,
        signed_on=local_today() - timedelta(days=30),
    )
    return world


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (FRIDAY_4PM, 2, datetime(2030, 3, 19, 16, 0, tzinfo=UTC)),  # Tuesday 16:00
        (FRIDAY_4PM, 1, datetime(2030, 3, 18, 16, 0, tzinfo=UTC)),  # Monday 16:00
        (datetime(2030, 3, 13, 9, 30, tzinfo=UTC), 2, datetime(2030, 3, 15, 9, 30, tzinfo=UTC)),
        (datetime(2030, 3, 14, 9, 30, tzinfo=UTC), 2, datetime(2030, 3, 18, 9, 30, tzinfo=UTC)),
        # Saturday and Sunday count from Monday 00:00: two business days end Wednesday 00:00
        (datetime(2030, 3, 16, 11, 0, tzinfo=UTC), 2, datetime(2030, 3, 20, 0, 0, tzinfo=UTC)),
        (datetime(2030, 3, 17, 23, 0, tzinfo=UTC), 2, datetime(2030, 3, 20, 0, 0, tzinfo=UTC)),
        (FRIDAY_4PM, 5, datetime(2030, 3, 22, 16, 0, tzinfo=UTC)),  # a whole week
        (FRIDAY_4PM, 0, FRIDAY_4PM),
    ],
)
def test_business_days_skip_weekends(start, days, due):  # noqa: ANN001
    assert business_days_after(start, days) == due


def test_referral_sent_on_friday_is_due_tuesday_and_overdue_after(world, consented, db, app):  # noqa: ANN001
    sent = utcnow().replace(microsecond=0)
    # find the most recent Friday 16:00 before now, so the consent (signed yesterday) is valid
    while sent.weekday() != 4:
        sent -= timedelta(days=1)
    sent = sent.replace(hour=16, minute=0, second=0)
    if sent > utcnow():
        sent -= timedelta(days=7)
    referral = factories.make_referral(world.client, world.service, world.counselor, now=sent)
    due = (local_time(sent) + timedelta(days=4)).astimezone(UTC)  # Tuesday, same local hour
    assert referral.due_at == due
    assert not is_overdue(referral, due)
    assert is_overdue(referral, due + timedelta(seconds=1))
    transition(referral, "receive", world.provider, expected_version=referral.version)
    assert is_overdue(referral, due + timedelta(seconds=1))  # opened is not answered
    transition(
        referral, "waitlist", world.provider, expected_version=referral.version, reason_text="Full"
    )
    assert not is_overdue(referral, due + timedelta(days=30))


def test_response_days_come_from_config(world, db, app):  # noqa: ANN001
    app.config["REFERRAL_RESPONSE_DAYS"] = 5
    try:
        referral = factories.make_referral(world.client, world.service, world.counselor)
    finally:
        app.config["REFERRAL_RESPONSE_DAYS"] = 2
    assert referral.due_at == business_days_after(local_time(referral.sent_at), 5)


def test_a_friday_evening_referral_is_due_tuesday_evening_local(app) -> None:  # noqa: ANN001
    friday_9pm = datetime(2030, 3, 16, 1, 0, tzinfo=UTC)  # Friday 9 pm EDT; Saturday in UTC
    assert response_due(friday_9pm) == datetime(2030, 3, 20, 1, 0, tzinfo=UTC)  # Tue 9 pm EDT
    sunday_9pm = datetime(2030, 3, 18, 1, 0, tzinfo=UTC)  # still the weekend in Hartford
    assert response_due(sunday_9pm) == datetime(2030, 3, 20, 4, 0, tzinfo=UTC)  # Wed 00:00 EDT
    # Across the spring DST change (Sunday 8 March 2026) the local hour is kept.
    friday_6pm_est = datetime(2026, 3, 6, 23, 0, tzinfo=UTC)
    assert response_due(friday_6pm_est) == datetime(2026, 3, 10, 22, 0, tzinfo=UTC)


def test_inbox_puts_urgent_then_overdue_then_oldest_first(world, consented, db):  # noqa: ANN001
    now = utcnow()

    def sent(days_ago: float, **kw):  # noqa: ANN003,ANN202
        return factories.make_referral(
            world.client, world.service, world.counselor, now=now - timedelta(days=days_ago), **kw
        )

    fresh_routine = sent(0.1)
    old_routine = sent(0.5)
    overdue_routine = sent(6)
    fresh_urgent = sent(0.2, priority="urgent")
    overdue_urgent = sent(7, priority="urgent")
    order = list(db.session.scalars(inbox_query(world.provider, now=now)))
    assert order == [overdue_urgent, fresh_urgent, overdue_routine, old_routine, fresh_routine]
    overdue = list(db.session.scalars(inbox_query(world.provider, status_filter="overdue")))
    assert overdue == [overdue_urgent, overdue_routine]


def _messages(kind: str) -> list[OutboxMessage]:
    from app.extensions import db

    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def test_remind_overdue_sends_once_with_alternatives(world, consented, db):  # noqa: ANN001
    alternative = factories.make_service(
        world.org, location=world.location, name="Second Chance House"
    )
    alternative.taxonomy_terms = list(world.service.taxonomy_terms)
    db.session.commit()
    factories.make_capacity(alternative, available=2)
    now = utcnow()
    overdue = factories.make_referral(
        world.client, world.service, world.counselor, now=now - timedelta(days=6)
    )
    factories.make_referral(world.client, world.service, world.counselor, now=now)  # not due
    version = overdue.version

    assert remind_overdue(now) == 1
    db.session.commit()
    assert factories.reload(overdue).reminded_at is not None
    assert overdue.version == version  # an open answer form is not made stale by the reminder
    provider_mail = _messages("referral.overdue")
    to_provider = [m for m in provider_mail if m.recipient == world.provider.email]
    to_counselor = [m for m in provider_mail if m.recipient == world.counselor.email]
    assert len(to_provider) == 1 and "waiting for your answer" in to_provider[0].subject
    assert any(m.recipient == world.org.email for m in provider_mail)
    assert len(to_counselor) == 1
    assert "Second Chance House" in to_counselor[0].body
    notes = db.session.scalars(
        select(Notification).where(Notification.user_id == world.counselor.id)
    ).all()
    assert any("1 other service suggested" in n.text for n in notes)

    assert remind_overdue(now + timedelta(hours=1)) == 0  # second run sends nothing
    db.session.commit()
    assert len(_messages("referral.overdue")) == len(provider_mail)


def test_remind_command(world, consented, db, app):  # noqa: ANN001
    factories.make_referral(
        world.client, world.service, world.counselor, now=utcnow() - timedelta(days=6)
    )
    runner = app.test_cli_runner()
    result = runner.invoke(args=["referrals", "remind"])
    assert result.exit_code == 0, result.output
    assert "1 overdue referral reminded" in result.output
    result = runner.invoke(args=["referrals", "remind"])
    assert "0 overdue referrals reminded" in result.output
