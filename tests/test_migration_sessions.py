"""The sessions migration: tokens made before expiry existed get 90 days from the upgrade, and
existing sessions stay signed in (generation 0 keeps the old session stamp)."""

from __future__ import annotations

from datetime import timedelta

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from app.common import utcnow
from app.extensions import db
from tests.test_migrations import _migrated_app, empty_database  # noqa: F401 - the fixture

BEFORE = "99807bb810c7"


def test_old_tokens_get_ninety_days_and_sessions_survive(empty_database):  # noqa: ANN001, F811
    from app.accounts.api_tokens import create_token
    from app.accounts.models import ApiToken, Role, User
    from tests import factories

    url, options = empty_database
    migrated = _migrated_app(url, options)
    with migrated.app_context():
        upgrade()
        user = factories.make_user(Role.COUNSELOR)
        create_token(user, "Old script", days=1)
        db.session.commit()
        session_id = user.get_id()
        db.session.remove()
        downgrade(revision=BEFORE)
        upgrade()
        expires = db.session.scalar(select(ApiToken.expires_at))
        reloaded = db.session.get(User, user.id)
        generation, same_id = reloaded.session_generation, reloaded.get_id() == session_id
        db.session.remove()
        db.engine.dispose()
    assert abs(expires - (utcnow() + timedelta(days=90))) < timedelta(minutes=5)
    assert generation == 0 and same_id  # nobody is signed out by the upgrade
