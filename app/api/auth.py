"""Bearer-token authentication for the API (`Authorization: Bearer ptk_...`).

The API never uses the browser session: a cookie would let another site drive it (the blueprint
is CSRF-exempt), and programs hold tokens, not cookies. So `@token_required(action)` stands in for
app.permissions.requires on API routes: it finds the token's user, answers 401 with
`WWW-Authenticate: Bearer` when the token is missing, unknown, expired, revoked (by hand or by a
password change) or its user deactivated,
then asks the same `can(user, action)` as the pages (403 when the role may never do it). It sets
`.permission` like `requires`, so the route walk sees the declared action. The user is in
`g.api_user` (`api_user()`), the token in `g.api_token`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, request

from app.accounts.api_tokens import authenticate_token
from app.accounts.models import User
from app.errors import problem
from app.permissions import PUBLIC, RULES, can
from app.unit_of_work import commit_now

REALM = 'Bearer realm="Partners API"'
PERSON_NOT_FOUND = "No person with this id whose record you can see."


def unauthorized(detail: str, *, invalid: bool):  # noqa: ANN201
    response = problem(401, "Unauthorized", detail)
    # RFC 6750: say "invalid_token" only when a token was given; a bare challenge otherwise.
    response.headers["WWW-Authenticate"] = REALM + (', error="invalid_token"' if invalid else "")
    return response


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def api_user() -> User:
    return g.api_user


def token_required(action: str) -> Callable:
    """Declare an API route's permission; authenticate by token, then check the role."""
    if action == PUBLIC or action not in RULES:
        raise KeyError(f"token routes need a known, non-public permission, not {action!r}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            plaintext = bearer_token()
            if plaintext is None:
                return unauthorized(
                    "Send a personal API token: Authorization: Bearer <token>.", invalid=False
                )
            token = authenticate_token(plaintext)
            if token is None:
                return unauthorized(
                    "This token is not valid: it is unknown, expired or revoked (a password "
                    "change revokes every token), or its account is deactivated.",
                    invalid=True,
                )
            # Its own small commit (like last_login_at), so the stamp survives a refused request.
            commit_now()
            g.api_token = token
            g.api_user = token.user
            if not can(token.user, action):
                return problem(403, "Forbidden", "Your role cannot do this.")
            return view(*args, **kwargs)

        wrapped.permission = action  # type: ignore[attr-defined]
        wrapped.token_auth = True  # type: ignore[attr-defined]  # route walks: send a token
        return wrapped

    return decorator


def optional_token_user() -> tuple[User | None, Any]:
    """(user, None) for a public route that gives more to a token's holder: the token's user,
    or None when no token is sent; (None, 401 response) for a token that is not valid (a caller
    who sent one should learn it failed rather than get the public answer)."""
    plaintext = bearer_token()
    if plaintext is None:
        return None, None
    token = authenticate_token(plaintext)
    if token is None:
        return None, unauthorized(
            "This token is not valid: it is unknown, expired or revoked (a password change "
            "revokes every token), or its account is deactivated. Leave it out to search as "
            "the public.",
            invalid=True,
        )
    commit_now()  # the last-used stamp, as for token routes
    g.api_token = token
    g.api_user = token.user
    return token.user, None


def visible_client(user: User | None, client_id: str) -> Any:
    """The person of a path or query id when `user` may see their record (client.view); None
    for anyone else and for an unknown id alike, so a 404 tells an outsider nothing."""
    from app.api.params import usable_id
    from app.extensions import db
    from app.referrals.models import Client

    if user is None or not usable_id(client_id):
        return None
    client = db.session.get(Client, client_id)
    return client if client is not None and can(user, "client.view", client) else None
