"""Report periods and trend steps are Hartford's days, weeks and months, not UTC's."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.accounts.models import Role
from app.reports.measures import Filters, compute, trend
from tests import factories
from tests.reports.builders import referral_at

# Sunday Nov 29, 9 pm in Hartford = Monday Nov 30, 02:00 UTC (the next UTC week).
SUNDAY_EVENING = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
# Monday Nov 30, 9 pm in Hartford = Tuesday Dec 1, 02:00 UTC (the next UTC month).
MONTH_END_EVENING = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def _send_at(*moments: datetime) -> None:
    org = factories.make_organization()
    service = factories.make_service(org, location=factories.make_location(org))
    counselor = factories.make_user(Role.COUNSELOR, facility=factories.make_facility())
    provider = factories.make_user(Role.PROVIDER, organizations=[org])
    for moment in moments:
        referral_at(counselor, provider, service, moment)


def test_a_sunday_evening_referral_counts_in_that_week(db) -> None:  # noqa: ANN001
    _send_at(SUNDAY_EVENING, MONTH_END_EVENING)
    weeks = trend(Filters(date(2026, 11, 1), date(2026, 12, 31), trend_by="week"))
    assert [w for w in weeks if w[1]] == [("2026-11-23", 1, 0), ("2026-11-30", 1, 0)]
    assert weeks[0] == ("2026-10-26", 0, 0) and len(weeks) == 10  # every week, 0 when empty


def test_a_month_end_evening_referral_counts_in_that_month(db) -> None:  # noqa: ANN001
    _send_at(SUNDAY_EVENING, MONTH_END_EVENING)
    assert trend(Filters(date(2026, 11, 1), date(2026, 12, 31))) == [
        ("2026-11", 2, 0),
        ("2026-12", 0, 0),
    ]


def test_a_period_ends_at_local_midnight(db) -> None:  # noqa: ANN001
    _send_at(MONTH_END_EVENING)
    assert compute(Filters(date(2026, 11, 1), date(2026, 11, 30))).sent == 1
    assert compute(Filters(date(2026, 12, 1), date(2026, 12, 31))).sent == 0
