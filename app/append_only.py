"""Rows that are never changed once written (the audit trail, a plan's versions).

The ORM refuses UPDATE and DELETE, and so does the database, so no raw SQL, script or console
can rewrite history. Each table's migration carries a frozen copy of the statements built here;
create_all() (tests, a new database without migrations) gets them from the `after_create`
events registered here. TRUNCATE stays possible on PostgreSQL (row triggers do not fire on it):
emptying a whole table is an operator's act.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import DDL, event


def append_only(model: Any, message: str) -> dict[str, str]:
    """Make `model`'s rows append-only; returns its SQLite triggers by name (tests lift them
    to empty the table between tests)."""
    table = model.__table__.name

    def refuse(mapper, connection, target) -> None:  # noqa: ANN001
        raise PermissionError(message)

    event.listen(model, "before_update", refuse)
    event.listen(model, "before_delete", refuse)

    sqlite = {
        f"{table}_no_{verb.lower()}": (
            f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )
        for verb in ("UPDATE", "DELETE")
    }
    postgres = (
        f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()",
    )
    for statement in sqlite.values():
        event.listen(model.__table__, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    for statement in postgres:
        event.listen(
            model.__table__, "after_create", DDL(statement).execute_if(dialect="postgresql")
        )
    return sqlite
