"""Account rules: authentication, safe redirects, passwords and reset e-mail. No Flask request."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from flask import current_app, render_template
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts.models import User
from app.accounts.tokens import make_reset_token, reset_url
from app.common import utcnow
from app.domain_errors import DomainError
from app.extensions import db
from app.notify.models import OutboxMessage
from app.notify.services import queue_email

MIN_PASSWORD_LENGTH = 12


class AccountError(DomainError):
    """A broken account rule, tied to the form field it concerns so views can show it there."""

    status = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A real hash to check against for unknown e-mails, so both paths take the same time."""
    return generate_password_hash("not-a-real-password", method="scrypt")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The user if e-mail and password match an active account, else None (one answer for all)."""
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def is_safe_next(target: str | None) -> bool:
    """Only same-site relative paths: no scheme, no host, no protocol-relative '//'."""
    if not target:
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return (
        not parts.scheme
        and not parts.netloc
        and target.startswith("/")
        and not target.startswith("//")
    )


def check_new_password(password: str, field: str = "password") -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(field, f"Use at least {MIN_PASSWORD_LENGTH} characters.")


def queue_password_email(user: User, *, welcome: bool = False) -> OutboxMessage:
    """Queue a reset (or, for a new account, 'set your password') link in the caller's
    transaction. The body holds the link and a greeting, nothing else about the person."""
    template = "emails/set_password.txt" if welcome else "emails/password_reset.txt"
    subject = "Set your Partners password" if welcome else "Reset your Partners password"
    body = render_template(
        template, user=user, link=reset_url(make_reset_token(user)), max_age_minutes=_minutes()
    )
    return queue_email(user.email, subject, body, kind="set_password" if welcome else "reset")


def _minutes() -> int:
    return max(1, current_app.config["PASSWORD_RESET_MAX_AGE"] // 60)


def request_password_reset(email: str) -> OutboxMessage | None:
    """Queue a reset link for an active account; None (and no hint why) otherwise."""
    user = find_user_by_email(email or "")
    if user is None or not user.active:
        return None
    return queue_password_email(user)


def reset_password(user: User, new_password: str) -> int:
    """Set a new password from a reset link; returns how many API tokens were revoked."""
    check_new_password(new_password)
    return _set_password(user, new_password)


def change_password(user: User, current_password: str, new_password: str) -> int:
    """Change the password; returns how many API tokens were revoked."""
    if not user.check_password(current_password or ""):
        raise AccountError("current_password", "That is not your current password.")
    check_new_password(new_password, field="new_password")
    return _set_password(user, new_password)


def _set_password(user: User, new_password: str) -> int:
    """A new password ends other sessions (its stamp) and revokes every API token, since a
    token made by whoever knew the old password must not outlive it. The user is told by
    e-mail when tokens were revoked, so the owner of a program that stops working knows why."""
    from app.accounts.api_tokens import revoke_all  # api_tokens imports AccountError from here

    user.set_password(new_password)
    revoked = revoke_all(user)
    if revoked:
        body = render_template("emails/tokens_revoked.txt", user=user, count=revoked)
        queue_email(
            user.email, "Your Partners API tokens were revoked", body, kind="tokens_revoked"
        )
    db.session.flush()
    return revoked


def tokens_revoked_message(count: int) -> str:
    """What to tell the user on the page after a password change revoked `count` tokens."""
    if count == 1:
        return "Your API token was revoked; make a new one for any program that used it."
    return f"Your {count} API tokens were revoked; make new ones for the programs that used them."


def sign_out_everywhere(user: User) -> None:
    """Sign-out: every session and remember-me cookie of this user, in any browser, stops
    working (cookies are only signed, so ending them needs a change on the server)."""
    user.end_sessions()
    db.session.flush()
