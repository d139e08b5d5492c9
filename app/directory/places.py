"""Taking one place (a bed) off a capacity figure when a referral is accepted.

Why a conditional UPDATE and not read-then-write: two providers accepting at the same moment
must not both get the last bed. `UPDATE ... SET available = available - 1 WHERE id = :id AND
available > 0` is atomic on SQLite (one writer at a time) and on PostgreSQL (the second UPDATE
waits for the first row lock, then re-checks the WHERE on the committed row), so exactly one
caller sees rowcount 1. Flushes only; the caller commits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import case, update

from app.common import utcnow
from app.directory.models import CapacityHistory, ServiceCapacity
from app.directory.vocabulary import CapacityStatus
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User

_PLAIN = (CapacityStatus.HAS_CAPACITY, CapacityStatus.NO_CAPACITY)


def take_one_place(capacity: ServiceCapacity, actor: User | None) -> tuple[int, int] | None:
    """Take one place if one is open now (in the database, not in this session's copy).

    Returns (available before, available after), or None when none was left. The figure's
    version is bumped, so an editor holding the old figure is told it changed.
    """
    old_status = capacity.status
    c = ServiceCapacity
    # Last place taken: "full". Otherwise a plain has-room/full status follows the number; a
    # chosen one (waitlist, assessment required) is kept.
    kept = case((c.status.in_(_PLAIN), CapacityStatus.HAS_CAPACITY), else_=c.status)
    new_status = case(
        (c.available > 1, kept),
        else_=CapacityStatus.NO_CAPACITY,
    )
    now = utcnow()
    result = db.session.execute(
        update(c)
        .where(c.id == capacity.id, c.available > 0)
        .values(
            available=c.available - 1,
            status=new_status,
            version=c.version + 1,
            updated=now,
            updated_by_id=actor.id if actor is not None else None,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return None
    db.session.refresh(capacity)  # the row is ours until commit: these are the values we wrote
    after = capacity.available or 0
    db.session.add(
        CapacityHistory(
            capacity=capacity,
            changed_at=now,
            changed_by=actor,
            action="update",
            old_available=after + 1,
            new_available=after,
            old_maximum=capacity.maximum,
            new_maximum=capacity.maximum,
            old_status=str(old_status) if old_status is not None else None,
            new_status=str(capacity.status),
        )
    )
    db.session.flush()
    return after + 1, after
