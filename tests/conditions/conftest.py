"""Conditions fixtures: the referral world (tests/referrals) plus builders for conditions."""

from __future__ import annotations

from datetime import time

from app.conditions.services import ConditionsData, set_conditions
from app.directory.models import Schedule
from app.extensions import db
from tests.referrals.conftest import world  # noqa: F401 - shared fixture

NO_CONTACT = "Kellerman Street playground"  # distinctive: must never leak


def give_conditions(client, actor, **kw):  # noqa: ANN001,ANN003,ANN201
    data = ConditionsData(
        curfew_start=kw.pop("curfew_start", time(18, 0)),
        curfew_end=kw.pop("curfew_end", time(6, 0)),
        allowed_area=kw.pop("allowed_area", ["Hartford County"]),
        excluded_area=kw.pop("excluded_area", []),
        electronic_monitoring=kw.pop("electronic_monitoring", True),
        no_contact_places=kw.pop("no_contact_places", NO_CONTACT),
        district=kw.pop("district", "hartford"),
    )
    row = set_conditions(client, data, actor)
    db.session.commit()
    return row


def weekly_hours(service, opens: time, closes: time, byday: str = "TU,TH") -> None:  # noqa: ANN001
    db.session.add(
        Schedule(service=service, freq="WEEKLY", byday=byday, opens_at=opens, closes_at=closes)
    )
    db.session.commit()


def move_to(location, town: str, county: str) -> None:  # noqa: ANN001
    address = location.addresses[0]
    address.city, address.region = town, county
    db.session.commit()
