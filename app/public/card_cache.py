"""What a card page shows, kept per process between changes.

A card's page reads its entries' services (names, status, addresses, phones, hours, required
documents, Spanish wording, and for a closed one an open alternative from the whole catalog),
the referrals that set an intake time, and the person's plan (items, their referrals, the
person's answers). Building that takes a dozen queries; it changes far less often than it is
read. So the built views (and the PDF) are kept in a bounded LRU per app, keyed on:

- the card, its language of display, its public address and the network's time zone;
- the local calendar day (the page says "checked on <today>" and "you already told us today";
  nothing else on it depends on the time of day: it has no "open now" and no capacity);
- three content-version tokens (app.content_version), read with one primary-key query:
  "catalog" (any write to a table the page shows from the catalog), "card:<id>" (the card and
  its entries) and "client:<id>" (the person's referrals, plan, items and answers).

Why versions rather than a max(updated_at) query: phones, hours, addresses, documents and
translations have no updated_at, and a deleted row leaves no date behind. Why watchers rather than
bumps in each service function: every path that writes (forms, API, HSDS import, bulk "mark
verified", CLI) is seen, including ones written later. The catalog is one scope because a closed
service's alternative can be any open service in its need area; catalog edits are rare next to
page views (capacity, the frequent write, is not on the card and not watched).

CARD_CACHE_SIZE (entries, 0 turns the cache off) and CARD_CACHE_SECONDS (an upper bound on an
entry's life, for writes no watcher can see: SQL typed by hand) are the settings.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Any, TypeVar

from flask import Flask, current_app
from sqlalchemy import select

from app import content_version
from app.clock import local_today, network_zone
from app.public.listing import locale_code
from app.public.models import DischargeCard, DischargeCardEntry

T = TypeVar("T")
EXTENSION = "partners_card_cache"
CATALOG = "catalog"
# The catalog tables a card page shows (capacity, eligibility rules, languages, site visits
# and programs are not on it).
CATALOG_TABLES = (
    "service",
    "organization",
    "location",
    "address",
    "phone",
    "schedule",
    "service_at_location",
    "required_document",
    "service_translation",
    "taxonomy_term",
    "service_taxonomy_term",
)


@dataclass(frozen=True)
class CacheInfo:
    hits: int
    misses: int
    maxsize: int
    currsize: int


class LRU:
    """A bounded, thread-safe least-recently-used map whose entries also expire."""

    def __init__(self, maxsize: int, seconds: float) -> None:
        self.maxsize, self.seconds = maxsize, seconds
        self._data: OrderedDict[Hashable, tuple[Any, float]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_build(
        self, key: Hashable, build: Callable[[], T], keep: Callable[[T], bool] | None = None
    ) -> T:
        """The kept value, else `build()`, then kept unless `keep` says it is not worth it."""
        now = time.monotonic()
        with self._lock:
            found = self._data.get(key)
            if found is not None and found[1] > now:
                self._data.move_to_end(key)
                self.hits += 1
                return found[0]
            self.misses += 1
        value = build()  # outside the lock: two builds of one key at once are harmless
        if keep is not None and not keep(value):
            return value
        with self._lock:
            self._data[key] = (value, now + self.seconds)
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return value

    def info(self) -> CacheInfo:
        with self._lock:
            return CacheInfo(self.hits, self.misses, self.maxsize, len(self._data))

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0


def init_card_cache(app: Flask) -> None:
    """This app's cache (each app its own, like each server process) and the watchers."""
    size = int(app.config.get("CARD_CACHE_SIZE", 500))
    seconds = float(app.config.get("CARD_CACHE_SECONDS", 600))
    app.extensions[EXTENSION] = LRU(size, seconds) if size > 0 else None
    content_version.watch_tables(CATALOG, CATALOG_TABLES)
    content_version.watch_flush(_flushed_scopes)
    content_version.watch_bulk(_bulk_scopes)
    content_version.install()


def card_cache(app: Flask | None = None) -> LRU | None:
    """The app's cache; None when it is turned off."""
    return (app or current_app).extensions.get(EXTENSION)


def card_scope(card_id: str) -> str:
    return f"card:{card_id}"


