"""Every dashboard figure, counted by the database, checked against a count done here in Python."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.clock import local_date, local_today
from app.common import utcnow
from app.extensions import db
from app.public.models import DischargeCard
from app.referrals.models import Referral, ReferralEvent
from app.reports.measures import Filters, compute, periods, trend
from tests import factories
from tests.reports.builders import referral_at

TODAY = local_today()
PERIOD = Filters(start=TODAY - timedelta(days=60), end=TODAY)


def _weekday_morning(days_ago: int) -> datetime:
    day = TODAY - timedelta(days=days_ago)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


@pytest.fixture
def network(db):  # noqa: ANN001,ANN201
    """Two providers, one facility, 15 referrals with known histories, four released people."""
    facility = factories.make_facility()
    counselor = factories.make_user(Role.COUNSELOR, facility=facility)
    org_a = factories.make_organization(name="Hartford Housing Test")
    org_b = factories.make_organization(name="New Haven Jobs Test")
    service_a = factories.make_service(org_a, location=factories.make_location(org_a))
    service_b = factories.make_service(
        org_b, location=factories.make_location(org_b, town="New Haven")
    )
    staff_a = factories.make_user(Role.PROVIDER, organizations=[org_a])
    staff_b = factories.make_user(Role.PROVIDER, organizations=[org_b])
    sent = _weekday_morning(40)
    housing = {"need_area_code": "housing.transitional"}
    a = [
        [("accept", 5, {}), ("enroll", 6, {}), ("complete", 9, {"outcome": "Moved in"})],
        [("accept", 10, {}), ("not_enrolled", 12, {"reason_code": "no_show"})],
        [("accept", 30, {})],
        [("decline", 2, {"reason_code": "no_capacity"})],
        [("decline", 50, {"reason_code": "not_eligible"})],
        [("decline", 3, {"reason_code": "no_capacity"})],
        [("waitlist", 20, {"reason_text": "Full until May"}), ("accept", 40, {})],
        [("waitlist", 70, {"reason_text": "Full until June"})],
        [],
        [("cancel", 1, {"reason_text": "Released elsewhere"})],
        [("receive", 1, {})],
        [("entered_in_error", 1, {"reason_text": "Wrong person"})],
    ]
    refs = [
        referral_at(counselor, staff_a, service_a, sent + timedelta(hours=i), steps, **housing)
        for i, steps in enumerate(a)
    ]
    refs.append(referral_at(counselor, staff_b, service_b, sent, [("accept", 4, {})]))
    refs.append(
        referral_at(
            counselor, staff_b, service_b, sent, [("decline", 100, {"reason_code": "no_capacity"})]
        )
    )
    # Outside the period.
    refs.append(
        referral_at(counselor, staff_a, service_a, _weekday_morning(200), [("accept", 1, {})])
    )

    def release(referral: Referral, days_ago: int, card: bool) -> None:
        referral.client.released_on = TODAY - timedelta(days=days_ago)
        if card:
            db.session.add(
                DischargeCard(
                    code=f"T{referral.id[:8]}",
                    client_id=referral.client_id,
                    expires_at=utcnow() + timedelta(days=30),
                )
            )

    release(refs[0], 10, card=True)  # accepted 40 days ago: in line with a plan
    release(refs[3], 10, card=True)  # declined only
    release(refs[2], 10, card=False)  # no card
    release(refs[12], 100, card=True)  # released before the period
    db.session.commit()
    return {"refs": refs, "facility": facility, "org_b": org_b}


def _in(filters: Filters, r: Referral) -> bool:
    return filters.start_at <= r.sent_at < filters.end_before and r.status != "entered_in_error"


def _reached(r: Referral, status: str) -> bool:
    return any(e.to_status == status for e in r.events)


def _nearest_rank(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(p * len(ordered) / 100) - 1]


def test_every_figure_matches_an_independent_count(network):  # noqa: ANN001
    now = utcnow()
    m = compute(PERIOD, now=now)
    everything = db.session.scalars(select(Referral)).all()
    refs = [r for r in everything if _in(PERIOD, r)]

    assert m.sent == len(refs) == 13
    for status in ("accepted", "waitlisted", "declined", "enrolled", "completed", "cancelled"):
        assert m.reached[status] == sum(_reached(r, status) for r in refs), status
    assert m.reached["accepted"] == 5
    assert m.reached["not_enrolled"] == sum(_reached(r, "not_enrolled") for r in refs) == 1
    declined = [r for r in refs if r.status == "declined"]
    assert m.declined_by_reason == {
        code: sum(r.reason_code == code for r in declined)
        for code in {r.reason_code for r in declined}
    }
    assert m.declined_by_reason == {"no_capacity": 3, "not_eligible": 1}
    assert m.not_enrolled_by_reason == {"no_show": 1}

    waits = [(r.first_response_at - r.sent_at).total_seconds() for r in refs if r.first_response_at]
    assert m.responded == len(waits) == 10
    assert m.median_response_seconds == pytest.approx(_nearest_rank(waits, 50), abs=1)
    assert m.p90_response_seconds == pytest.approx(_nearest_rank(waits, 90), abs=1)
    assert m.median_response_seconds == pytest.approx(10 * 3600, abs=1)

    base = [r for r in refs if r.due_at and (r.first_response_at or r.due_at < now)]
    in_time = [r for r in base if r.first_response_at and r.first_response_at <= r.due_at]
    assert (m.deadline_base, m.answered_in_time) == (len(base), len(in_time))
    assert 0 < m.answered_in_time < m.deadline_base

    overdue = [r for r in everything if r.status in ("sent", "received") and r.due_at < now]
    assert m.overdue_now == len(overdue) == 2

    assert m.released_with_card == 2
    assert m.released_with_card_and_accepted == 1


def test_filters_narrow_every_count(network):  # noqa: ANN001
    by_org = compute(Filters(PERIOD.start, PERIOD.end, organization_id=network["org_b"].id))
    by_town = compute(Filters(PERIOD.start, PERIOD.end, town="new haven"))
    by_need = compute(Filters(PERIOD.start, PERIOD.end, need_area="housing"))
    assert (by_org.sent, by_org.accepted, by_org.declined_by_reason) == (2, 1, {"no_capacity": 1})
    assert by_town.sent == 2
    assert by_need.sent == 11
    assert by_need.reached["declined"] == 3
    elsewhere = compute(Filters(PERIOD.start, PERIOD.end, facility_id="no-such-facility"))
    assert (elsewhere.sent, elsewhere.released_with_card) == (0, 0)


def _expected_trend(period_of) -> list[tuple[str, int, int]]:  # noqa: ANN001
    refs = [r for r in db.session.scalars(select(Referral)) if r.status != "entered_in_error"]
    expected: dict[str, list[int]] = {}
    for r in refs:
        row = expected.setdefault(period_of(r.sent_at), [0, 0])
        row[0] += 1
        row[1] += _reached(r, "accepted")
    return [(period, s, a) for period, (s, a) in sorted(expected.items())]


def test_monthly_trend_counts_by_month_sent(network):  # noqa: ANN001
    wide = Filters(TODAY - timedelta(days=400), TODAY)
    monthly = trend(wide)
    assert [t for t in monthly if t[1]] == _expected_trend(lambda at: f"{local_date(at):%Y-%m}")
    # Every month of the period is a row; those with nothing sent read 0.
    assert [p for p, _, _ in monthly] == periods(wide.start, wide.end, weekly=False)


def test_weekly_trend_counts_by_the_monday_of_the_week_sent(network):  # noqa: ANN001
    wide = Filters(TODAY - timedelta(days=400), TODAY, trend_by="week")
    weekly = trend(wide)

    def monday(at: datetime) -> str:
        day = local_date(at)
        return (day - timedelta(days=day.weekday())).isoformat()

    assert [t for t in weekly if t[1]] == _expected_trend(monday)
    assert [p for p, _, _ in weekly] == periods(wide.start, wide.end, weekly=True)
    assert all(date.fromisoformat(period).weekday() == 0 for period, _, _ in weekly)
    assert sum(sent for _, sent, _ in weekly) == compute(wide).sent


def test_event_history_is_what_counts_as_reached(network):  # noqa: ANN001
    """A referral accepted then completed counts in both steps (checked straight on events)."""
    completed = network["refs"][0]
    statuses = set(
        db.session.scalars(
            select(ReferralEvent.to_status).where(ReferralEvent.referral_id == completed.id)
        )
    )
    assert {"accepted", "enrolled", "completed"} <= statuses
