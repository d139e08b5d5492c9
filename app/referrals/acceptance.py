"""Who really accepts: for each service, how referrals of people with a conviction-related
answer went in the last 12 months. Staff-only (counselors and administrators: the
`acceptance.view` permission); never on public pages, to providers, or in the HSDS API.

For each answer the person has (on the registry, a violent conviction, an arson conviction):

- base: referrals to the service sent in the last 365 days for people with that answer that the
  provider answered (ever accepted, waitlisted, declined or enrolled);
- accepted: those ever accepted or enrolled;
- answers in: the median time from sending to the provider's first answer, in days.

A figure built on fewer than 5 answered referrals is not shown at all (the dashboard's
threshold, app.reports.suppression.THRESHOLD), so a line never points at one or two people.

Ranking in a counselor's search for a person: the search itself multiplies each service's
ranking boost (app.search.ranking) by

    1 + 0.3 × share accepted

with the lowest share among the person's answers that have a figure; a service without a
figure keeps its rank. Because the search applies it, it orders every page and the total
order (a service with strong evidence on page 2 moves to page 1), and the score the JSON API
shows includes it. The factors of every service come from one aggregate query
(`acceptance_boosts`), remembered per worker until a referral or a person's record changes
(content version "acceptance") or for ten minutes (`search_boosts`).
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, cast, func, or_, select
from sqlalchemy.dialects.postgresql import JSONB

from app import content_version
from app.common import utcnow
from app.directory.vocabulary import (
    CONVICTION_CRITERIA,
    FLAG_FOR,
    PROFILE_FLAGS,
    Criterion,
    ProfileFlag,
)
from app.extensions import db
from app.referrals.models import Client, Referral
from app.referrals.vocabulary import REACHED_BIT, ReferralStatus
from app.reports.suppression import THRESHOLD
from app.search.ranking import ACCEPTANCE_BOOST

WINDOW = timedelta(days=365)
SCOPE = "acceptance"  # content version: any write to referrals or people's records
BOOSTS_MAX_AGE_SECONDS = 600.0  # the window moves on; writes the versions cannot see
CONVICTION_FLAGS: tuple[ProfileFlag, ...] = tuple(
    flag for flag in PROFILE_FLAGS if flag.criterion in CONVICTION_CRITERIA
)
PEOPLE = {
    FLAG_FOR[Criterion.SEX_OFFENSE_REGISTRY]: "people on the registry",
    FLAG_FOR[Criterion.VIOLENT_CONVICTION]: "people with a violent conviction",
    FLAG_FOR[Criterion.ARSON_CONVICTION]: "people with an arson conviction",
}
_ACCEPTED = REACHED_BIT[ReferralStatus.ACCEPTED] | REACHED_BIT[ReferralStatus.ENROLLED]
_ANSWERED = (
    _ACCEPTED | REACHED_BIT[ReferralStatus.WAITLISTED] | REACHED_BIT[ReferralStatus.DECLINED]
)


@dataclass(frozen=True)
class Evidence:
    flag: str  # the profile flag's name
    accepted: int
    answered: int
    median_days: float | None

    @property
    def share(self) -> float:
        return self.accepted / self.answered

    @property
    def line(self) -> str:
        text = (
            f"Accepted {self.accepted} of {self.answered} referrals for {PEOPLE[self.flag]} "
            "in the last 12 months"
        )
        if self.median_days is not None:
            days = f"{self.median_days:.1f}"
            text += f"; answers in {days} {'day' if days == '1.0' else 'days'} (median)"
        return text


def person_flags(client: Client | None) -> list[str]:
    """The conviction-related answers this person has said yes to."""
    answers = (client.eligibility or {}) if client is not None else {}
    return [flag.name for flag in CONVICTION_FLAGS if answers.get(flag.name) is True]


def _answered_in_window(now: datetime) -> tuple[Any, ...]:
    """Referrals sent in the 12 months before `now` that the provider answered: what every
    figure (and every search factor) counts."""
    return (
        Referral.sent_at > now - WINDOW,
        Referral.sent_at <= now,
        Referral.reached.op("&")(_ANSWERED) != 0,
    )


def acceptance_evidence(
    service_ids: Sequence[str], flags: Iterable[str], now: datetime | None = None
) -> dict[str, list[Evidence]]:
    """service id -> the shown figures (one per flag with at least 5 answered referrals), in
    one query for the whole page. The answers are read from each person's record here, not
    filtered in SQL: a JSON condition the planner cannot estimate made PostgreSQL scan every
    client (bench/acceptance.py --explain)."""
    flags = [name for name in flags if name in PEOPLE]
    if not service_ids or not flags:
        return {}
    now = now or utcnow()
    rows = db.session.execute(
        select(
            Referral.service_id,
            Referral.reached,
            Referral.sent_at,
            Referral.first_response_at,
            Client.eligibility,
        )
        .join(Client, Client.id == Referral.client_id)
        .where(Referral.service_id.in_(list(service_ids)), *_answered_in_window(now))
    ).all()
    tally: dict[tuple[str, str], list[Any]] = {}
    for row in rows:
        answers = row.eligibility or {}
        for name in flags:
            if answers.get(name) is True:
                tally.setdefault((row.service_id, name), []).append(row)
    out: dict[str, list[Evidence]] = {}
    for service_id in service_ids:
        for name in flags:
            found = tally.get((service_id, name), [])
            if len(found) < THRESHOLD:
                continue
            waits = [
                (r.first_response_at - r.sent_at).total_seconds() / 86400
                for r in found
                if r.first_response_at is not None and r.first_response_at >= r.sent_at
            ]
            out.setdefault(service_id, []).append(
                Evidence(
                    flag=name,
                    accepted=sum(1 for r in found if r.reached & _ACCEPTED),
                    answered=len(found),
                    median_days=statistics.median(waits) if waits else None,
                )
            )
    return out


def _answered_referrals(flags: list[str], now: datetime) -> Any:
    """A subquery of the window's answered referrals of people with any of these answers:
    service_id, reached, and one column per flag (true when the record says yes). PostgreSQL
    reads each record's JSON once (as jsonb, behind an OFFSET 0 fence: the planner would
    otherwise parse it again for every flag: 110 → 42 ms at 50,000 referrals)."""
    where = _answered_in_window(now)
    if db.session.get_bind().dialect.name == "postgresql":
        answers = cast(Client.eligibility, JSONB).label("answers")
        inner = (
            select(Referral.service_id, Referral.reached, answers)
            .join(Client, Client.id == Referral.client_id)
            .where(*where)
            .offset(0)
            .subquery()
        )
        says = [inner.c.answers.contains({name: True}) for name in flags]
        return (
            select(
                inner.c.service_id,
                inner.c.reached,
                *[s.label(n) for s, n in zip(says, flags, strict=True)],
            )
            .where(or_(*says))
            .subquery()
        )
    says = [func.json_type(Client.eligibility, f"$.{name}") == "true" for name in flags]
    return (
        select(
            Referral.service_id,
            Referral.reached,
            *[s.label(n) for s, n in zip(says, flags, strict=True)],
        )
        .join(Client, Client.id == Referral.client_id)
        .where(*where, or_(*says))
        .subquery()
    )


def acceptance_boosts(flags: Iterable[str], now: datetime | None = None) -> dict[str, float]:
    """service id -> rank factor (`boost`) for every service with a shown figure for these
    answers, from one aggregate query over the window's answered referrals: the ranking signal
    of a search for the person, applied by the search itself so it orders every page, not just
    the one shown. The same referrals, threshold and shares as `acceptance_evidence`."""
    flags = sorted({name for name in flags if name in PEOPLE})
    if not flags:
        return {}
    now = now or utcnow()
    rows = _answered_referrals(flags, now)
    accepted = rows.c.reached.op("&")(_ACCEPTED) != 0
    columns = []
    for name in flags:
        columns.append(func.sum(case((rows.c[name], 1), else_=0)))
        columns.append(func.sum(case((and_(rows.c[name], accepted), 1), else_=0)))
    out = {}
    for service_id, *counts in db.session.execute(
        select(rows.c.service_id, *columns).group_by(rows.c.service_id)
    ):
        shares = [
            counts[2 * n + 1] / counts[2 * n]
            for n in range(len(flags))
            if counts[2 * n] >= THRESHOLD
        ]
        if shares:
            out[service_id] = _factor(shares)
    return out


def _factor(shares: Iterable[float]) -> float:
    """1 + 0.3 × the lowest share accepted: one formula for the page figures and the search."""
    return 1 + ACCEPTANCE_BOOST * min(shares)


def boost(evidence: list[Evidence]) -> float:
    """The rank factor of a service: 1 + 0.3 × its lowest shown share (1 without figures)."""
    if not evidence:
        return 1.0
    return _factor(item.share for item in evidence)


def init_acceptance(app: Any) -> None:
    """Referrals and people's records bump the "acceptance" content version (search_boosts)."""
    del app
    content_version.watch_tables(SCOPE, ("referral", "client"))
    content_version.install()


_boosts: dict[tuple, tuple[str, float, dict[str, float]]] = {}
_boosts_lock = threading.Lock()


def search_boosts(flags: Iterable[str]) -> dict[str, float]:
    """`acceptance_boosts` for a search, remembered per worker and database while the
    "acceptance" content version stands (one primary-key read) and for at most ten minutes:
    the aggregate costs 60 ms on PostgreSQL and 100 ms on SQLite at 50,000 referrals
    (bench/acceptance.py), the version read a fraction of a millisecond."""
    wanted = tuple(sorted({name for name in flags if name in PEOPLE}))
    if not wanted:
        return {}
    (token,) = content_version.read([SCOPE])
    key = (db.session.get_bind(), wanted)
    now = time.monotonic()
    with _boosts_lock:
        held = _boosts.get(key)
    if held is not None and held[0] == token and now - held[1] <= BOOSTS_MAX_AGE_SECONDS:
        return held[2]
    factors = acceptance_boosts(wanted)
    if token != content_version.MISSING:  # never bumped: nothing to key on
        with _boosts_lock:
            _boosts[key] = (token, now, factors)
    return factors
