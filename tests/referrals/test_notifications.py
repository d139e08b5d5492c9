"""Notifications: who hears what, through the outbox to a real SMTP server; no personal data."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import Role
from app.clock import local_date
from app.common import utcnow
from app.notify.models import Notification, OutboxMessage
from app.notify.services import send_pending
from app.referrals.services import (
    open_referral_as_provider,
    remind_overdue,
    revoke_consent,
    transition,
)
from tests import factories
from tests.referrals.conftest import DATE_OF_BIRTH, FIRST_NAME, INMATE_NUMBER, LAST_NAME


def outbox(db) -> list[OutboxMessage]:  # noqa: ANN001
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.created_at)))


def notifications(db, user=None) -> list[Notification]:  # noqa: ANN001
    query = select(Notification)
    if user is not None:
        query = query.where(Notification.user_id == user.id)
    return list(db.session.scalars(query))


def test_new_referral_tells_provider_contacts_only(world, db):  # noqa: ANN001
    inactive = factories.make_user(Role.PROVIDER, organizations=[world.org], active=False)
    referral = factories.make_referral(
        world.client, world.service, world.counselor, priority="urgent"
    )
    messages = outbox(db)
    assert sorted(m.recipient for m in messages) == sorted(
        [world.provider.email, "intake@harbor.example.org"]
    )
    assert inactive.email not in [m.recipient for m in messages]
    for message in messages:
        assert message.subject == "You have a new urgent referral for Transitional Housing"
        assert f"http://localhost/referrals/{referral.id}" in message.body
        assert message.kind == "referral.new"
    [note] = notifications(db, world.provider)
    assert note.text == "You have a new urgent referral for Transitional Housing"
    assert note.link == f"/referrals/{referral.id}"
    assert notifications(db, world.other_provider) == []
    assert notifications(db, world.counselor) == []


def test_routine_referral_subject_does_not_say_urgent(world, db):  # noqa: ANN001
    factories.make_referral(world.client, world.service, world.counselor)
    assert {m.subject for m in outbox(db)} == {"You have a new referral for Transitional Housing"}


def test_answers_tell_the_referrer_and_the_coordinator(world, db):  # noqa: ANN001
    from app.referrals.services import add_team_member, set_coordinator

    coordinator = factories.make_user(Role.COUNSELOR, name="Quinn Quarterback")
    add_team_member(world.client, coordinator, "Parole officer", world.counselor)
    set_coordinator(world.client, coordinator, world.counselor)
    db.session.commit()
    referral = factories.make_referral(world.client, world.service, world.counselor)
    before = len(outbox(db))
    transition(referral, "accept", world.provider, expected_version=referral.version)
    db.session.commit()
    new = outbox(db)[before:]
    assert sorted(m.recipient for m in new) == sorted([world.counselor.email, coordinator.email])
    assert {m.subject for m in new} == {"Your referral to Transitional Housing was accepted"}
    assert [n.text for n in notifications(db, coordinator)] == [
        "Your referral to Transitional Housing was accepted"
    ]
    assert notifications(db, world.outsider) == []
    # opening (receive) and the team's own steps tell nobody
    before = len(outbox(db))
    transition(
        referral, "cancel", world.counselor, expected_version=referral.version, reason_text="Moved"
    )
    db.session.commit()
    assert len(outbox(db)) == before


def test_no_personal_data_in_any_message_or_notification(world, db):  # noqa: ANN001
    """A whole life, a reminder and a revocation: no name, birth date or inmate number leaks."""
    start = utcnow() - timedelta(days=10)
    factories.make_consent(
        world.client, world.counselor, organization=world.org, signed_on=local_date(start)
    )
    overdue = factories.make_referral(
        world.client,
        world.service,
        world.counselor,
        now=start,
        priority="urgent",
        note_to_provider=f"{FIRST_NAME} {LAST_NAME} uses a cane",
    )
    remind_overdue()
    referral = factories.make_referral(world.client, world.service, world.counselor)
    open_referral_as_provider(referral, world.provider)
    for action, fields in (
        ("accept", {"what_to_bring": f"ID for {LAST_NAME}"}),
        ("enroll", {}),
        ("complete", {"outcome": f"{FIRST_NAME} moved on"}),
    ):
        transition(referral, action, world.provider, expected_version=referral.version, **fields)
    transition(
        overdue,
        "decline",
        world.provider,
        expected_version=overdue.version,
        reason_code="other",
        reason_text=f"{LAST_NAME} was unreachable",
    )
    revoke_consent(world.client.consents[0], world.counselor, "withdrawn")
    db.session.commit()

    texts = [m.subject + "\n" + m.body + "\n" + m.recipient for m in outbox(db)]
    texts += [n.text + "\n" + (n.link or "") for n in notifications(db)]
    assert len(texts) > 10
    forbidden = [
        FIRST_NAME,
        LAST_NAME,
        INMATE_NUMBER,
        DATE_OF_BIRTH.isoformat(),
        DATE_OF_BIRTH.strftime("%m/%d/%Y"),
        DATE_OF_BIRTH.strftime("%B %-d, %Y"),
    ]
    for text in texts:
        for value in forbidden:
            assert value.lower() not in text.lower(), (value, text)


def test_outbox_delivers_to_a_real_smtp_server(world, db, smtp):  # noqa: ANN001
    referral = factories.make_referral(world.client, world.service, world.counselor)
    sent, failed = send_pending()
    assert (sent, failed) == (2, 0)
    [message] = smtp.to(world.provider.email)
    assert message["Subject"] == "You have a new referral for Transitional Housing"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert f"/referrals/{referral.id}" in body
    assert LAST_NAME not in body and FIRST_NAME not in body
    assert all(m.sent_at is not None for m in outbox(db))


def test_a_server_that_is_down_loses_nothing(world, db, smtp_down):  # noqa: ANN001
    factories.make_referral(world.client, world.service, world.counselor)
    assert send_pending() == (0, 2)
    db.session.expire_all()
    pending = outbox(db)
    assert len(pending) == 2
    for message in pending:
        assert message.sent_at is None and not message.failed
        assert message.attempts == 1 and message.last_error
        message.next_attempt_at = utcnow()  # skip the backoff wait
    db.session.commit()

    smtp_down.start()
    assert send_pending() == (2, 0)
    db.session.expire_all()
    assert all(m.sent_at is not None and m.last_error is None for m in outbox(db))
    assert sorted(m["To"] for m in smtp_down.collector.messages) == sorted(
        [world.provider.email, "intake@harbor.example.org"]
    )
