"""Write and read the audit trail. Entries hold field names and codes, never personal values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, select

from app.audit.models import AuditEntry
from app.common import utcnow
from app.extensions import db

if TYPE_CHECKING:
    from datetime import datetime

    from app.accounts.models import User


def record(
    action: str,
    obj: Any,
    actor: User | None,
    *,
    client_id: str | None = None,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Add one entry in the caller's transaction (the caller flushes and commits)."""
    entry = AuditEntry(
        at=at or utcnow(),
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=obj.id,
        client_id=client_id,
        details=details or {},
    )
    db.session.add(entry)
    return entry


def audit_query(
    *,
    client_id: str | None = None,
    actor_id: str | None = None,
    action: str | None = None,
) -> Select[tuple[AuditEntry]]:
    """Newest first, optionally narrowed to one client, one person or one action."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id)
    if client_id:
        query = query.where(AuditEntry.client_id == client_id)
    if actor_id:
        query = query.where(AuditEntry.actor_id == actor_id)
    if action:
        query = query.where(AuditEntry.action == action)
    return query
