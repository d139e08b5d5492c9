"""Release-plan measures for the network dashboard: people, never a person.

The release is recorded once (Client.released_on, and a plan version at the "return to the
community" juncture whose items are the checklist as it stood on release day). These measures
read that version; a person released without one is counted as "released without a recorded
plan review", never guessed from today's checklist.

Counts, the 45-day lead and the days to arranged are computed by the database (local calendar
days: app.reports.local_days). Only the release snapshots (JSON) are read in Python, one per
person released in the period, streamed: linear in the people released in the period, never in
the whole history (bench/plan_measures.py times it at 1,000 and 10,000 people).

Filters: the period, the facility (the person's) and the town (where the person is going). Need
area and provider filter referrals only; they do not apply here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, case, cast, func, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.plans.models import PlanAnswer, PlanItem, PlanVersion, ReleasePlan
from app.plans.vocabulary import (
    ESSENTIAL_KINDS,
    SETTLED_STATUSES,
    ItemKind,
    Juncture,
    PersonAnswer,
)
from app.referrals.models import Client
from app.reports.local_days import date_day, local_day
from app.reports.measures import Filters, count_if

# Connecticut's strategy: a discharge plan is made with every person 45 days before discharge.
PLAN_LEAD_DAYS = 45
KIND_BY_CODE = {kind.value: kind for kind in ItemKind}


@dataclass(frozen=True)
class DaysToArranged:
    items: int  # items of this kind arranged in the period (the base of the percentiles)
    median: int | None = None
    p90: int | None = None


@dataclass
class PlanMeasures:
    released: int = 0  # people released in the period
    started_early: int = 0  # ... whose plan started at least PLAN_LEAD_DAYS before release
    reviewed: int = 0  # ... with the plan version recorded on return to the community
    in_line: int = 0  # ... of those, every essential item arranged or not needed at release
    gaps: dict[ItemKind, int] = field(default_factory=dict)  # people with the kind not arranged
    days: dict[ItemKind, DaysToArranged] = field(default_factory=dict)
    need_help: int = 0  # people who said "I need help" after release, answers in the period

    @property
    def started_late(self) -> int:
        """Plan started later than the lead, or no plan at all."""
        return self.released - self.started_early

    @property
    def not_reviewed(self) -> int:
        return self.released - self.reviewed

    @property
    def not_in_line(self) -> int:
        return self.reviewed - self.in_line


def people_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """The filters that make sense for people: their facility and the town they go to."""
    conditions: list[ColumnElement[bool]] = []
    if filters.facility_id:
        conditions.append(Client.facility_id == filters.facility_id)
    if filters.town:
        conditions.append(func.lower(Client.destination_town) == filters.town.strip().lower())
    return conditions


def released_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    return [
        Client.released_on >= filters.start,
        Client.released_on <= filters.end,
        *people_conditions(filters),
    ]


def compute_plans(filters: Filters) -> PlanMeasures:
    m = PlanMeasures()
    first, last = _calendar_span(filters)
    _lead(m, filters, first, last)
    _at_release(m, filters)
    _days_to_arranged(m, filters, first, last)
    m.need_help = _need_help(filters)
    return m


def _calendar_span(filters: Filters) -> tuple[Any, Any]:
    """The days the plans' moments fall on: the local-day conversion must cover them."""
    earliest, latest = db.session.execute(
        select(func.min(ReleasePlan.started_at), func.max(ReleasePlan.started_at))
    ).one()
    first = min(earliest.date(), filters.start) if earliest else filters.start
    last = max(latest.date(), filters.end) if latest else filters.end
    return first, last


def _lead(m: PlanMeasures, filters: Filters, first: Any, last: Any) -> None:
    """Released in the period; of them, plan started on or before release day minus the lead."""
    early = and_(
        ReleasePlan.id.is_not(None),
        local_day(ReleasePlan.started_at, first, last)
        <= date_day(Client.released_on) - PLAN_LEAD_DAYS,
    )
    released, started_early = db.session.execute(
        select(func.count(), count_if(early))
        .select_from(Client)
        .outerjoin(ReleasePlan, ReleasePlan.client_id == Client.id)
        .where(*released_conditions(filters))
    ).one()
    m.released, m.started_early = int(released), int(started_early)


