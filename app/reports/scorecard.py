"""Provider scorecard: one organization's figures next to the network median, never another's.

Per-organization figures come from GROUP BY organization_id queries (median answer time per
organization from ROW_NUMBER() OVER (PARTITION BY organization_id)); the network median is then
the median of those per-organization aggregates, one number per organization.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, case, func, select

from app.directory.models import Organization, Service, ServiceCapacity
from app.extensions import db
from app.referrals.models import Referral
from app.referrals.vocabulary import ReferralStatus as S
from app.reports.measures import count_if, ever, seconds_between
from app.reports.suppression import format_hours, show_count, show_hours, show_rate

PERIOD_DAYS = 90


@dataclass
class OrgFigures:
    received: int = 0
    accepted: int = 0
    declined: int = 0
    completed: int = 0
    responded: int = 0
    median_seconds: float | None = None
    capacities: int = 0
    fresh_capacities: int = 0

    def rate(self, name: str) -> float | None:
        pairs = {
            "acceptance": (self.accepted, self.accepted + self.declined),
            "completion": (self.completed, self.accepted),
            "freshness": (self.fresh_capacities, self.capacities),
        }
        num, den = pairs[name]
        return num / den if den else None


def figures_by_organization(now: datetime) -> dict[str, OrgFigures]:
    since = now - timedelta(days=PERIOD_DAYS)
    where = [Referral.sent_at >= since, Referral.status != S.ENTERED_IN_ERROR]
    result: dict[str, OrgFigures] = {}
    rows = db.session.execute(
        select(
            Referral.organization_id,
            func.count(),
            count_if(ever(S.ACCEPTED)),
            count_if(Referral.status == S.DECLINED),
            count_if(ever(S.COMPLETED)),
        )
        .where(*where)
        .group_by(Referral.organization_id)
    )
    for org_id, received, accepted, declined, completed in rows:
        result[org_id] = OrgFigures(int(received), int(accepted), int(declined), int(completed))

    elapsed = seconds_between(Referral.first_response_at, Referral.sent_at)
    ranked = (
        select(
            Referral.organization_id.label("org"),
            elapsed.label("d"),
            func.row_number()
            .over(partition_by=Referral.organization_id, order_by=elapsed)
            .label("rn"),
            func.count().over(partition_by=Referral.organization_id).label("n"),
        )
        .where(*where, Referral.first_response_at.is_not(None))
        .subquery()
    )
    middle = and_(ranked.c.rn * 2 >= ranked.c.n, (ranked.c.rn - 1) * 2 < ranked.c.n)
    for org_id, n, median in db.session.execute(
        select(ranked.c.org, func.count(), func.max(case((middle, ranked.c.d)))).group_by(
            ranked.c.org
        )
    ):
        figures = result.setdefault(org_id, OrgFigures())
        figures.responded = int(n)
        figures.median_seconds = float(median) if median is not None else None

    stale_after = now - timedelta(days=int(current_app.config.get("CAPACITY_STALE_DAYS", 14)))
    for org_id, total, fresh in db.session.execute(
        select(
            Service.organization_id,
            func.count(ServiceCapacity.id),
            count_if(ServiceCapacity.updated >= stale_after),
        )
        .join(Service, Service.id == ServiceCapacity.service_id)
        .group_by(Service.organization_id)
    ):
        figures = result.setdefault(org_id, OrgFigures())
        figures.capacities, figures.fresh_capacities = int(total), int(fresh)
    return result


MIN_ORGANIZATIONS = 3  # with two, the median would give away the other organization's figure


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if len(present) >= MIN_ORGANIZATIONS else None


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{round(100 * value)}%"


@dataclass(frozen=True)
class ScorecardRow:
    label: str
    ours: str
    network: str


def scorecard_for(organization: Organization, now: datetime) -> list[ScorecardRow]:
    everyone = figures_by_organization(now)
    ours = everyone.get(organization.id, OrgFigures())
    with_referrals = [f for f in everyone.values() if f.received]
    with_capacity = [f for f in everyone.values() if f.capacities]
    net_received = _median([f.received for f in with_referrals])
    net_seconds = _median([f.median_seconds for f in with_referrals])
    return [
        ScorecardRow(
            "Referrals received (last 90 days)",
            show_count(ours.received),
            show_count(round(net_received)) if net_received is not None else "—",
        ),
        ScorecardRow(
            "Median time to first answer",
            show_hours(ours.median_seconds, ours.responded),
            format_hours(net_seconds),
        ),
        ScorecardRow(
            "Acceptance rate (accepted of accepted or declined)",
            show_rate(ours.accepted, ours.accepted + ours.declined),
            _pct(_median([f.rate("acceptance") for f in with_referrals])),
        ),
        ScorecardRow(
            "Completion rate (completed of accepted)",
            show_rate(ours.completed, ours.accepted),
            _pct(_median([f.rate("completion") for f in with_referrals])),
        ),
        ScorecardRow(
            "Capacity figures confirmed within the stale limit",
            _pct(ours.rate("freshness")),
            _pct(_median([f.rate("freshness") for f in with_capacity])),
        ),
    ]
