"""The audit trail: who, when, what. Admins read it; nobody edits it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.append_only import append_only
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


# Nobody edits the trail: the ORM and the database refuse UPDATE and DELETE (app.append_only).
APPEND_ONLY_MESSAGE = "the audit trail is append-only"
SQLITE_TRIGGERS = append_only(AuditEntry, APPEND_ONLY_MESSAGE)
