"""Which id a user sees for the person behind a referral.

A stable client id would let a provider link a referral made under a revoked identity-sharing
consent to the next referral's answers (registry status, MAT...) and so re-identify the person.
Providers therefore get the client's id only while the referral's consent shares identity; else a
per-referral reference, derived from the referral id alone, that links to nothing else. The care
team and administrators always get the client id.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

from app.referrals.consent import consent_state
from app.referrals.permissions import sides_of
from app.referrals.vocabulary import ConsentShare
from app.referrals.workflow import Side

if TYPE_CHECKING:
    from app.referrals.models import Referral

# Fixed forever: changing it would change every opaque reference already handed out.
REFERENCE_NAMESPACE = uuid.UUID("6f1c2a4e-9b0d-4e57-a3c8-2d5b7e81f403")


def shares_identity(referral: Referral, today: date) -> bool:
    """The referral's consent is in force today and includes the person's identity."""
    if consent_state(referral, today) != "active":
        return False
    return ConsentShare.IDENTITY.value in {str(share) for share in referral.consent.shares}


def opaque_reference(referral: Referral) -> str:
    """Same for every read of this referral, different for every referral, never the client."""
    return str(uuid.uuid5(REFERENCE_NAMESPACE, f"referral-client:{referral.id}"))


def client_reference(referral: Referral, user: Any, today: date) -> str:
    """The client id for the referring team, admins, and providers told who the person is; the
    referral's opaque reference for every other reader."""
    if Side.REFERRER in sides_of(user, referral) or shares_identity(referral, today):
        return referral.client_id
    return opaque_reference(referral)
