"""Network measures (results-based accountability), every figure counted by the database.

Each function runs one aggregate query (GROUP BY, COUNT, SUM(CASE ...), window functions) and
returns plain numbers; nothing loads referral rows into Python. Suppression of small counts is
applied later, at display time (app.reports.suppression), so tests can check the true figures.

"Reached" counts (accepted, waitlisted, enrolled ...) come from the statuses a referral has ever
had (Referral.reached, kept with the event history): a referral accepted and later completed
counts as accepted *and* completed. Referrals marked
"entered in error" are left out everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, case, func, or_, select

from app.clock import local_date, local_midnight, network_zone
from app.common import utcnow
from app.directory.models import Address, ServiceAtLocation
from app.extensions import db
from app.public.models import DischargeCard
from app.referrals.models import Client, Referral, ReferralEvent
from app.referrals.vocabulary import REACHED_BIT
from app.referrals.vocabulary import ReferralStatus as S

REACHED = (
    S.ACCEPTED,
    S.WAITLISTED,
    S.DECLINED,
    S.ENROLLED,
    S.COMPLETED,
    S.NOT_ENROLLED,
    S.CANCELLED,
)


@dataclass(frozen=True)
class Filters:
    """What the dashboard is asked about: referrals *sent* between start and end (inclusive)."""

    start: date
    end: date
    need_area: str | None = None
    facility_id: str | None = None
    organization_id: str | None = None
    town: str | None = None
    trend_by: str = "month"  # or "week": the step of the trend table and chart

    @property
    def start_at(self) -> datetime:
        """Local midnight starting `start`: the dates are the network's calendar days."""
        return local_midnight(self.start)

    @property
    def end_before(self) -> datetime:
        return local_midnight(self.end + timedelta(days=1))


@dataclass
class Measures:
    sent: int = 0
    reached: dict[str, int] = field(default_factory=dict)
    declined_by_reason: dict[str, int] = field(default_factory=dict)
    not_enrolled_by_reason: dict[str, int] = field(default_factory=dict)
    responded: int = 0  # referrals with a first answer (the base of the percentiles)
    median_response_seconds: float | None = None
    p90_response_seconds: float | None = None
    deadline_base: int = 0  # answered, or unanswered with the deadline passed
    answered_in_time: int = 0
    overdue_now: int = 0
    released_with_card: int = 0
    released_with_card_and_accepted: int = 0

    @property
    def accepted(self) -> int:
        return self.reached.get(S.ACCEPTED.value, 0)

    @property
    def decided(self) -> int:
        """Referrals the provider accepted or declined (the base of the acceptance rate)."""
        return self.accepted + self.reached.get(S.DECLINED.value, 0)


def need_area_condition(column: Any, code: str) -> ColumnElement[bool]:
    """A need area includes its children: "housing" matches "housing.transitional"."""
    return or_(column == code, column.like(f"{code}.%"))


def referral_conditions(filters: Filters, *, dates: bool = True) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Referral.status != S.ENTERED_IN_ERROR]
    if dates:
        conditions += [Referral.sent_at >= filters.start_at, Referral.sent_at < filters.end_before]
    if filters.need_area:
        conditions.append(need_area_condition(Referral.need_area_code, filters.need_area))
    if filters.facility_id:
        conditions.append(Referral.facility_id == filters.facility_id)
    if filters.organization_id:
        conditions.append(Referral.organization_id == filters.organization_id)
    if filters.town:
        in_town = select(Address.location_id).where(
            func.lower(Address.city) == filters.town.strip().lower()
        )
        service_in_town = select(ServiceAtLocation.service_id).where(
            ServiceAtLocation.location_id.in_(in_town)
        )
        # The referral's chosen location, else any location of the service.
        conditions.append(
            or_(
                Referral.location_id.in_(in_town),
                and_(Referral.location_id.is_(None), Referral.service_id.in_(service_in_town)),
            )
        )
    return conditions


