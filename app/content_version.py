"""Content versions: one token per scope ("catalog", "card:<id>", ...) that changes in the same
transaction as anything the scope covers, so a cache keyed on the tokens is right on every web
server sharing the database, with one primary-key read per page.

Who bumps: nobody by hand. Watchers registered here see every write and name the scopes it
touches; the session's `before_commit` replaces those scopes' tokens just before the commit, so
the new tokens and the change commit (or roll back) together.

- `watch_tables(scope, names)`: any INSERT, UPDATE or DELETE on these tables, through the ORM's
  flush, an ORM bulk statement or plain Core (`session.connection().execute(...)`: the HSDS
  import, the synthetic generator), bumps `scope`. Seen at the Core level (`after_execute`).
- `watch_flush(fn)`: `fn(session)` names scopes from the objects of each flush (row-level
  scopes such as one card's).
- `watch_bulk(fn)`: `fn(orm_execute_state)` names scopes for an ORM bulk UPDATE/DELETE before
  it runs.

Tokens are random, not counters: a database restored from a backup brings back tokens whose
cached content is exactly what it holds, and a counter could repeat a number that was cached
for different content. Each bump writes one row per scope (an upsert, in sorted order so two
transactions lock rows in the same order), as the last write before COMMIT, so the row lock is
held only for the commit itself.

Not seen: SQL typed as text (`exec_driver_sql`, psql by hand) and writes committed outside the
app's session. Caches built on these tokens also expire after a while (CARD_CACHE_SECONDS) for
that reason.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import String, event, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.common import UTCDateTime, utcnow
from app.extensions import db

log = logging.getLogger(__name__)

PENDING = "content_version_pending"
CONNECTION = "content_version_connection"  # the session's connection, once it has one
MISSING = "-"  # the token of a scope never bumped

FlushWatcher = Callable[[Session], Iterable[str]]
BulkWatcher = Callable[[Any], Iterable[str]]

_table_scopes: dict[str, set[str]] = {}
_flush_watchers: list[FlushWatcher] = []
_bulk_watchers: list[BulkWatcher] = []
_installed = False


class ContentVersion(db.Model):
    """The current token of one scope; a scope with no row has never changed (MISSING)."""

    __tablename__ = "content_version"

    scope: Mapped[str] = mapped_column(String(80), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- registering ----------------------------------------------------------------------------


def watch_tables(scope: str, names: Iterable[str]) -> None:
    for name in names:
        _table_scopes.setdefault(name, set()).add(scope)


def watch_flush(fn: FlushWatcher) -> None:
    if fn not in _flush_watchers:
        _flush_watchers.append(fn)


def watch_bulk(fn: BulkWatcher) -> None:
    if fn not in _bulk_watchers:
        _bulk_watchers.append(fn)


def install() -> None:
    """Turn the listeners on (once per process; every app and engine shares them)."""
    global _installed
    if _installed:
        return
    from flask_sqlalchemy.session import Session as AppSession

    event.listen(Engine, "after_execute", _after_execute)
    event.listen(Engine, "commit", _forget)
    event.listen(Engine, "rollback", _forget)
    event.listen(AppSession, "after_flush", _after_flush)
    event.listen(AppSession, "do_orm_execute", _before_bulk)
    event.listen(AppSession, "before_commit", _before_commit)
    event.listen(AppSession, "after_begin", _after_begin)
    event.listen(AppSession, "after_transaction_end", _after_transaction_end)
    _installed = True


# --- reading and bumping --------------------------------------------------------------------


def read(scopes: list[str]) -> tuple[str, ...]:
    """The scopes' current tokens, in order: one primary-key query."""
    rows = db.session.execute(
        select(ContentVersion.scope, ContentVersion.token).where(ContentVersion.scope.in_(scopes))
    )
    found = {scope: token for scope, token in rows}
    return tuple(found.get(scope, MISSING) for scope in scopes)


def mark(connection: Connection, scopes: Iterable[str]) -> None:
    """These scopes changed in the connection's transaction: bump them when it commits."""
    scopes = {s for s in scopes if s}
    if scopes:
        connection.info.setdefault(PENDING, set()).update(scopes)


def pending(session: Session) -> frozenset[str]:
    """The scopes the session's transaction has changed and not yet committed: what it reads of
    them is under no version yet, so it must not be remembered for anyone else."""
    connection = session.info.get(CONNECTION)
    return frozenset(connection.info.get(PENDING, ()) if connection is not None else ())


def wrote_table(connection: Connection, table_name: str) -> None:
    """A write the listeners cannot see (PostgreSQL COPY on the raw cursor) went to this table."""
    mark(connection, _table_scopes.get(table_name, ()))


def bump(connection: Connection, scopes: Iterable[str]) -> None:
    """New tokens for these scopes, now, in the connection's transaction."""
    rows = [
        {"scope": scope, "token": secrets.token_hex(8), "changed_at": utcnow()}
        for scope in sorted(set(scopes))
    ]
    if not rows:
        return
    dialect = connection.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - Partners runs on SQLite and PostgreSQL only
        raise RuntimeError(f"content versions: no upsert for {dialect}")
    statement = insert(ContentVersion.__table__).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=["scope"],
        set_={"token": statement.excluded.token, "changed_at": statement.excluded.changed_at},
    )
    connection.execute(statement)


# --- listeners ------------------------------------------------------------------------------


def _after_execute(conn: Connection, clause: Any, *_: Any) -> None:
    if not getattr(clause, "is_dml", False):
        return
    scopes = _table_scopes.get(getattr(getattr(clause, "table", None), "name", None))
    if scopes:
        mark(conn, scopes)


def _forget(conn: Connection) -> None:
    """A transaction ended: what it marked is bumped already (committed through the session)
    or moot (rolled back, or written outside the app's session)."""
    if conn.invalidated:  # the database went away mid-transaction: nothing to forget on it
        return
    conn.info.pop(PENDING, None)


def _after_flush(session: Session, _context: Any) -> None:
    if not _flush_watchers:
        return
    scopes: set[str] = set()
    for watcher in _flush_watchers:
        scopes.update(watcher(session))
    if scopes:
        mark(session.connection(), scopes)


def _before_bulk(state: Any) -> None:
    if not (state.is_update or state.is_delete) or not _bulk_watchers:
        return
    scopes: set[str] = set()
    for watcher in _bulk_watchers:
        scopes.update(watcher(state))
    if scopes:
        mark(state.session.connection(), scopes)


def _after_begin(session: Session, _transaction: Any, connection: Connection) -> None:
    session.info[CONNECTION] = connection


def _after_transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(CONNECTION, None)


def _before_commit(session: Session) -> None:
    session.flush()  # the last flush runs after this hook: see its writes now
    connection = session.info.get(CONNECTION)
    if connection is None:  # nothing read or written: nothing to bump
        return
    scopes = connection.info.pop(PENDING, None)
    if scopes:
        bump(connection, scopes)
