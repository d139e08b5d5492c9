"""Every read of a client record, by any role and through any door (page, API, FHIR), leaves one
audit entry: who, when, which client, and ids and field names only, never the values."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from app.audit.services import record as audit
from app.clock import local_today, utcnow
from app.extensions import db
from app.referrals.models import Client, Referral

if TYPE_CHECKING:
    from app.accounts.models import User

VIA = ("page", "api", "fhir")


def record_client_read(
    client: Client,
    actor: User,
    *,
    via: str,
    referral: Referral | None = None,
    fields: Iterable[str] | None = None,
    now: datetime | None = None,
) -> None:
    """One `client.view` entry; flushed, committed by the caller with the request."""
    if via not in VIA:
        raise ValueError(f"unknown way in {via!r}")
    details: dict[str, object] = {"via": via}
    if referral is not None:
        details["referral_id"] = referral.id
    if fields is not None:
        details["fields"] = sorted(fields)
    audit("client.view", client, actor, client_id=client.id, at=now or utcnow(), details=details)
    db.session.flush()


def record_referral_read(referral: Referral, actor: User, *, via: str) -> None:
    """A read of a referral shows its client (in full, or as far as consent allows): audited,
    with the names of the fields provider staff were shown."""
    from app.referrals.consent import provider_view_of_client
    from app.referrals.permissions import is_provider_staff_of

    now = utcnow()
    fields = (
        provider_view_of_client(referral, local_today(now))
        if is_provider_staff_of(actor, referral)
        else None
    )
    record_client_read(referral.client, actor, via=via, referral=referral, fields=fields, now=now)
