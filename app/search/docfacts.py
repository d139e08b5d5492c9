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
            [
                str(r.criterion),
                str(r.answer),
                list(r.values or []),
                r.min_age,
                r.max_age,
                bool(getattr(r, "strict", False)),
            ]
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


class Interner:
    """Hands out one shared object for equal values while a segment's facts are read: most
    services share their status, need areas, towns, languages, rules and hours, so 50,000
    services hold a few thousand of these instead of 50,000 copies of each."""

    def __init__(self) -> None:
        self._seen: dict[Any, Any] = {}

    def __call__(self, value: Any, make: Any = None) -> Any:
        """The shared copy of `value` (hashable); `make(value)` builds it the first time."""
        found = self._seen.get(value)
        if found is None:
            found = make(value) if make is not None else value
            self._seen[value] = found
        return found


def _rules(key: tuple) -> list[RuleRow]:
    """Rows of an interned ("r", rules) key."""
    return [
        RuleRow(Criterion(c), Answer(a), list(v), lo, hi, strict)
        for c, a, v, lo, hi, strict in key[1]
    ]


def _hours(key: tuple) -> list[ScheduleRow]:
    """Rows of an interned ("h", hours) key."""

    def t(v: str | None) -> time | None:
        return time.fromisoformat(v) if v else None

    def d(v: str | None) -> date | None:
        return date.fromisoformat(v) if v else None

    return [ScheduleRow(f, b, t(o), t(c), d(vf), d(vt)) for f, b, o, c, vf, vt in key[1]]


_NONE: tuple = ()


class DocFacts:
    """Decoded facts of one indexed service, kept small: one object with slots per service,
    every value that services share held once (see Interner), capacity rows as plain tuples
    turned into CapacityRow only when a service's capacity state is worked out again."""

    __slots__ = (
        "status",
        "verified_ts",
        "need_areas",
        "towns",
        "languages",
        "points",
        "_capacities",
        "rules",
        "hours",
        "state_memo",
    )

    def __init__(self, raw: bytes | None, intern: Interner | None = None) -> None:
        intern = intern or Interner()
        data = json.loads(raw) if raw else {}
        self.status: str = intern(data.get("s", ""))
        self.verified_ts: float | None = data.get("v")
        self.need_areas: tuple[str, ...] = intern(tuple(map(intern, data.get("n", _NONE))))
        self.towns: tuple[str, ...] = intern(tuple(map(intern, data.get("t", _NONE))))
        self.languages: tuple[str, ...] = intern(tuple(map(intern, data.get("l", _NONE))))
        self.points: tuple[tuple[str, float, float], ...] = tuple(
            (intern(i), lat, lon) for i, lat, lon in data.get("p", _NONE)
        )
        self._capacities: tuple = tuple(
            (intern(c[0]), c[1], c[2], c[3]) for c in data.get("c", _NONE)
        )
        # r[5], strictly required documents: absent from documents indexed before it was kept
        rules = tuple(
            (r[0], r[1], tuple(r[2]), r[3], r[4], bool(r[5]) if len(r) > 5 else False)
            for r in data.get("r", _NONE)
        )
        self.rules: list[RuleRow] = intern(("r", rules), _rules)
        hours = tuple(tuple(h) for h in data.get("h", _NONE))
        self.hours: list[ScheduleRow] = intern(("h", hours), _hours)
        # (stale days, from, until, capacity state): see app.search.ranking.cached_capacity_state
        self.state_memo: tuple | None = None

    @property
    def verified(self) -> datetime | None:
        return _dt(self.verified_ts)

    @property
    def capacities(self) -> list[CapacityRow]:
        return [
            CapacityRow("", available, maximum, CapacityStatus(status), _dt(updated))
            for status, available, maximum, updated in self._capacities
        ]
