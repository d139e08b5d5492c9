"""The per-service facts the index carries beside the text, so ranking, filters and facets over
thousands of matches never wait on the database: status, last verification, need areas, towns,
languages, location points, capacity figures (with their `updated` time: staleness is decided at
query time, so "stale = unknown" stays exact), eligibility rules and opening hours.

Catalog data only, like the rest of the index: never client data or site-visit notes. The page
that is shown re-reads its services from the database (live labels); see app.search.results.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from functools import cached_property
from typing import Any

from app.directory.vocabulary import Answer, CapacityStatus, Criterion
from app.search.facts import CapacityRow, RuleRow, ScheduleRow


def _ts(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment is not None else None


def _dt(value: float | None) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value is not None else None


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def encode(
    *,
    status: str,
    verified: datetime | None,
    need_areas: list[str],
    towns: list[str],
    languages: list[str],
    points: list[tuple[str, float, float]],
    capacities: list[Any],
    rules: list[Any],
    hours: list[Any],
) -> bytes:
    data = {
        "s": status,
        "v": _ts(verified),
        "n": need_areas,
        "t": towns,
        "l": languages,
        "p": [[i, lat, lon] for i, lat, lon in points],
        "c": [[str(c.status), c.available, c.maximum, _ts(c.updated)] for c in capacities],
        "r": [
            [str(r.criterion), str(r.answer), list(r.values or []), r.min_age, r.max_age]
            for r in rules
        ],
        "h": [
            [
                h.freq,
                h.byday,
                _hhmm(h.opens_at),
                _hhmm(h.closes_at),
                _iso(h.valid_from),
                _iso(h.valid_to),
            ]
            for h in hours
        ],
    }
    return json.dumps(data, separators=(",", ":")).encode("utf-8")


class DocFacts:
    """Decoded facts of one indexed service (rules and hours are decoded on first use)."""

    def __init__(self, raw: bytes | None) -> None:
        data = json.loads(raw) if raw else {}
        self.status: str = data.get("s", "")
        self.verified_ts: float | None = data.get("v")
        self.verified = _dt(self.verified_ts)
        self.need_areas: list[str] = data.get("n", [])
        self.towns: list[str] = data.get("t", [])
        self.languages: list[str] = data.get("l", [])
        self.points: list[tuple[str, float, float]] = [tuple(p) for p in data.get("p", [])]
        self.capacities = [
            CapacityRow("", c[1], c[2], CapacityStatus(c[0]), _dt(c[3])) for c in data.get("c", [])
        ]
        self._rules = data.get("r", [])
        self._hours = data.get("h", [])
        # (stale days, from, until, capacity state): see app.search.ranking.cached_capacity_state
        self.state_memo: tuple | None = None

    @cached_property
    def rules(self) -> list[RuleRow]:
        return [RuleRow(Criterion(r[0]), Answer(r[1]), r[2], r[3], r[4]) for r in self._rules]

    @cached_property
    def hours(self) -> list[ScheduleRow]:
        def t(v: str | None) -> time | None:
            return time.fromisoformat(v) if v else None

        def d(v: str | None) -> date | None:
            return date.fromisoformat(v) if v else None

        return [ScheduleRow(h[0], h[1], t(h[2]), t(h[3]), d(h[4]), d(h[5])) for h in self._hours]
