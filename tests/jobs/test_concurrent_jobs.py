"""Two workers running the same job at the same moment on PostgreSQL: each reminder, notice and
outreach e-mail is written once (rows claimed by guarded UPDATEs; outreach by its lease)."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.clock import local_today
from app.common import utcnow
from app.extensions import db
from app.notify.models import OutboxMessage
from app.referrals.models import Referral
from app.reports.models import VerificationReminder
from tests import factories

pytestmark = pytest.mark.postgres


def _two_workers_at_once(app, name: str) -> list[str]:  # noqa: ANN001
    from app.jobs.tasks import run_job

    start = threading.Barrier(2, timeout=30)
    results: list[str] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with app.app_context():
                start.wait()
                results.append(run_job(name))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def _mail(kind: str) -> Counter:
    db.session.expire_all()
    return Counter(
        db.session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.kind == kind))
    )


def test_referral_reminders_twice_at_once_remind_each_referral_once(app, world) -> None:  # noqa: ANN001
    factories.make_consent(
        world.client,
        world.counselor,
        organization=world.org,
        signed_on=local_today() - timedelta(days=30),
    )
    for days in (6, 7, 8, 9):
        factories.make_referral(
            world.client, world.service, world.counselor, now=utcnow() - timedelta(days=days)
        )
    results = _two_workers_at_once(app, "referral_reminders")
    assert sum(int(r.split()[0]) for r in results) == 4
    sent = _mail("referral.overdue")
    assert sent[world.provider.email] == 4  # one per referral, not two
    assert set(sent.values()) == {4}, sent
    assert all(r.reminded_at is not None for r in db.session.scalars(select(Referral)))


def test_consent_notices_twice_at_once_tell_the_team_once(app, world) -> None:  # noqa: ANN001
    factories.make_consent(
        world.client,
        world.counselor,
        organization=world.org,
        expires_on=local_today() + timedelta(days=5),
    )
    results = _two_workers_at_once(app, "consent_notices")
    assert sum(int(r.split()[0]) for r in results) == 1
    assert _mail("consent.expiring") == Counter({world.counselor.email: 1})


def test_verification_outreach_twice_at_once_writes_to_each_contact_once(app) -> None:  # noqa: ANN001
    for n in range(3):
        org = factories.make_organization(name=f"Stale Org {n}", email=f"org{n}@example.org")
        factories.make_service(org, name=f"Unchecked {n}", last_verified_at=None)
    db.session.commit()
    results = _two_workers_at_once(app, "verification_outreach")
    assert "3 verification reminders queued" in results
    sent = _mail("verify_reminder")
    assert sent == Counter({f"org{n}@example.org": 1 for n in range(3)})
    assert len(db.session.scalars(select(VerificationReminder)).all()) == 3