def ever(status: S) -> ColumnElement[bool]:
    """The referral has had `status` at some point (its bit is set in Referral.reached)."""
    return Referral.reached.op("&")(REACHED_BIT[status]) != 0


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """SUM(CASE WHEN ... THEN 1 ELSE 0 END): a filtered count both databases understand."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def seconds_between(later: Any, earlier: Any) -> ColumnElement[float]:
    """Elapsed seconds, in SQL: EXTRACT(EPOCH) on PostgreSQL, julianday() on SQLite."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def compute(filters: Filters, now: datetime | None = None) -> Measures:
    now = now or utcnow()
    m = Measures()
    where = referral_conditions(filters)
    _counts(m, where, now)
    _reasons(m, where)
    _response_times(m, where)
    m.overdue_now = (
        db.session.scalar(
            select(func.count())
            .select_from(Referral)
            .where(
                *referral_conditions(filters, dates=False),
                Referral.status.in_([S.SENT, S.RECEIVED]),
                Referral.due_at < now,
            )
        )
        or 0
    )
    _discharge(m, filters)
    return m


def _counts(m: Measures, where: list, now: datetime) -> None:
    """Sent, each status reached, and the deadline figures: one pass over the referrals."""
    answered = Referral.first_response_at.is_not(None)
    due = Referral.due_at.is_not(None)
    sent, base, in_time, *reached = db.session.execute(
        select(
            func.count(),
            count_if(and_(due, or_(answered, Referral.due_at < now))),
            count_if(and_(due, answered, Referral.first_response_at <= Referral.due_at)),
            *(count_if(ever(s)) for s in REACHED),
        ).where(*where)
    ).one()
    m.sent, m.deadline_base, m.answered_in_time = int(sent), int(base), int(in_time)
    m.reached = {s.value: int(n) for s, n in zip(REACHED, reached, strict=True)}


def _reasons(m: Measures, where: list) -> None:
    rows = db.session.execute(
        select(Referral.status, Referral.reason_code, func.count())
        .where(*where, Referral.status.in_([S.DECLINED, S.NOT_ENROLLED]))
        .group_by(Referral.status, Referral.reason_code)
    )
    for status, reason, n in rows:
        target = m.declined_by_reason if status == S.DECLINED else m.not_enrolled_by_reason
        target[reason or "other"] = target.get(reason or "other", 0) + n


def _response_times(m: Measures, where: list) -> None:
    """Nearest-rank median and 90th percentile, chosen in SQL with ROW_NUMBER() and COUNT() OVER.

    The row at rank ceil(p * n) is picked with integer arithmetic (rn*100 >= p*n and
    (rn-1)*100 < p*n), so no CEIL or PERCENTILE_CONT is needed and SQLite agrees with PostgreSQL.
    For an even count the median is the lower of the two middle values.
    """
    elapsed = seconds_between(Referral.first_response_at, Referral.sent_at)
    ranked = (
        select(
            elapsed.label("d"),
            func.row_number().over(order_by=elapsed).label("rn"),
            func.count().over().label("n"),
        )
        .where(*where, Referral.first_response_at.is_not(None))
        .subquery()
    )

    def at_rank(p: int) -> ColumnElement:
        hit = and_(ranked.c.rn * 100 >= p * ranked.c.n, (ranked.c.rn - 1) * 100 < p * ranked.c.n)
        return func.max(case((hit, ranked.c.d)))

    n, median, p90 = db.session.execute(
        select(func.count(), at_rank(50), at_rank(90)).select_from(ranked)
    ).one()
    m.responded = n or 0
    m.median_response_seconds = float(median) if median is not None else None
    m.p90_response_seconds = float(p90) if p90 is not None else None


