"""Personal API tokens: made once, shown once, stored only as a SHA-256 hash, revocable, expiring.

A token is `ptk_` + 43 random URL-safe characters (256 bits). We keep its hash (a leaked database
gives no working token) and its first 12 characters as `prefix`, so a list can tell tokens apart.
SHA-256 without salt is enough here: unlike passwords, tokens are long random secrets, and the
hash must be searchable to find the token's row. Every token expires (API_TOKEN_DAYS by default,
at most API_TOKEN_MAX_DAYS), and a new or reset password revokes all of a user's tokens.
Rules only; no Flask request.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from app.accounts.models import ApiToken, Role, User
from app.accounts.services import AccountError
from app.common import utcnow
from app.extensions import db

TOKEN_PREFIX = "ptk_"  # noqa: S105 - a public marker, not a secret
NAME_MAX = 100
# Writing last_used_at on every call of a polling client is wasted work; a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def lifetime_choices() -> list[int]:
    """The lifetimes (days) offered when making a token: the default and a few common ones."""
    longest = current_app.config["API_TOKEN_MAX_DAYS"]
    days = {7, 30, 90, 180, 365, default_days()}
    return sorted(d for d in days if 1 <= d <= longest)


def default_days() -> int:
    return current_app.config["API_TOKEN_DAYS"]


def create_token(
    user: User, name: str, days: int | None = None, now: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`, working for `days` (default API_TOKEN_DAYS); the plaintext is
    returned here and never again."""
    days = default_days() if days is None else days
    longest = current_app.config["API_TOKEN_MAX_DAYS"]
    if not 1 <= days <= longest:
        raise AccountError("days", f"Choose between 1 and {longest} days.")
    name = (name or "").strip()
    if not name:
        raise AccountError("name", "Give the token a name, such as the program that will use it.")
    if len(name) > NAME_MAX:
        raise AccountError("name", f"Use at most {NAME_MAX} characters.")
    if not user.active:
        raise AccountError("user", "A deactivated account cannot have API tokens.")
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = now or utcnow()
    token = ApiToken(
        user=user,
        name=name,
        token_hash=hash_token(plaintext),
        prefix=plaintext[:12],
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    return token, plaintext


def revoke_token(token: ApiToken, actor: User, now: datetime | None = None) -> ApiToken:
    """Stop a token working at once. Its owner or an admin may; revoking twice changes nothing."""
    if actor.id != token.user_id and actor.role != Role.ADMIN:
        raise AccountError("token", "You can only revoke your own tokens.")
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        db.session.flush()
    return token


def revoke_all(user: User, now: datetime | None = None) -> int:
    """Revoke every live token of `user` (after a new password); returns how many."""
    now = now or utcnow()
    result = db.session.execute(
        update(ApiToken)
        .where(
            ApiToken.user_id == user.id,
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > now,
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    return result.rowcount or 0


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, newest first, revoked ones included (so the list explains itself)."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id)
        )
    )


def authenticate_token(plaintext: str | None, now: datetime | None = None) -> ApiToken | None:
    """The live token for `plaintext` (not revoked, not expired, owner active), or None.
    Stamps last_used_at at most once per LAST_USED_RESOLUTION, so reads stay cheap."""
    if not plaintext or not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plaintext)))
    now = now or utcnow()
    if token is None or token.revoked_at is not None or token.expired(now):
        return None
    if not token.user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.flush()
    return token
