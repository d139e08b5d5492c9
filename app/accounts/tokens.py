"""Signed password-reset links that work once and expire.

The token carries the user id and a fingerprint of the current password hash. Setting a
password changes the hash (new salt every time), so a used link, or any link issued before the
latest change, no longer matches and is refused.
"""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime

from flask import current_app
from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from app.accounts.models import User
from app.extensions import db

SALT = "password-reset"


class TokenProblem(enum.StrEnum):
    EXPIRED = "expired"
    INVALID = "invalid"


class TokenError(Exception):
    """A reset link that cannot be used; `problem` says whether it is expired or just wrong."""

    def __init__(self, problem: TokenProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def _serializer(issued_at: datetime | None = None) -> URLSafeTimedSerializer:
    key = current_app.config["SECRET_KEY"]
    if issued_at is None:
        return URLSafeTimedSerializer(key, salt=SALT)
    stamp = int(issued_at.timestamp())

    class _FixedClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return stamp

    return URLSafeTimedSerializer(key, salt=SALT, signer=_FixedClockSigner)


def fingerprint(user: User) -> str:
    """Short digest of the password hash: changes whenever the password is set."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User, issued_at: datetime | None = None) -> str:
    """A token for `user`; `issued_at` lets tests (and only tests) date it in the past."""
    return _serializer(issued_at).dumps({"u": user.id, "f": fingerprint(user)})


def user_for_token(token: str, max_age: int | None = None) -> User:
    """The active user a valid token belongs to, or TokenError(EXPIRED | INVALID)."""
    if max_age is None:
        max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenError(TokenProblem.EXPIRED) from exc
    except BadData as exc:
        raise TokenError(TokenProblem.INVALID) from exc
    if not isinstance(data, dict) or not isinstance(data.get("u"), str):
        raise TokenError(TokenProblem.INVALID)
    user = db.session.get(User, data["u"])
    if user is None or not user.active or data.get("f") != fingerprint(user):
        raise TokenError(TokenProblem.INVALID)
    return user


def reset_url(token: str) -> str:
    """Absolute link from PUBLIC_BASE_URL, never from the request's Host header (which an
    attacker could set to point the e-mailed link at their own site). Works from the CLI too."""
    adapter = current_app.url_map.bind("localhost")
    path = adapter.build("accounts.reset_password", {"token": token})
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path
