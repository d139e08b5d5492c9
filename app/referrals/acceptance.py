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

Ranking in a counselor's search for a person (relevance order only), within the page:

    rank' = rank × (1 + 0.3 × share accepted)

with the lowest share among the person's answers that have a figure; a service without a
figure keeps its rank. Results are only reordered among neighbors of the same group (exact or
typo match, eligibility verdict, hidden reason), so the backend's grouping stands.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

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

WINDOW = timedelta(days=365)
ACCEPTANCE_BOOST = 0.3
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
        .where(
            Referral.service_id.in_(list(service_ids)),
            Referral.sent_at > now - WINDOW,
            Referral.sent_at <= now,
            Referral.reached.op("&")(_ANSWERED) != 0,
        )
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


def boost(evidence: list[Evidence]) -> float:
    """The rank factor of a service: 1 + 0.3 × its lowest shown share (1 without figures)."""
    if not evidence:
        return 1.0
    return 1 + ACCEPTANCE_BOOST * min(item.share for item in evidence)


def _group(result: Any) -> tuple:
    verdict = getattr(result, "verdict", None)
    return (result.typo_match, getattr(verdict, "status", None), result.hidden_reason)


def rerank(results: list[Any], evidence: dict[str, list[Evidence]]) -> list[Any]:
    """The page in boosted-rank order, moved only among neighbors of the same group."""
    out: list[Any] = []
    run: list[Any] = []

    def flush() -> None:
        if any(r.service_id in evidence for r in run):  # stable: ties keep the backend's order
            run.sort(key=lambda r: -r.score * boost(evidence.get(r.service_id, [])))
        out.extend(run)
        run.clear()

    for result in results:
        if run and _group(run[-1]) != _group(result):
            flush()
        run.append(result)
    flush()
    return out
