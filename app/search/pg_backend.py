"""The PostgreSQL search backend: search rows written in the catalog change's own transaction.

Why: with several web servers on one database, a search must see every committed change at
once, on every server. So there is no queue and no index folder: app.search.sync calls `write`
from the session's before_commit hook with the services the transaction changed, and their
search rows (app.search.pg_schema, built by app.search.pg_build) commit or roll back with the
change itself. A search is one SQL statement (app.search.pg_plan); no process keeps a copy of
any row, so a worker's memory does not grow with the directory.

`rebuild` builds every row anew in fresh tables and swaps them in at commit (readers keep
seeing the old rows until then); `flask search rebuild` runs it, never a request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import text

from app.search import pg_build, pg_rebuild, pg_schema

log = logging.getLogger(__name__)

write = pg_build.write
rebuild = pg_rebuild.rebuild


class PostgresBackend:
    """Search rows in the application's PostgreSQL database (see the module docstring)."""

    def _session(self) -> Any:
        from app.extensions import db

        return db.session

    def rebuild(self) -> int:
        session = self._session()
        session.commit()  # this session must hold no lock on the tables the rebuild swaps
        return rebuild(session.get_bind())

    def update(self, ids: Iterable[str]) -> None:
        session = self._session()
        write(session, ids)
        session.commit()

    def delete(self, ids: Iterable[str]) -> None:
        session = self._session()
        session.execute(
            text("DELETE FROM search_document WHERE service_id = ANY(:ids)"), {"ids": list(ids)}
        )
        session.commit()

    def plan(self, ctx: Any) -> Any:
        """The page plan of one search, in SQL (app.search.pg_plan)."""
        from app.search.pg_plan import plan

        session = self._session()
        ext = self._ready(session)
        return plan(session, ext, ctx)  # it sends the statement's settings (SETTINGS_SQL) too

    def run(self, action: Callable[[Any], object]) -> object:
        raise NotImplementedError("the postgres backend plans in SQL: use plan()")

    def _ready(self, session: Any) -> str:
        from app.search.rebuild import IndexUnavailable

        ext = extension_schema_of(session)
        if ext is None:
            raise IndexUnavailable(
                "unusable", "the PostgreSQL search tables are missing: run `flask db upgrade`"
            )
        return ext


def has_rows(session: Any) -> bool:
    return session.execute(text("SELECT EXISTS (SELECT 1 FROM search_document)")).scalar_one()


_ext_schema: dict[Any, str] = {}


def extension_schema_of(session: Any) -> str | None:
    """The schema of pg_trgm for this engine, once the search tables exist (else None)."""
    engine = session.get_bind()
    found = _ext_schema.get(engine)
    if found is None:
        conn = session.connection()
        if not pg_schema.present(conn):
            return None
        found = conn.execute(
            text(
                "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
            )
        ).scalar_one()
        _ext_schema[engine] = found
    return found