def _release_versions(filters: Filters) -> list[ColumnElement[bool]]:
    """The version recorded on return to the community of each person released in the period:
    the latest, should a person have been released more than once."""
    newer = aliased(PlanVersion)
    superseded = (
        select(newer.id)
        .where(
            newer.plan_id == PlanVersion.plan_id,
            newer.juncture == Juncture.RETURN_TO_COMMUNITY,
            newer.number > PlanVersion.number,
        )
        .exists()
    )
    return [
        *released_conditions(filters),
        PlanVersion.juncture == Juncture.RETURN_TO_COMMUNITY,
        ~superseded,
    ]


def _at_release(m: PlanMeasures, filters: Filters) -> None:
    """The checklist as it stood on release day, per person: which kinds were still open.

    The snapshots are read as text and decoded here, streamed in batches: about 60 µs a
    person, linear in the people released in the period (bench/plan_measures.py). The
    databases' own JSON functions (json_each, json_array_elements) measured 3-5 times slower.
    """
    rows = db.session.execute(
        select(cast(PlanVersion.items, Text))
        .join(ReleasePlan, ReleasePlan.id == PlanVersion.plan_id)
        .join(Client, Client.id == ReleasePlan.client_id)
        .where(*_release_versions(filters))
        .execution_options(yield_per=1000)
    )
    gaps = dict.fromkeys(ItemKind, 0)
    for (text,) in rows:
        m.reviewed += 1
        open_kinds = {
            KIND_BY_CODE.get(item.get("kind"), ItemKind.OTHER)  # a retired kind: "other"
            for item in json.loads(text or "[]")
            if item.get("status") not in SETTLED_STATUSES
        }
        for kind in open_kinds:
            gaps[kind] += 1
        if not open_kinds & ESSENTIAL_KINDS:
            m.in_line += 1
    m.gaps = gaps


def _days_to_arranged(m: PlanMeasures, filters: Filters, first: Any, last: Any) -> None:
    """Nearest-rank median and 90th percentile per kind, chosen in SQL (as the response times
    in app.reports.measures are), of local days from plan start to the item being arranged."""
    days = local_day(PlanItem.arranged_at, first, last) - local_day(
        ReleasePlan.started_at, first, last
    )
    ranked = (
        select(
            PlanItem.kind.label("kind"),
            days.label("d"),
            func.row_number().over(partition_by=PlanItem.kind, order_by=days).label("rn"),
            func.count().over(partition_by=PlanItem.kind).label("n"),
        )
        .join(ReleasePlan, ReleasePlan.id == PlanItem.plan_id)
        .join(Client, Client.id == ReleasePlan.client_id)
        .where(
            PlanItem.arranged_at >= filters.start_at,
            PlanItem.arranged_at < filters.end_before,
            *people_conditions(filters),
        )
        .subquery()
    )

    def at_rank(p: int) -> ColumnElement:
        hit = and_(ranked.c.rn * 100 >= p * ranked.c.n, (ranked.c.rn - 1) * 100 < p * ranked.c.n)
        return func.max(case((hit, ranked.c.d)))

    rows = db.session.execute(
        select(ranked.c.kind, func.count(), at_rank(50), at_rank(90)).group_by(ranked.c.kind)
    )
    found = {
        ItemKind(kind): DaysToArranged(int(n), _whole(median), _whole(p90))
        for kind, n, median, p90 in rows
    }
    m.days = {kind: found.get(kind, DaysToArranged(0)) for kind in ItemKind}


def _whole(value: Any) -> int | None:
    return None if value is None else int(value)


def _need_help(filters: Filters) -> int:
    """People who answered "I need help with this" on or after their release day, counting the
    answers given in the period (whenever the person was released)."""
    return int(
        db.session.scalar(
            select(func.count(func.distinct(ReleasePlan.client_id)))
            .select_from(PlanAnswer)
            .join(PlanItem, PlanItem.id == PlanAnswer.item_id)
            .join(ReleasePlan, ReleasePlan.id == PlanItem.plan_id)
            .join(Client, Client.id == ReleasePlan.client_id)
            .where(
                PlanAnswer.answer == PersonAnswer.NEED_HELP,
                PlanAnswer.answered_on >= filters.start,
                PlanAnswer.answered_on <= filters.end,
                Client.released_on.is_not(None),
                PlanAnswer.answered_on >= Client.released_on,
                *people_conditions(filters),
            )
        )
        or 0
    )
