"""Rate limits key on the real visitor behind TRUSTED_PROXIES proxies, and nothing a visitor
sends can choose the key.

The test client plays the proxy: REMOTE_ADDR is the proxy's address, and X-Forwarded-For ends
with the address the proxy saw, after anything the visitor sent themselves.
"""

from __future__ import annotations

from app.accounts.models import Role
from tests import factories

PROXY = "10.0.0.2"
ALICE = "198.51.100.7"
BOB = "203.0.113.9"


def _login(client, email: str, forwarded: str | None) -> int:  # noqa: ANN001
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post(
        "/account/login",
        data={"email": email, "password": "wrong password!"},
        headers=headers,
        environ_base={"REMOTE_ADDR": PROXY},
    ).status_code


def _hammer(client, email: str, forwarded: str | None, times: int) -> list[int]:  # noqa: ANN001
    return [_login(client, email, forwarded) for _ in range(times)]


def test_behind_one_proxy_each_visitor_has_their_own_bucket(make_app):  # noqa: ANN001
    user = factories.make_user(Role.COUNSELOR)
    client = make_app(TRUSTED_PROXIES=1).test_client()
    assert _hammer(client, user.email, ALICE, 10) == [422] * 10
    assert _login(client, user.email, ALICE) == 429
    # Bob comes through the same proxy: his own bucket, untouched by Alice's tries.
    assert _hammer(client, user.email, BOB, 10) == [422] * 10
    assert _login(client, user.email, BOB) == 429


def test_a_forged_forwarded_entry_cannot_change_the_bucket(make_app):  # noqa: ANN001
    user = factories.make_user(Role.COUNSELOR)
    client = make_app(TRUSTED_PROXIES=1).test_client()
    assert _hammer(client, user.email, ALICE, 10) == [422] * 10
    # Alice sends her own X-Forwarded-For; our proxy appends her real address after it.
    for forged in ("1.2.3.4", BOB, "1.2.3.4, 5.6.7.8", "not-an-address"):
        assert _login(client, user.email, f"{forged}, {ALICE}") == 429, forged
    # A forged entry is not a fresh bucket for somebody else either: Bob still has his tries.
    assert _login(client, user.email, f"{ALICE}, {BOB}") == 422


def test_without_trusted_proxies_forwarded_for_is_ignored(make_app):  # noqa: ANN001
    user = factories.make_user(Role.COUNSELOR)
    client = make_app(TRUSTED_PROXIES=0).test_client()
    codes = [_login(client, user.email, f"192.0.2.{n}") for n in range(11)]
    assert codes == [422] * 10 + [429]  # one bucket: the connecting address's


def test_forwarded_proto_is_trusted_only_from_the_proxy(make_app):  # noqa: ANN001
    from flask import request

    seen: dict[str, str] = {}
    trusting, plain = make_app(TRUSTED_PROXIES=1), make_app(TRUSTED_PROXIES=0)
    for name, other in (("trusting", trusting), ("plain", plain)):

        @other.get("/_scheme")
        def _scheme(name: str = name) -> str:
            seen[name] = request.scheme
            return ""

        _scheme.permission = "public"
        other.test_client().get(
            "/_scheme",
            headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": ALICE},
            environ_base={"REMOTE_ADDR": PROXY},
        )
    assert seen == {"trusting": "https", "plain": "http"}
