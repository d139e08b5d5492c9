"""Who may read the people the facade's references name, with the referral API's rules.

Patient: the care team and administrators (`client.view`) see the person; provider staff see the
person only through a referral they may see whose consent shares identity today, and then only
what that consent shares (app.referrals.consent.provider_view_of_client), exactly as the
referral API shows them. Everyone else: None (404, like an id that does not exist).

Practitioner / PractitionerRole (a staff member): the member themself, administrators,
colleagues at the same facility, and readers of a referral the member sent.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import select

from app.accounts.models import Role, User
from app.extensions import db
from app.permissions import can
from app.referrals.client_reference import shares_identity
from app.referrals.consent import provider_view_of_client
from app.referrals.models import Client, Referral


class PatientView(NamedTuple):
    client: Client
    referral: Referral | None  # the referral a provider sees the person through
    fields: dict[str, Any]


PATIENT_FIELDS = ("first_name", "last_name", "date_of_birth", "preferred_language")


def patient_view(user: Any, client_id: str, today: date) -> PatientView | None:
    """The client and the fields of them this user may see (with the referral that lets a
    provider see them), or None when they may not see the person."""
    client = db.session.get(Client, client_id)
    if client is None:
        return None
    if can(user, "client.view", client):
        return PatientView(client, None, {name: getattr(client, name) for name in PATIENT_FIELDS})
    referrals = db.session.scalars(select(Referral).where(Referral.client_id == client.id))
    for referral in referrals:
        if can(user, "referral.view", referral) and shares_identity(referral, today):
            shared = provider_view_of_client(referral, today)
            fields = {name: shared[name] for name in PATIENT_FIELDS if name in shared}
            return PatientView(client, referral, fields)
    return None


def visible_staff(user: Any, staff_id: str) -> User | None:
    """The staff member when this user may see who they are, else None."""
    staff = db.session.get(User, staff_id)
    if staff is None:
        return None
    if staff.id == user.id or user.role == Role.ADMIN:
        return staff
    if staff.facility_id is not None and staff.facility_id == user.facility_id:
        return staff
    sent = db.session.scalars(select(Referral).where(Referral.referrer_id == staff.id))
    if any(can(user, "referral.view", referral) for referral in sent):
        return staff
    return None
