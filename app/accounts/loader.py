"""Flask-Login wiring."""

from __future__ import annotations

from flask import Flask, g, session
from flask_login import user_logged_in, user_logged_out

from app.extensions import db, login_manager


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    user_logged_in.connect(_rotate_csrf_token, app)
    user_logged_out.connect(_rotate_csrf_token, app)

    @login_manager.user_loader
    def load_user(session_id: str):  # noqa: ANN202
        """A deactivated account, or a session from before the last password change, is signed
        out from its very next request (the session holds "<user id>.<password changed at>").

        UserMixin.is_authenticated already follows is_active; returning None as well makes
        current_user a true anonymous user, so nothing downstream can treat it as signed in.
        """
        from app.accounts.models import User

        user_id, _, stamp = session_id.partition(".")
        user = db.session.get(User, user_id)
        if user is None or not user.active or not user.session_matches(stamp):
            return None
        return user


def _rotate_csrf_token(sender: Flask, user: object = None) -> None:
    """A CSRF token seen before sign-in (or sign-out) must not be good after it: drop the
    secret Flask-WTF keeps in the session, so the next form gets a new one."""
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)
