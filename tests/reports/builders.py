"""Builders for report tests: referrals walked through the real workflow at chosen times."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.extensions import db
from app.referrals.steps import transition
from tests import factories


def referral_at(counselor, provider, service, sent: datetime, steps=(), **kw):  # noqa: ANN001,ANN003,ANN201
    """Send a referral at `sent`, then apply (action, hours after sending, fields) steps."""
    client = factories.make_client(counselor)
    factories.make_consent(
        client, counselor, organization=service.organization, signed_on=date(2020, 1, 1)
    )
    need_area = kw.pop("need_area_code", None)
    referral = factories.make_referral(client, service, counselor, consent=False, now=sent, **kw)
    if need_area:
        referral.need_area_code = need_area
        db.session.commit()
    for action, hours, fields in steps:
        actor = counselor if action in ("cancel", "entered_in_error") else provider
        transition(
            referral,
            action,
            actor,
            expected_version=referral.version,
            now=sent + timedelta(hours=hours),
            **fields,
        )
        db.session.commit()
    return referral
