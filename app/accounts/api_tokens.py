"""Personal API tokens: made once, shown once, stored only as a SHA-256 hash, revocable.

A token is `ptk_` + 43 random URL-safe characters (256 bits). We keep its hash (a leaked database
gives no working token) and its first 12 characters as `prefix`, so a list can tell tokens apart.
SHA-256 without salt is enough here: unlike passwords, tokens are long random secrets, and the
hash must be searchable to find the token's row. Rules only; no Flask request.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select

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


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; the plaintext is returned here and never again."""
    name = (name or "").strip()
    if not name:
        raise AccountError("name", "Give the token a name, such as the program that will use it.")
    if len(name) > NAME_MAX:
        raise AccountError("name", f"Use at most {NAME_MAX} characters.")
    if not user.active:
        raise AccountError("user", "A deactivated account cannot have API tokens.")
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=hash_token(plaintext), prefix=plaintext[:12])
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
    """The live token for `plaintext` (not revoked, owner active), or None. Stamps last_used_at."""
    if not plaintext or not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plaintext)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.flush()
    return token