def _discharge(m: Measures, filters: Filters) -> None:
    """People released in the period who left with a discharge card, and of them those with a
    referral accepted before the release day ("transition in line with a discharge plan")."""
    has_card = select(DischargeCard.id).where(DischargeCard.client_id == Client.id).exists()
    accepted_before = (
        select(ReferralEvent.id)
        .join(Referral, Referral.id == ReferralEvent.referral_id)
        .where(
            Referral.client_id == Client.id,
            Referral.status != S.ENTERED_IN_ERROR,
            ReferralEvent.to_status == S.ACCEPTED.value,
            ReferralEvent.at < Client.released_on,
        )
        .exists()
    )
    conditions = [
        Client.released_on >= filters.start,
        Client.released_on <= filters.end,
        has_card,
    ]
    if filters.facility_id:
        conditions.append(Client.facility_id == filters.facility_id)
    total, with_plan = db.session.execute(
        select(func.count(), count_if(accepted_before)).select_from(Client).where(*conditions)
    ).one()
    m.released_with_card, m.released_with_card_and_accepted = int(total), int(with_plan)


def periods(start: date, end: date, weekly: bool) -> list[str]:
    """Every month (YYYY-MM) or week (its Monday, YYYY-MM-DD) that the days start..end touch,
    in order: the trend's rows, so a period with no referral reads 0 instead of going missing."""
    if weekly:
        monday = start - timedelta(days=start.weekday())
        weeks = (end - monday).days // 7 + 1
        return [(monday + timedelta(weeks=n)).isoformat() for n in range(max(weeks, 0))]
    out, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def trend(filters: Filters) -> list[tuple[str, int, int]]:
    """(period, sent, accepted) for every month (YYYY-MM) or week (its Monday, YYYY-MM-DD) of
    the period, 0 where nothing was sent; counted by the database. Weeks run Monday to Sunday
    in the network's time zone, so a referral sent Sunday evening in Hartford counts in that
    week, not the next."""
    weekly = filters.trend_by == "week"
    counted = {p: (sent, acc) for p, sent, acc in _trend_counts(filters)}
    every = sorted(set(periods(filters.start, filters.end, weekly)) | set(counted))
    return [(p, *counted.get(p, (0, 0))) for p in every]


def _trend_counts(filters: Filters) -> list[tuple[str, int, int]]:
    """The periods that have referrals, grouped by the database."""
    if db.session.get_bind().dialect.name != "postgresql":
        return _trend_sqlite(filters)
    local = func.timezone(network_zone().key, Referral.sent_at)
    if filters.trend_by == "week":
        period = func.to_char(func.date_trunc("week", local), "YYYY-MM-DD")
    else:
        period = func.to_char(local, "YYYY-MM")
    rows = db.session.execute(
        select(period.label("p"), func.count(), count_if(ever(S.ACCEPTED)))
        .where(*referral_conditions(filters))
        .group_by(period)
        .order_by(period)
    )
    return [(p, int(sent), int(acc)) for p, sent, acc in rows]


def _trend_sqlite(filters: Filters) -> list[tuple[str, int, int]]:
    """SQLite knows no time zones: it counts per quarter hour of UTC (every zone's offset is a
    whole number of quarter hours), and each quarter hour is then put in its local period."""
    minute = func.cast(func.strftime("%M", Referral.sent_at), Integer)
    quarter = func.printf(
        "%s:%02d", func.strftime("%Y-%m-%d %H", Referral.sent_at), minute // 15 * 15
    )
    rows = db.session.execute(
        select(quarter, func.count(), count_if(ever(S.ACCEPTED)))
        .where(*referral_conditions(filters))
        .group_by(quarter)
    )
    periods: dict[str, list[int]] = {}
    for bucket, sent, accepted in rows:
        day = local_date(datetime.fromisoformat(bucket).replace(tzinfo=UTC))
        if filters.trend_by == "week":
            key = (day - timedelta(days=day.weekday())).isoformat()
        else:
            key = f"{day:%Y-%m}"
        totals = periods.setdefault(key, [0, 0])
        totals[0] += int(sent)
        totals[1] += int(accepted)
    return [(p, sent, acc) for p, (sent, acc) in sorted(periods.items())]
