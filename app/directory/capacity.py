"""Capacity rules: how old a figure is, whether it means room, and the changes that write history.

Transactions: these functions only flush. The caller (a view, the API, the CLI) owns the
transaction: it commits once on success and rolls back when one of these functions raises.
They never roll back themselves, so a caller's other pending work is never silently lost.
When a concurrent transaction won the race (SQLAlchemy's StaleDataError at flush), the current
row is read on a separate connection, outside the caller's now unusable transaction, so the
StaleCapacityError can still say who changed the figure and what it says now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.common import INT_COLUMN_MAX, utcnow
from app.directory.models import CapacityHistory, ServiceCapacity, Unit
from app.directory.vocabulary import CapacityStatus
from app.domain_errors import DomainError
from app.extensions import db
from app.templating import age_in_words

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.directory.models import Service

AVAILABLE_OVER_MAXIMUM = "Available cannot be more than the maximum"


class CapacityError(DomainError, ValueError):
    """A figure that cannot be saved; `field` names the form field the message belongs to."""

    status = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field)


@dataclass(frozen=True)
class CapacitySnapshot:
    """A capacity figure as it is in the database now, detached from any session."""

    id: str
    version: int
    available: int | None
    maximum: int | None
    status: CapacityStatus
    waitlist_length: int | None
    expected_wait: str | None
    updated: datetime
    updated_by_name: str | None
    unit_name: str

    @classmethod
    def of(cls, capacity: ServiceCapacity) -> CapacitySnapshot:
        return cls(
            id=capacity.id,
            version=capacity.version,
            available=capacity.available,
            maximum=capacity.maximum,
            status=CapacityStatus(capacity.status),
            waitlist_length=capacity.waitlist_length,
            expected_wait=capacity.expected_wait,
            updated=capacity.updated,
            updated_by_name=capacity.updated_by.name if capacity.updated_by else None,
            unit_name=capacity.unit.name if capacity.unit else "places",
        )


class CapacityGone(DomainError, LookupError):
    """The figure was deleted while someone was saving it."""

    status = 404

    def __init__(self, capacity_id: str) -> None:
        super().__init__("That figure was deleted meanwhile.")
        self.capacity_id = capacity_id


class StaleCapacityError(DomainError):
    """Someone else changed the figure after this user loaded it; nothing was saved."""

    status = 409

    def __init__(self, current: CapacitySnapshot) -> None:
        self.current = current
        super().__init__(conflict_message(current))

    def problem_extra(self) -> dict[str, Any]:
        current = self.current
        return {
            "current": {
                "version": current.version,
                "available": current.available,
                "maximum": current.maximum,
                "status": current.status.value,
                "updated": current.updated.isoformat(),
            }
        }


# --- reading a figure ---------------------------------------------------------------------------


def _stale_days(stale_days: int | None) -> int:
    return current_app.config["CAPACITY_STALE_DAYS"] if stale_days is None else stale_days


def is_stale(
    capacity: ServiceCapacity | CapacitySnapshot,
    *,
    now: datetime | None = None,
    stale_days: int | None = None,
) -> bool:
    """A figure nobody has confirmed within the limit is treated as unknown."""
    if capacity.updated is None:
        return True
    return (now or utcnow()) - capacity.updated > timedelta(days=_stale_days(stale_days))


def has_room(
    capacity: ServiceCapacity,
    *,
    now: datetime | None = None,
    stale_days: int | None = None,
) -> bool:
    """Room only when the figure is fresh, says "has room", and does not say none are open."""
    if is_stale(capacity, now=now, stale_days=stale_days):
        return False
    if capacity.status != CapacityStatus.HAS_CAPACITY:
        return False
    return capacity.available is None or capacity.available > 0


def service_has_room(
    service: Service, *, now: datetime | None = None, stale_days: int | None = None
) -> bool:
    return any(has_room(c, now=now, stale_days=stale_days) for c in service.capacities)


def _noun(unit_name: str, count: int | None) -> str:
    noun = unit_name.lower()
    if count == 1 and noun.endswith("s"):
        return noun[:-1]
    return noun


def figure_text(capacity: ServiceCapacity | CapacitySnapshot) -> str:
    """The numbers in words: '3 of 10 beds open', '3 beds open' or '' when no count is given."""
    unit_name = (
        capacity.unit_name
        if isinstance(capacity, CapacitySnapshot)
        else (capacity.unit.name if capacity.unit else "places")
    )
    if capacity.available is None:
        return ""
    if capacity.maximum is not None:
        return f"{capacity.available} of {capacity.maximum} {_noun(unit_name, 2)} open"
    return f"{capacity.available} {_noun(unit_name, capacity.available)} open"


def waitlist_text(capacity: ServiceCapacity | CapacitySnapshot) -> str:
    """'12 waiting, about 3 weeks' (either part may be missing)."""
    parts = []
    if capacity.waitlist_length is not None:
        parts.append(f"{capacity.waitlist_length} waiting")
    if capacity.expected_wait:
        wait = capacity.expected_wait.strip()
        parts.append(wait if wait.lower().startswith("about") else f"about {wait}")
    return ", ".join(parts)


def capacity_line(
    capacity: ServiceCapacity, *, now: datetime | None = None, stale_days: int | None = None
) -> str:
    """One figure in plain words; a stale one only says how old it is."""
    now = now or utcnow()
    if is_stale(capacity, now=now, stale_days=stale_days):
        return f"Unknown — figure is {(now - capacity.updated).days} days old"
    updated = f"updated {age_in_words(capacity.updated, now)}"
    status = CapacityStatus(capacity.status)
    if status == CapacityStatus.HAS_CAPACITY:
        head = figure_text(capacity) or status.label
    elif status == CapacityStatus.WAITLIST:
        detail = waitlist_text(capacity)
        head = f"Waitlist ({detail})" if detail else "Waitlist"
    else:
        head = status.label
    return f"{head} · {updated}"


def capacity_summary(
    service: Service, *, now: datetime | None = None, stale_days: int | None = None
) -> str:
    """A short line for a list row: each figure of the service, or 'No capacity listed'."""
    if not service.capacities:
        return "No capacity listed"
    return "; ".join(capacity_line(c, now=now, stale_days=stale_days) for c in service.capacities)


def conflict_message(current: CapacitySnapshot, now: datetime | None = None) -> str:
    """What a user whose save lost to someone else's needs to know to try again."""
    who = current.updated_by_name or "name not recorded"
    says = ", ".join(p for p in (figure_text(current), CapacityStatus(current.status).label) if p)
    return (
        f"Someone else updated this {age_in_words(current.updated, now)} ({who}). "
        f"It now says {says}. Your change was not saved — check the figure and save again."
    )


