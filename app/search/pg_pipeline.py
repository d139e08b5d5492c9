"""Several statements in one round trip to PostgreSQL (psycopg's pipeline mode).

Why: a search used to wait for the database eight times (settings, lookups, its statement, the
page's five statements); on a 2-core machine each wait costs about half a millisecond of
scheduling on top of the work, and SQLAlchemy's result machinery as much again. Statements whose
inputs are known together are sent together: the settings with the lookups (or with the
statement itself when the lookups are remembered), the page's statements with one another.

The statements run on the session's own connection, in the request's transaction. A driver error
is raised as SQLAlchemy's (OperationalError for a lost connection, so the 503 handler answers it
as any other). Statements sent here bypass the engine's events: they are not logged either.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError


def driver_sql(session: Any, sql: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A text() statement (":name" parameters) as the driver's SQL and parameters; the parse
    of each distinct text is remembered (a search's statement is long and its shape repeats)."""
    driver_text, names = _compiled(sql, session.get_bind().dialect)
    return driver_text, {name: params[name] for name in names}


@functools.lru_cache(maxsize=256)
def _compiled(sql: str, dialect: Any) -> tuple[str, tuple[str, ...]]:
    compiled = text(sql).compile(dialect=dialect)
    return str(compiled), tuple(compiled.binds)


def send(session: Any, statements: Sequence[tuple[str, dict[str, Any]]]) -> list[tuple[list, Any]]:
    """Run (driver SQL, parameters) statements in one round trip: (rows, description) of each."""
    connection = session.connection()
    raw = connection.connection.dbapi_connection
    driver = connection.dialect.loaded_dbapi
    cursors, sql = [], ""
    try:
        with raw.pipeline():
            for sql, params in statements:
                cursor = raw.cursor()
                cursor.execute(sql, params)
                cursors.append(cursor)
        return [(cursor.fetchall(), cursor.description) for cursor in cursors]
    except driver.Error as error:
        raise DBAPIError.instance(sql, None, error, driver.Error) from error
