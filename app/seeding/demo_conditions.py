"""Demo supervision conditions for some demo clients, so the curfew, area and district
warnings show in search and on the referral form. Idempotent: a client who already has
conditions keeps them. Invented, like every demo person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import select

from app.conditions.districts import District
from app.conditions.models import SupervisionConditions
from app.extensions import db
from app.referrals.models import Client
from app.seeding.demo_build import demo_id


@dataclass(frozen=True)
class DemoConditions:
    client_key: str  # app.seeding.demo_referrals.CLIENTS
    curfew: tuple[time, time] | None
    allowed: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    monitoring: bool | None = None
    no_contact: str | None = None
    district: District | None = None


CONDITIONS = (
    # Marcus (Hartford): an evening curfew and Hartford County only. Evening groups (6-8 pm)
    # and overnight shelters show "after the 6 pm curfew"; New Haven services "outside".
    DemoConditions(
        "a",
        (time(18, 0), time(6, 0)),
        allowed=("Hartford County",),
        monitoring=True,
        no_contact="A named victim's street (sample data)",
        district=District.HARTFORD,
    ),
    # Luis (New Britain): a 9 pm curfew and one town he may not enter.
    DemoConditions(
        "b",
        (time(21, 0), time(6, 0)),
        excluded=("Bristol",),
        monitoring=False,
        district=District.HARTFORD,
    ),
)


def load_demo_conditions(now: datetime) -> int:
    """Create missing demo conditions; returns how many were created. Flushes only."""
    created = 0
    for spec in CONDITIONS:
        client_id = demo_id("client", spec.client_key)
        if db.session.get(Client, client_id) is None:
            continue
        exists = db.session.scalar(
            select(SupervisionConditions.id).where(SupervisionConditions.client_id == client_id)
        )
        if exists is not None:
            continue
        start, end = spec.curfew or (None, None)
        db.session.add(
            SupervisionConditions(
                client_id=client_id,
                curfew_start=start,
                curfew_end=end,
                allowed_area=list(spec.allowed),
                excluded_area=list(spec.excluded),
                electronic_monitoring=spec.monitoring,
                no_contact_places=spec.no_contact,
                district=spec.district.value if spec.district else None,
                updated_at=now,
            )
        )
        created += 1
    db.session.flush()
    return created
