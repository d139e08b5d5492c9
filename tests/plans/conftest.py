"""Release plan fixtures: the referrals' small world (counselor, client, providers, outsider)."""

from __future__ import annotations

from tests.referrals.conftest import world  # noqa: F401