def client_scope(client_id: str) -> str:
    return f"client:{client_id}"


@dataclass(frozen=True)
class CardKey:
    """Everything a card's built views depend on besides the database."""

    card_id: str
    versions: tuple[str, ...]
    language: str
    zone: str
    day: str
    url: str

    def etag(self, *parts: str) -> str:
        fields = (self.card_id, *self.versions, self.language, self.zone, self.day, self.url)
        text = "|".join([*parts, *fields])
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def card_key(card: DischargeCard, url: str) -> CardKey:
    scopes = [CATALOG, card_scope(card.id)]
    if card.client_id:
        scopes.append(client_scope(card.client_id))
    return CardKey(
        card_id=card.id,
        versions=content_version.read(scopes),
        language=locale_code(),
        zone=network_zone().key,
        day=local_today().isoformat(),
        url=url,
    )


def cached(kind: str, key: CardKey, build: Callable[[], T]) -> T:
    """`build()` once per (kind, key) while it stays in this process's cache."""
    cache = card_cache()
    if cache is None:
        return build()
    return cache.get_or_build((kind, key), build)


# --- which scopes a write touches -------------------------------------------------------------


def _flushed_scopes(session: Any) -> set[str]:
    from app.plans.models import PlanAnswer, PlanItem, ReleasePlan
    from app.referrals.models import Referral

    scopes: set[str] = set()
    plan_of_item: dict[str, str] = {}
    client_of_plan: dict[str, str] = {}
    items: set[str] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, DischargeCard):
            scopes.add(card_scope(obj.id))
        elif isinstance(obj, DischargeCardEntry):
            scopes.add(card_scope(obj.card_id))
        elif isinstance(obj, Referral):
            scopes.add(client_scope(obj.client_id))
        elif isinstance(obj, ReleasePlan):
            client_of_plan[obj.id] = obj.client_id
        elif isinstance(obj, PlanItem):
            plan_of_item[obj.id] = obj.plan_id
        elif isinstance(obj, PlanAnswer):
            items.add(obj.item_id)
    items -= plan_of_item.keys()
    if not (items or plan_of_item or client_of_plan):
        return scopes
    conn = session.connection()
    if items:
        stmt = select(PlanItem.id, PlanItem.plan_id).where(PlanItem.id.in_(items))
        plan_of_item.update({i: p for i, p in conn.execute(stmt)})
    plans = set(plan_of_item.values()) - client_of_plan.keys()
    if plans:
        stmt = select(ReleasePlan.id, ReleasePlan.client_id).where(ReleasePlan.id.in_(plans))
        client_of_plan.update({p: c for p, c in conn.execute(stmt)})
    scopes.update(client_scope(c) for c in client_of_plan.values() if c)
    return scopes


def _bulk_scopes(state: Any) -> Iterable[str]:
    """An ORM bulk UPDATE/DELETE on a card's or a plan's rows: which cards and people, asked
    before it runs."""
    from app.plans.models import PlanAnswer, PlanItem, ReleasePlan
    from app.referrals.models import Referral

    mapper = state.bind_mapper
    model = mapper.class_ if mapper is not None else None
    queries = {
        DischargeCard: (card_scope, select(DischargeCard.id)),
        DischargeCardEntry: (card_scope, select(DischargeCardEntry.card_id)),
        Referral: (client_scope, select(Referral.client_id)),
        ReleasePlan: (client_scope, select(ReleasePlan.client_id)),
        PlanItem: (
            client_scope,
            select(ReleasePlan.client_id).join(PlanItem, PlanItem.plan_id == ReleasePlan.id),
        ),
        PlanAnswer: (
            client_scope,
            select(ReleasePlan.client_id)
            .join(PlanItem, PlanItem.plan_id == ReleasePlan.id)
            .join(PlanAnswer, PlanAnswer.item_id == PlanItem.id),
        ),
    }
    if model not in queries:
        return ()
    scope, stmt = queries[model]
    where = state.statement.whereclause
    if where is not None:
        stmt = stmt.where(where)
    return {scope(value) for value in state.session.connection().execute(stmt).scalars()}
