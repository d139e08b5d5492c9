"""Rebuilding every PostgreSQL search row (app.search.pg_build has the SQL of a row).

The rows are built by `WORKERS` connections side by side into fresh tables in a side schema
(indexes and foreign keys made after the bulk load, rows stored in the order of their place so
a radius reads few pages), vacuumed and analyzed there, then swapped in by one short
transaction. Searches keep reading the old tables until the swap; catalog changes wait for the
rebuild (an advisory lock that writers take shared), since a change made meanwhile would be
missing from the new rows; no DELETE leaves dead rows behind.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy import text

from app import content_version
from app.search import pg_lookups, pg_schema
from app.search.pg_build import (
    DOC_INSERT,
    DOCUMENTS,
    FACETS,
    HOURS,
    LOCK,
    POINTS,
    RULES,
    WORDS,
    params_for,
    where_for,
)

log = logging.getLogger(__name__)

WORKERS = 2  # connections that build rows and indexes side by side


def rebuild(engine: Any, workers: int = WORKERS) -> int:
    """Every search row anew, in fresh tables in a side schema, built by `workers` connections
    at once, then swapped in by one short transaction. Searches keep reading the old tables
    until the swap; catalog changes wait for the rebuild (they would be lost otherwise); no
    DELETE leaves dead rows. Returns the number of rows."""
    from concurrent.futures import ThreadPoolExecutor

    def step(sql: str, *, autocommit: bool = False) -> None:
        options = {"isolation_level": "AUTOCOMMIT"} if autocommit else {}
        with engine.connect().execution_options(**options) as conn:
            if not autocommit:
                conn.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
                conn.execute(text("SET LOCAL work_mem = '64MB'"))
            conn.execute(text(sql))
            conn.commit()

    side = None
    started = time.perf_counter()
    with engine.connect() as holder, ThreadPoolExecutor(workers) as pool:
        holder.execute(text(f"SELECT pg_advisory_lock({LOCK})"))
        holder.commit()
        try:
            with engine.begin() as conn:
                schema, side, ext = _side_tables(conn)
            t = side

            def fill(part: int) -> int:
                with engine.begin() as conn:
                    return _fill(conn, t, part, workers)

            count = sum(pool.map(fill, range(workers)))
            _timed("rows, points and hours", started)
            *indexes, words_index = [s.replace("{t}", t) for s in pg_schema.index_statements(ext)]
            shared = [
                RULES.format(t=t, **where_for(ids=False)),
                WORDS.format(t=t),
                FACETS.format(t=t),
                *indexes,
            ]
            list(pool.map(step, shared))
            for statement in [words_index, *pg_schema.constraint_statements()]:
                step(statement.replace("{t}", t))
            _timed("rules, words and indexes", started)
            # statistics, and all-visible pages (the point index answers alone)
            list(pool.map(lambda table: step(f"VACUUM (ANALYZE) {t}{table}", autocommit=True),
                          pg_schema.TABLES))  # fmt: skip
            _swap_when_free(engine, schema, t)
            _timed("vacuum and swap", started)
        except BaseException:
            if side is not None:
                with engine.begin() as conn:
                    conn.execute(text(f"DROP SCHEMA IF EXISTS {side[:-1]} CASCADE"))
            raise
        finally:
            holder.execute(text(f"SELECT pg_advisory_unlock({LOCK})"))
            holder.commit()
    return count


# The order in which a search takes its locks on the search tables (its lookups, then its
# statement): the swap takes them in the same order, so the two never wait on each other in a
# circle; and it gives up after SWAP_WAIT (below the deadlock check's 1 s), and tries again,
# rather than make a search wait long or fail.
LOCK_ORDER = (
    "search_word",
    "search_point",
    "search_rule",
    "search_document",
    "search_hours",
    "search_facet",
)
SWAP_WAIT = "300ms"
SWAP_TRIES = 50


def _swap_when_free(engine: Any, schema: str, t: str) -> None:
    from sqlalchemy.exc import OperationalError

    for attempt in range(SWAP_TRIES):
        try:
            with engine.begin() as conn:
                conn.execute(text(f"SET LOCAL lock_timeout = '{SWAP_WAIT}'"))
                present = [
                    table
                    for table in LOCK_ORDER
                    if conn.execute(text("SELECT to_regclass(:t)"), {"t": table}).scalar()
                ]
                if present:
                    names = ", ".join(f'"{schema}".{table}' for table in present)
                    conn.execute(text(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE"))
                _swap(conn, schema, t)
                # what was remembered of the old rows (the public search cache, a worker's
                # lookups: app.search.pg_lookups) is stale on every server from this commit
                content_version.bump(conn, ["search", pg_lookups.SCOPE])
            return
        except OperationalError:  # lock_timeout (or a deadlock): searches are running
            if attempt == SWAP_TRIES - 1:
                raise
            time.sleep(0.05 * (1 + attempt % 5))


def _timed(what: str, started: float) -> None:
    log.info("search rebuild: %s done after %.1f s", what, time.perf_counter() - started)


def rebuild_on(conn: Any) -> int:
    """`rebuild` in the caller's transaction on one connection (the migration's)."""
    schema, t, ext = _side_tables(conn)
    count = _fill(conn, t, 0, 1)
    _fill_shared(conn, t)
    for statement in pg_schema.index_statements(ext) + pg_schema.constraint_statements():
        conn.execute(text(statement.replace("{t}", t)))
    _analyze(conn, t)
    _swap(conn, schema, t)
    return count


def _side_tables(conn: Any) -> tuple[str, str, str]:
    """(current schema, side schema prefix, extension schema), the side tables made empty."""
    schema = conn.execute(text("SELECT current_schema()")).scalar_one()
    t = '"' + f"{schema}_search_build"[:63] + '".'
    ext = pg_schema.extension_schema(conn)
    conn.execute(text(f"DROP SCHEMA IF EXISTS {t[:-1]} CASCADE"))
    conn.execute(text(f"CREATE SCHEMA {t[:-1]}"))
    for statement in pg_schema.table_statements():
        conn.execute(text(statement.replace("{t}", t)))
    return schema, t, ext


def _fill(conn: Any, t: str, part: int, parts: int) -> int:
    """Rows, points and hours of one share of the services (by a hash of their id)."""
    conn.execute(text("SET LOCAL work_mem = '64MB'"))
    params = {**params_for(None), "part": part, "parts": parts}
    where = where_for(ids=False, share=parts > 1)
    documents = f"WITH RECURSIVE {DOCUMENTS} {DOC_INSERT}"
    count = conn.execute(text(documents.format(t=t, **where)), params).rowcount
    for template in (POINTS, HOURS):
        sql = template.format(t=t, docs=f"{t}search_document", **where)
        conn.execute(text(sql), params)
    return count


def _fill_shared(conn: Any, t: str) -> None:
    """What the shares have in common: the distinct rules, the words and the facet values."""
    conn.execute(text("SET LOCAL work_mem = '64MB'"))
    conn.execute(text(RULES.format(t=t, **where_for(ids=False))), params_for(None))
    conn.execute(text(WORDS.format(t=t)))
    conn.execute(text(FACETS.format(t=t)))


def _analyze(conn: Any, t: str) -> None:
    for table in pg_schema.TABLES:
        conn.execute(text(f"ANALYZE {t}{table}"))


def _swap(conn: Any, schema: str, t: str) -> None:
    for table in pg_schema.TABLES:
        conn.execute(text(f'DROP TABLE IF EXISTS "{schema}".{table} CASCADE'))
    for sequence in pg_schema.SEQUENCES:
        conn.execute(text(f'DROP SEQUENCE IF EXISTS "{schema}".{sequence}'))
    for table in pg_schema.TABLES:
        conn.execute(text(f'ALTER TABLE {t}{table} SET SCHEMA "{schema}"'))
    conn.execute(text(f"DROP SCHEMA {t[:-1]}"))
