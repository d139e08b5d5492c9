"""Keeping the index in step with the database: after each commit, never inside it.

- `after_flush` (and `do_orm_execute` for bulk UPDATE/DELETE statements) collects the ids of
  services whose indexed copy may have changed: the service itself, its capacity figures,
  eligibility rules, languages, schedules and locations, its organization, its taxonomy terms.
- `after_commit` hands those ids to the one writer (`submit`); `after_rollback` drops them.
  Everything here runs after the database write is final, and any failure is logged, never
  raised, so it can never lose the write. What it misses, `flask search rebuild` recovers.
- `submit` appends the ids to the durable queue (app.search.queue) and then applies the queue
  if no other process is writing: inline (SEARCH_SYNC="inline", the default under tests and
  CLI-style use) or off the request (SEARCH_SYNC="background", the default for the web app): a
  `search_queue` job when a job queue is configured (app.jobs), else a background thread of this
  process, so a request never waits for the index. SEARCH_SYNC="off" only
  queues.
- With SEARCH_BACKEND="postgres" there is no queue: `before_commit` writes the changed services'
  search rows (app.search.pg_backend) in the same transaction, so they commit or roll back with
  the change and every server sees them at once.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import threading
import time
from itertools import chain
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, select

from app.search import queue as wqueue

log = logging.getLogger(__name__)

PENDING = "search_pending_ids"
EXTENSION = "partners_search"
RETRIES = 3
RETRY_DELAY = 0.5  # seconds, doubled on each retry
_installed = False


def init_search(app: Flask) -> None:
    """Turn on after-commit index updates for this app (listeners are installed once)."""
    mode = app.config.get("SEARCH_SYNC") or ("inline" if app.testing else "background")
    app.extensions[EXTENSION] = {"mode": mode}
    backend_name(app)  # a wrong SEARCH_BACKEND stops the start, not the first search
    _install_listeners()
    from app.search import pg_lookups

    pg_lookups.watch()


def backend_name(app: Flask) -> str:
    """ "whoosh" or "postgres" (config.search_backend decides the default)."""
    from config import search_backend

    return search_backend(app.config.get("SEARCH_BACKEND"), app.config["SQLALCHEMY_DATABASE_URI"])


def _install_listeners() -> None:
    global _installed
    if _installed:
        return
    from flask_sqlalchemy.session import Session

    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "do_orm_execute", _before_bulk)
    event.listen(Session, "before_commit", _before_commit)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)
    _installed = True


# --- collecting ---------------------------------------------------------------------------------


def _after_flush(session: Any, flush_context: Any) -> None:
    try:
        session.info.setdefault(PENDING, set()).update(_changed_services(session))
    except Exception:  # noqa: BLE001 - indexing must never break a write
        log.exception("search: could not work out which services changed")


def _changed_services(session: Any) -> set[str]:
    from app.directory.models import (
        Address,
        EligibilityRule,
        Language,
        Location,
        Organization,
        Schedule,
        Service,
        ServiceAtLocation,
        ServiceCapacity,
        TaxonomyTerm,
        service_taxonomy_term,
    )
    from app.public.models import ServiceTranslation

    ids: set[str] = set()
    locations: set[str] = set()
    organizations: set[str] = set()
    terms: set[str] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Service):
            ids.add(obj.id)
        elif isinstance(
            obj, ServiceCapacity | EligibilityRule | ServiceAtLocation | ServiceTranslation
        ):
            ids.add(obj.service_id)
        elif isinstance(obj, Language | Schedule):
            if obj.service_id:
                ids.add(obj.service_id)
            elif obj.location_id:
                locations.add(obj.location_id)
        elif isinstance(obj, Location):
            locations.add(obj.id)
        elif isinstance(obj, Address):
            locations.add(obj.location_id)
        elif isinstance(obj, Organization):
            organizations.add(obj.id)
        elif isinstance(obj, TaxonomyTerm):
            terms.add(obj.id)
    conn = session.connection()
    if locations:
        stmt = select(ServiceAtLocation.service_id).where(
            ServiceAtLocation.location_id.in_(locations)
        )
        ids.update(conn.execute(stmt).scalars())
    if organizations:
        stmt = select(Service.id).where(Service.organization_id.in_(organizations))
        ids.update(conn.execute(stmt).scalars())
    if terms:
        link = service_taxonomy_term.c
        stmt = select(link.service_id).where(link.taxonomy_term_id.in_(terms))
        ids.update(conn.execute(stmt).scalars())
    ids.discard(None)  # type: ignore[arg-type]
    return ids


def _before_bulk(state: Any) -> None:
    """A bulk UPDATE/DELETE (e.g. "mark verified") changes rows without objects: ask first."""
    if not (state.is_update or state.is_delete):
        return
    try:
        from app.directory.models import (
            EligibilityRule,
            Service,
            ServiceAtLocation,
            ServiceCapacity,
        )

        mapper = state.bind_mapper
        column = {
            Service: Service.id,
            ServiceCapacity: ServiceCapacity.service_id,
            EligibilityRule: EligibilityRule.service_id,
            ServiceAtLocation: ServiceAtLocation.service_id,
        }.get(mapper.class_ if mapper is not None else None)
        if column is None:
            return
        where = state.statement.whereclause
        stmt = select(column) if where is None else select(column).where(where)
        found = state.session.connection().execute(stmt).scalars()
        state.session.info.setdefault(PENDING, set()).update(found)
    except Exception:  # noqa: BLE001
        log.exception("search: could not work out which services a bulk statement changes")


def _before_commit(session: Any) -> None:
    """PostgreSQL backend: write the changed services' search rows in this transaction. A
    failure here fails the commit, so the catalog and its search rows never disagree."""
    if not has_app_context() or EXTENSION not in current_app.extensions:
        return
    if backend_name(current_app) != "postgres":
        return
    from app.extensions import db
    from app.search import pg_backend

    if session is not db.session.registry():
        if session.info.get(PENDING):
            log.error("search: a commit outside the app's session changed services; run rebuild")
        return
    session.flush()  # the last flush runs after this hook: collect its ids now
    ids = session.info.pop(PENDING, None)
    if ids and pg_backend.extension_schema_of(session) is not None:
        pg_backend.write(session, ids)
        session.info.pop(PENDING, None)  # the write's own reads flushed nothing new


def _after_commit(session: Any) -> None:
    ids = session.info.pop(PENDING, None)
    if not ids or not has_app_context() or EXTENSION not in current_app.extensions:
        return
    if backend_name(current_app) != "whoosh":
        return
    try:
        submit(current_app._get_current_object(), ids)  # noqa: SLF001
    except Exception:  # noqa: BLE001 - the commit stands; rebuild recovers
        log.exception("search: could not queue %d changed services", len(ids))


def _after_rollback(session: Any) -> None:
    session.info.pop(PENDING, None)


# --- the one writer -----------------------------------------------------------------------------


def submit(app: Flask, ids: set[str] | list[str]) -> None:
    """Queue these services for re-indexing and get them applied by the one writer."""
    from app.search.index import index_exists

    path = Path(app.config["SEARCH_INDEX_DIR"])
    mode = app.extensions.get(EXTENSION, {}).get("mode", "inline")
    if not index_exists(path):
        # No index yet: the first search builds one from the database, which already holds
        # this commit. Unless a build is running now and read the database before it.
        with wqueue.writer_lock(path, wait=False) as free:
            if free and not index_exists(path):
                return
    wqueue.enqueue(path, ids)
    if mode == "inline":
        drain(app, path)
    elif mode == "background":
        _apply_elsewhere(app, path)


def _apply_elsewhere(app: Flask, path: Path) -> None:
    """Off the request: the job worker's `search_queue` job when a queue is configured (the
    worker shares this server's index folder), else this process's writer thread. If Redis does
    not answer, the thread does it, so the index does not fall behind while Redis is down."""
    from app.jobs import runner

    if runner.enabled(app) and runner.enqueue(app, "search_queue"):
        return
    _worker(app, path).kick()


def drain(app: Flask, path: Path) -> str:
    """Apply the queue unless another writer holds the lock ("busy": it applies our entries
    before it lets go, because it looks again after releasing). Returns done/busy/failed."""
    while wqueue.pending(path):
        with wqueue.writer_lock(path, wait=False) as got:
            if not got:
                return "busy"
            if not _apply_with_retries(app, path):
                return "failed"
    return "done"


def _apply_with_retries(app: Flask, path: Path) -> bool:
    from app.search.index import apply_queue

    delay = RETRY_DELAY
    for attempt in range(RETRIES):
        try:
            with app.app_context():  # its own database session, never the caller's
                apply_queue(path)
            return True
        except Exception:  # noqa: BLE001
            log.warning("search: index update failed (attempt %d)", attempt + 1, exc_info=True)
            time.sleep(delay)
            delay *= 2
    log.error("search: queued index updates left for later (flask search rebuild recovers)")
    return False


class _Worker:
    """One background thread per process and index: requests only set an event."""

    def __init__(self, app: Flask, path: Path) -> None:
        self.app, self.path = app, path
        self.event = threading.Event()
        self.thread = threading.Thread(target=self._run, name="search-index-writer", daemon=True)
        self.thread.start()

    def kick(self) -> None:
        self.event.set()

    def _run(self) -> None:
        while True:
            self.event.wait()
            self.event.clear()
            try:
                if drain(self.app, self.path) == "failed":
                    time.sleep(30)
                    self.event.set()
            except Exception:  # noqa: BLE001 - keep the writer alive
                log.exception("search: background index writer")

    def finish(self, timeout: float = 10.0) -> None:
        """At exit: apply what is still queued, briefly (what is left stays queued)."""
        deadline = time.monotonic() + timeout
        while wqueue.pending(self.path) and time.monotonic() < deadline:
            if drain(self.app, self.path) != "busy":
                return
            time.sleep(0.1)


_workers: dict[str, _Worker] = {}
_workers_lock = threading.Lock()


def _worker(app: Flask, path: Path) -> _Worker:
    key = str(path.absolute())
    with _workers_lock:
        worker = _workers.get(key)
        if worker is None or not worker.thread.is_alive():
            worker = _workers[key] = _Worker(app, path)
    return worker


def kick_if_pending(app: Flask) -> None:
    """Readers call this: queued work left by a process that exited is picked up, in the
    background (never inline: a reader must not wait for a write)."""
    path = Path(app.config["SEARCH_INDEX_DIR"])
    if backend_name(app) != "whoosh":
        return
    if app.extensions.get(EXTENSION, {}).get("mode") == "background" and wqueue.pending(path):
        _apply_elsewhere(app, path)


@atexit.register
def _finish_workers() -> None:
    for worker in list(_workers.values()):
        with contextlib.suppress(Exception):  # exiting anyway; the queue keeps the work
            worker.finish()
