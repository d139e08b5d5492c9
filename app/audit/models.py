"""The audit trail: who, when, what. Admins read it; nobody edits it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DDL, JSON, ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column

from app.common import UTCDateTime, new_id, utcnow
from app.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(String(50), index=True)  # client.view, consent.revoke...
    object_type: Mapped[str] = mapped_column(String(50))
    object_id: Mapped[str] = mapped_column(String(36), index=True)
    client_id: Mapped[str | None] = mapped_column(String(36), index=True)
    # Field names and codes only, never personal values.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _audit_is_immutable(mapper, connection, target) -> None:  # noqa: ANN001
    raise PermissionError("the audit trail is append-only")


# The database refuses UPDATE and DELETE too, so no raw SQL, script or console can rewrite
# history. The migration carries a frozen copy of these statements; create_all() (tests, a new
# database without migrations) gets them from the events below. TRUNCATE stays possible on
# PostgreSQL (row triggers do not fire on it): emptying the whole table is an operator's act.
APPEND_ONLY_MESSAGE = "the audit trail is append-only"

SQLITE_TRIGGERS = {
    "audit_entry_no_update": (
        "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
    ),
    "audit_entry_no_delete": (
        "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry "
        f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
    ),
}

POSTGRES_STATEMENTS = (
    "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END $$",
    "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()",
)

for _statement in SQLITE_TRIGGERS.values():
    event.listen(AuditEntry.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRES_STATEMENTS:
    event.listen(
        AuditEntry.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql")
    )
