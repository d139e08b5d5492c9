"""The care team hears once, without personal data, when a consent is about to end."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.clock import local_today
from app.common import utcnow
from app.notify.models import Notification, OutboxMessage
from app.referrals.services import notify_expiring_consents, revoke_consent
from tests import factories
from tests.referrals.conftest import FIRST_NAME, INMATE_NUMBER, LAST_NAME


def _consent(world, days_left: int):  # noqa: ANN001,ANN202
    today = local_today()
    return factories.make_consent(
        world.client,
        world.counselor,
        organization=world.org,
        expires_on=today + timedelta(days=days_left),
    )


def test_team_is_told_once_about_a_consent_ending_within_two_weeks(world, db):  # noqa: ANN001
    _consent(world, days_left=10)
    _consent(world, days_left=60)  # not yet

    assert notify_expiring_consents() == 1
    db.session.commit()
    assert notify_expiring_consents() == 0  # told once

    notes = list(
        db.session.scalars(select(Notification).where(Notification.kind == "consent.expiring"))
    )
    assert [n.user_id for n in notes] == [world.counselor.id]
    assert notes[0].link == f"/referrals/clients/{world.client.id}"
    mail = list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "consent.expiring"))
    )
    assert [m.recipient for m in mail] == [world.counselor.email]
    for text in [notes[0].text, mail[0].subject, mail[0].body]:
        assert FIRST_NAME not in text and LAST_NAME not in text and INMATE_NUMBER not in text


def test_revoked_or_already_expired_consents_are_not_announced(world, db):  # noqa: ANN001
    revoked = _consent(world, days_left=5)
    revoke_consent(revoked, world.counselor, "changed their mind")
    db.session.commit()
    assert notify_expiring_consents() == 0  # revoked: nothing left to expire
    _consent(world, days_left=5)
    assert notify_expiring_consents(now=utcnow() + timedelta(days=6)) == 0  # already ended


def test_the_cli_reports_both_reminders(world, app, db):  # noqa: ANN001
    _consent(world, days_left=3)
    result = app.test_cli_runner().invoke(args=["referrals", "remind"])
    assert result.exit_code == 0, result.output
    assert "1 care team told of a consent ending soon" in result.output
