"""`flask seed demo` adds invented clients of the demo counselor with referrals in every status."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.common import utcnow
from app.notify.models import Notification, OutboxMessage
from app.referrals.models import Client, Consent, Referral, ReferralEvent
from app.referrals.services import inbox_query, is_overdue, visible_clients_query
from app.referrals.vocabulary import ReferralStatus


def run_demo(app):  # noqa: ANN001,ANN201
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    return result


def counts(db) -> dict[str, int]:  # noqa: ANN001
    models = (Client, Consent, Referral, ReferralEvent, Notification, AuditEntry, OutboxMessage)
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in models}


def user(db, email: str) -> User:  # noqa: ANN001
    return db.session.scalar(select(User).where(User.email == email))


def test_demo_referrals_cover_every_status_and_load_once(app, db):  # noqa: ANN001
    run_demo(app)
    first = counts(db)
    counselor = user(db, "counselor@example.org")
    clients = db.session.scalars(visible_clients_query(counselor)).all()
    assert len(clients) == 8
    for client in clients:
        assert client.inmate_number.startswith("SAMPLE-")  # labelled as sample data
        assert [m.user_id for m in client.team if m.is_coordinator] == [counselor.id]

    referrals = db.session.scalars(inbox_query(counselor)).all()
    assert {r.status for r in referrals} == set(ReferralStatus)
    assert any(is_overdue(r, utcnow()) for r in referrals)
    for referral in referrals:
        assert referral.events[0].action == "send"
        assert referral.events[-1].to_status == referral.status.value

    provider = user(db, "provider@example.org")
    provider2 = user(db, "provider2@example.org")
    inbox = db.session.scalars(inbox_query(provider)).all()
    inbox2 = db.session.scalars(inbox_query(provider2)).all()
    assert inbox and inbox2
    assert {r.organization_id for r in inbox} == provider.organization_ids
    assert {r.organization_id for r in inbox2} == provider2.organization_ids
    assert inbox[0].priority == "urgent"  # urgent first
    assert first["Notification"] > 0  # the demo users see news in the app
    assert first["OutboxMessage"] == 0  # but nobody is e-mailed about sample data

    run_demo(app)
    assert counts(db) == first