def read_current(capacity_id: str) -> CapacitySnapshot | None:
    """The committed row, read on its own connection (the caller's transaction may be failed)."""
    with Session(db.engine) as session:
        capacity = session.scalar(
            select(ServiceCapacity)
            .where(ServiceCapacity.id == capacity_id)
            .options(selectinload(ServiceCapacity.updated_by), selectinload(ServiceCapacity.unit))
        )
        return CapacitySnapshot.of(capacity) if capacity is not None else None


def conflict_for(capacity_id: str) -> StaleCapacityError:
    """The error to raise when a flush or commit found the row changed (CapacityGone if deleted)."""
    current = read_current(capacity_id)
    if current is None:  # deleted meanwhile: nothing sensible to compare with
        raise CapacityGone(capacity_id)
    return StaleCapacityError(current)


# --- changing a figure --------------------------------------------------------------------------


COUNT_LIMIT = INT_COLUMN_MAX
WAIT_LENGTH: int = ServiceCapacity.__table__.c.expected_wait.type.length  # type: ignore[attr-defined]
COUNT_LABELS = {"available": "Available", "maximum": "Maximum", "waitlist_length": "People waiting"}


def validate_figures(
    *, available: Any = None, maximum: Any = None, waitlist_length: Any = None,
    expected_wait: Any = None, over_maximum_ok: bool = False,
) -> None:  # fmt: skip
    """The one check of a figure, for the capacity page, the API and the HSDS import: counts
    are whole numbers from 0 to 2,147,483,647, available is not over maximum (the import only
    warns: HSDS data, the spec's own example too, often says so), and the expected wait is text
    that fits its column. Raises CapacityError naming the field."""
    counts = {"available": available, "maximum": maximum, "waitlist_length": waitlist_length}
    for field, value in counts.items():
        label = COUNT_LABELS[field]
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise CapacityError(field, f"{label} must be a whole number")
        if value < 0:
            raise CapacityError(field, f"{label} cannot be a negative number")
        if value > COUNT_LIMIT:
            raise CapacityError(field, f"{label} is too large (at most {COUNT_LIMIT:,})")
    over = available is not None and maximum is not None and available > maximum
    if over and not over_maximum_ok:
        raise CapacityError("available", AVAILABLE_OVER_MAXIMUM)
    if expected_wait is not None and not isinstance(expected_wait, str):
        raise CapacityError("expected_wait", "Expected wait must be text, like “about 3 weeks”")
    if expected_wait and len(expected_wait.strip()) > WAIT_LENGTH:
        raise CapacityError("expected_wait", f"Expected wait is longer than {WAIT_LENGTH} "
                            "characters; say it shorter, like “about 3 weeks”")  # fmt: skip


