"""Nightly maintenance deletes by age what the app no longer needs, and nothing else."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import ApiToken, Role
from app.common import utcnow
from app.extensions import db
from app.jobs.maintenance import nightly
from app.notify.models import Notification, OutboxMessage
from app.search.models import ZeroResultSearch
from tests import factories


def _outbox(name: str, created_days: int, *, sent_days: int | None = None, failed: bool = False):  # noqa: ANN202
    now = utcnow()
    message = OutboxMessage(
        recipient=f"{name}@example.org",
        subject=name,
        body="link",
        kind="test",
        created_at=now - timedelta(days=created_days),
        sent_at=now - timedelta(days=sent_days) if sent_days is not None else None,
        failed=failed,
    )
    db.session.add(message)


def test_nightly_maintenance_deletes_only_what_is_old_enough(app) -> None:  # noqa: ANN001
    now = utcnow()
    _outbox("sent-long-ago", 40, sent_days=31)
    _outbox("sent-lately", 40, sent_days=29)
    _outbox("given-up-long-ago", 40, failed=True)
    _outbox("given-up-lately", 5, failed=True)
    _outbox("still-waiting", 400)  # never touched: it may yet be sent
    user = factories.make_user(Role.COUNSELOR)
    for text, read_days in (("read-long-ago", 181), ("read-lately", 10), ("unread", None)):
        db.session.add(
            Notification(
                user_id=user.id,
                kind="test",
                text=text,
                created_at=now - timedelta(days=400),
                read_at=now - timedelta(days=read_days) if read_days is not None else None,
            )
        )
    for text, days in (("old", 731), ("recent", 700)):
        db.session.add(ZeroResultSearch(query_text=text, at=now - timedelta(days=days)))
    for name, expired_days, revoked_days in (
        ("expired-long-ago", 91, None),
        ("revoked-long-ago", -30, 91),
        ("expired-lately", 10, None),
        ("working", -30, None),
    ):
        db.session.add(
            ApiToken(
                user_id=user.id,
                name=name,
                token_hash=name.ljust(64, "0"),
                prefix=name[:12],
                expires_at=now - timedelta(days=expired_days),
                revoked_at=now - timedelta(days=revoked_days) if revoked_days else None,
            )
        )
    db.session.commit()

    summary = nightly(now)
    db.session.commit()

    assert summary.startswith(
        "deleted: sent or given-up e-mails 2, read notices 1, zero-result searches 1, "
        "ended API tokens 2"
    )
    assert sorted(db.session.scalars(select(OutboxMessage.subject))) == [
        "given-up-lately",
        "sent-lately",
        "still-waiting",
    ]
    assert sorted(db.session.scalars(select(Notification.text))) == ["read-lately", "unread"]
    assert list(db.session.scalars(select(ZeroResultSearch.query_text))) == ["recent"]
    assert sorted(db.session.scalars(select(ApiToken.name))) == ["expired-lately", "working"]
    assert nightly(now).startswith("deleted: sent or given-up e-mails 0, read notices 0, zero")


def test_keep_days_are_settings(app) -> None:  # noqa: ANN001
    _outbox("sent-ten-days-ago", 10, sent_days=10)
    db.session.commit()
    app.config["OUTBOX_KEEP_DAYS"] = 7
    try:
        assert nightly(utcnow()).startswith("deleted: sent or given-up e-mails 1,")
    finally:
        app.config["OUTBOX_KEEP_DAYS"] = 30
