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


def local_moment(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """`hour`:`minute` on a local calendar day, as the UTC moment the database stores."""
    from datetime import UTC, time

    from app.clock import network_zone

    return datetime.combine(day, time(hour, minute), tzinfo=network_zone()).astimezone(UTC)


def released_person(  # noqa: PLR0913
    counselor,  # noqa: ANN001
    *,
    released_on: date | None,
    plan_started: datetime | None = None,
    statuses: dict | None = None,
    review: bool = True,
    **client_fields,  # noqa: ANN003
):  # noqa: ANN201
    """A person (on `counselor`'s team) released on `released_on` (None: still inside) whose plan
    started at `plan_started` (None: no plan). With `review`, the release is recorded the way
    "Released today" records it: phase community supervision and one plan version at the return
    to the community, its snapshot taken with the items set to `statuses` ({kind: status};
    every other item arranged)."""
    from app.plans import services
    from app.plans.junctures import record_juncture
    from app.plans.vocabulary import ItemStatus, Juncture, PlanPhase

    client = factories.make_client(counselor, **client_fields)
    client.released_on = released_on
    if plan_started is None:
        db.session.commit()
        return client, None
    plan = services.start_plan(client, counselor)
    plan.started_at = plan_started
    for item in plan.items:
        item.status = ItemStatus((statuses or {}).get(item.kind, ItemStatus.ARRANGED))
        item.arranged_at = None
    if released_on is not None and review:
        plan.phase = PlanPhase.COMMUNITY_SUPERVISION
        record_juncture(plan, Juncture.RETURN_TO_COMMUNITY, counselor)
    db.session.commit()
    return client, plan