def _resolve_status(
    available: int | None, status: CapacityStatus | str | None, fallback: CapacityStatus | None
) -> CapacityStatus:
    """Has room / full follow the number open unless a status is chosen; chosen ones must agree."""
    if status:
        status = CapacityStatus(status)
        if status == CapacityStatus.HAS_CAPACITY and available == 0:
            raise CapacityError(
                "status", "None are open: choose “Full”, or enter how many are open"
            )
        if status == CapacityStatus.NO_CAPACITY and available:
            raise CapacityError(
                "status", "“Full” means none are open: set available to 0, or choose another status"
            )
        return status
    if available is not None:
        return CapacityStatus.HAS_CAPACITY if available > 0 else CapacityStatus.NO_CAPACITY
    if fallback is None:
        raise CapacityError("status", "Enter how many are open, or choose a status")
    return fallback


def _check_version(capacity: ServiceCapacity, expected_version: int | None) -> None:
    if expected_version is None or int(expected_version) != capacity.version:
        raise StaleCapacityError(CapacitySnapshot.of(capacity))


def _flush(capacity: ServiceCapacity) -> None:
    """Flush; a concurrent commit that got there first turns into a StaleCapacityError."""
    capacity_id = capacity.id
    try:
        db.session.flush()
    except StaleDataError:
        raise conflict_for(capacity_id) from None


def _apply(
    capacity: ServiceCapacity,
    action: str,
    actor: User | None,
    changes: dict[str, Any],
) -> ServiceCapacity:
    """Set the new values, stamp who and when, and append the history row, then flush."""
    old = (capacity.available, capacity.maximum, capacity.status)
    for name, value in changes.items():
        setattr(capacity, name, value)
    capacity.updated = utcnow()
    capacity.updated_by = actor
    db.session.add(
        CapacityHistory(
            capacity=capacity,
            changed_at=capacity.updated,
            changed_by=actor,
            action=action,
            old_available=old[0],
            new_available=capacity.available,
            old_maximum=old[1],
            new_maximum=capacity.maximum,
            old_status=str(old[2]) if old[2] is not None else None,
            new_status=str(capacity.status),
        )
    )
    _flush(capacity)
    return capacity


def update_capacity(
    capacity: ServiceCapacity,
    *,
    actor: User | None,
    expected_version: int | None,
    available: int | None,
    maximum: int | None,
    status: CapacityStatus | str | None = None,
    waitlist_length: int | None = None,
    expected_wait: str | None = None,
) -> ServiceCapacity:
    """Replace the figure with what the user entered (blank waitlist fields clear them)."""
    _check_version(capacity, expected_version)
    validate_figures(available=available, maximum=maximum, waitlist_length=waitlist_length,
                     expected_wait=expected_wait)  # fmt: skip
    new_status = _resolve_status(available, status, CapacityStatus(capacity.status))
    changes = {
        "available": available,
        "maximum": maximum,
        "status": new_status,
        "waitlist_length": waitlist_length,
        "expected_wait": (expected_wait or "").strip() or None,
    }
    return _apply(capacity, "update", actor, changes)


def mark_full(
    capacity: ServiceCapacity, *, actor: User | None, expected_version: int | None
) -> ServiceCapacity:
    """One click for the commonest change: none open."""
    _check_version(capacity, expected_version)
    changes = {"available": 0, "status": CapacityStatus.NO_CAPACITY}
    return _apply(capacity, "mark_full", actor, changes)


def confirm_capacity(
    capacity: ServiceCapacity, *, actor: User | None, expected_version: int | None
) -> ServiceCapacity:
    """'Still accurate': the figure is unchanged but fresh again."""
    _check_version(capacity, expected_version)
    return _apply(capacity, "confirm", actor, {})


def add_capacity(
    service: Service,
    *,
    unit: Unit,
    available: int | None,
    maximum: int | None,
    status: CapacityStatus | str | None = None,
    actor: User | None,
) -> ServiceCapacity:
    """A new figure for a unit the service does not list yet."""
    if any(c.unit_id == unit.id for c in service.capacities):
        raise CapacityError(
            "unit", f"This service already lists {unit.name.lower()}; update that figure instead"
        )
    validate_figures(available=available, maximum=maximum)
    new_status = _resolve_status(available, status, None)
    capacity = ServiceCapacity(service=service, unit=unit)
    db.session.add(capacity)
    changes = {"available": available, "maximum": maximum, "status": new_status}
    return _apply(capacity, "create", actor, changes)


ACTION_LABELS = {
    "create": "Added",
    "update": "Updated",
    "mark_full": "Marked full",
    "confirm": "Confirmed still accurate",
}


def status_label(code: str | None) -> str:
    if not code:
        return "—"
    try:
        return CapacityStatus(code).label
    except ValueError:
        return code


def template_globals() -> dict:
    """Helpers the capacity partials call; prefixed so they never clash with other modules'."""
    return {
        "capacity_is_stale": is_stale,
        "capacity_has_room": has_room,
        "capacity_line": capacity_line,
        "capacity_summary": capacity_summary,
        "capacity_figure": figure_text,
        "capacity_waitlist": waitlist_text,
        "capacity_status_label": status_label,
        "capacity_action_label": lambda action: ACTION_LABELS.get(action, action),
        "service_has_room": service_has_room,
    }
