"""The plan's rules: start a plan with its default checklist, change an item, add an item.

Services flush, never commit (the request commits: app.unit_of_work); refusals are DomainErrors
(403 not allowed, 409 conflict, 422 bad input) that the registered handler answers.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.audit.services import record as audit
from app.clock import local_today, utcnow
from app.domain_errors import Conflict, FieldErrors, Invalid, NotPermitted
from app.extensions import db
from app.permissions import can
from app.plans.models import PlanItem, ReleasePlan
from app.plans.vocabulary import (
    DEFAULT_KINDS,
    DUE_DAYS_BEFORE_RELEASE,
    ESSENTIAL_KINDS,
    MAX_NOTES,
    MAX_REASON,
    MAX_TITLE,
    OWNER_LABELS,
    REGISTRY_FLAG,
    ItemKind,
    ItemStatus,
)
from app.plausible import DateKind, problem_with

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.referrals.models import Client


class PlanExists(Conflict):
    """A second plan for the same person."""


class StalePlanItem(Conflict):
    """Someone else changed the item since the form was opened."""


STALE_MESSAGE = "Someone else changed this item while you had it open; nothing was saved."


def plan_for(client: Client) -> ReleasePlan | None:
    return db.session.scalar(select(ReleasePlan).where(ReleasePlan.client_id == client.id))


def _require(action: str, obj: Any, actor: User) -> None:
    if not can(actor, action, obj):
        raise NotPermitted("You may not change this person's release plan.")


def default_due_on(kind: ItemKind, projected_release: date | None) -> date | None:
    """Days before the projected release, from the one table; no projected date, no due date."""
    days = DUE_DAYS_BEFORE_RELEASE.get(kind)
    if projected_release is None or days is None:
        return None
    return projected_release - timedelta(days=days)


def default_kinds(client: Client) -> list[ItemKind]:
    """Every kind but "other"; registration only when the profile says they are on the registry."""
    on_registry = (client.eligibility or {}).get(REGISTRY_FLAG) is True
    return [k for k in DEFAULT_KINDS if k != ItemKind.REGISTRATION or on_registry]


def _primary_coordinator_id(client: Client) -> str | None:
    return next((m.user_id for m in client.team if m.is_coordinator), None)


def start_plan(client: Client, actor: User) -> ReleasePlan:
    """One plan per person, coordinated by their primary coordinator, with the default checklist."""
    _require("plan.edit", client, actor)
    if plan_for(client) is not None:
        raise PlanExists("This person already has a release plan.")
    plan = ReleasePlan(
        client=client,
        coordinator_id=_primary_coordinator_id(client),
        started_by_id=actor.id,
    )
    for position, kind in enumerate(default_kinds(client)):
        plan.items.append(
            PlanItem(
                kind=kind,
                title=kind.label,
                position=position,
                due_on=default_due_on(kind, client.projected_release_date),
                updated_by_id=actor.id,
            )
        )
    db.session.add(plan)
    db.session.flush()
    audit(
        "plan.start",
        plan,
        actor,
        client_id=client.id,
        details={"items": [item.kind.value for item in plan.items]},
    )
    db.session.flush()
    return plan


def owner_choices(plan: ReleasePlan) -> list[tuple[str, str]]:
    """(value, label) of who may own an item: each team member, the person, the provider."""
    team = [(m.user_id, m.user.name) for m in plan.client.team]
    return team + list(OWNER_LABELS.items())


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None


def _check_owner(problems: dict[str, str], plan: ReleasePlan, owner: str | None) -> None:
    if owner is not None and owner not in dict(owner_choices(plan)):
        problems["owner"] = "Choose someone on the care team, the person or the provider."


def _check_text(problems: dict[str, str], field: str, value: str | None, limit: int) -> None:
    if value is not None and len(value) > limit:
        problems[field] = f"Keep this to {limit} characters or fewer."


def update_item(
    item: PlanItem,
    actor: User,
    *,
    status: ItemStatus | str,
    reason: str | None = None,
    owner: str | None = None,
    due_on: date | None = None,
    notes: str | None = None,
    expected_version: int | None,
    today: date | None = None,
) -> PlanItem:
    """Set an item's status, reason, owner, due date and notes (all at once, as the form shows)."""
    _require("plan.edit", item, actor)
    if expected_version is None or int(expected_version) != item.version:
        raise StalePlanItem(STALE_MESSAGE)
    try:
        status = ItemStatus(status)
    except ValueError:
        raise Invalid("Choose a status from the list.", "status") from None
    reason, owner, notes = _clean(reason), _clean(owner), _clean(notes)
    problems: dict[str, str] = {}
    if status.needs_reason and reason is None:
        problems["reason"] = f"Say why it is “{status.label.lower()}”."
    _check_text(problems, "reason", reason, MAX_REASON)
    _check_text(problems, "notes", notes, MAX_NOTES)
    due_problem = problem_with(DateKind.PLAN_ITEM_DUE, due_on, today or local_today())
    if due_problem:
        problems["due_on"] = due_problem
    _check_owner(problems, item.plan, owner)
    if problems:
        raise FieldErrors(problems)
    new = {
        "status": status,
        "reason": reason if status.needs_reason else None,
        "owner": owner,
        "due_on": due_on,
        "notes": notes,
    }
    changed = [name for name, value in new.items() if getattr(item, name) != value]
    if not changed:
        return item
    for name in changed:
        setattr(item, name, new[name])
    if "status" in changed:
        item.arranged_at = utcnow() if status == ItemStatus.ARRANGED else None
    item.updated_by_id = actor.id
    try:
        db.session.flush()  # UPDATE ... WHERE version = ?: a lost race raises here
    except StaleDataError:
        raise StalePlanItem(STALE_MESSAGE) from None
    # Field names and the status code only: reasons and notes are personal and stay out.
    audit(
        "plan.item.update",
        item,
        actor,
        client_id=item.plan.client_id,
        details={"fields": changed, "status": status.value, "kind": item.kind.value},
    )
    if "status" in changed and status == ItemStatus.ARRANGED:
        from app.sms.news import plan_step_arranged  # the person hears, with text consent

        plan_step_arranged(item)
    db.session.flush()
    return item


EDITABLE = ("status", "reason", "owner", "due_on", "notes")


def change_item(
    item: PlanItem,
    actor: User,
    *,
    expected_version: int | None,
    today: date | None = None,
    **changes: Any,
) -> PlanItem:
    """Change only the fields given (the API's PATCH); the others keep their current values,
    and the same rules as the page's form apply to the result."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not an editable item field: {sorted(unknown)}")
    current = {name: getattr(item, name) for name in EDITABLE}
    return update_item(
        item, actor, **(current | changes), expected_version=expected_version, today=today
    )


def add_item(
    plan: ReleasePlan,
    actor: User,
    title: str | None,
    *,
    owner: str | None = None,
    due_on: date | None = None,
    notes: str | None = None,
    today: date | None = None,
    kind: ItemKind = ItemKind.OTHER,
) -> PlanItem:
    """A free-text item at the end of the checklist ("other" unless a caller knows the kind,
    as "Add to plan" for a missing document does)."""
    _require("plan.edit", plan, actor)
    title, owner, notes = _clean(title), _clean(owner), _clean(notes)
    problems: dict[str, str] = {}
    if title is None:
        problems["title"] = "Say what needs to be arranged."
    _check_text(problems, "title", title, MAX_TITLE)
    _check_text(problems, "notes", notes, MAX_NOTES)
    due_problem = problem_with(DateKind.PLAN_ITEM_DUE, due_on, today or local_today())
    if due_problem:
        problems["due_on"] = due_problem
    _check_owner(problems, plan, owner)
    if problems:
        raise FieldErrors(problems)
    item = PlanItem(
        kind=kind,
        title=title,
        owner=owner,
        due_on=due_on,
        notes=notes,
        position=max((i.position for i in plan.items), default=-1) + 1,
        updated_by_id=actor.id,
    )
    plan.items.append(item)
    db.session.flush()
    audit(
        "plan.item.add",
        item,
        actor,
        client_id=plan.client_id,
        details={"kind": item.kind.value},
    )
    db.session.flush()
    return item


# --- reading a plan --------------------------------------------------------------------------


def days_to_release(client: Client, today: date) -> int | None:
    """Calendar days (local) until the projected release; None when released or not known."""
    if client.released_on is not None or client.projected_release_date is None:
        return None
    return (client.projected_release_date - today).days


def readiness(plan: ReleasePlan) -> tuple[int, int]:
    """(arranged, counted) of the essential items; items marked "not needed" do not count."""
    counted = [
        i for i in plan.items if i.kind in ESSENTIAL_KINDS and i.status != ItemStatus.NOT_NEEDED
    ]
    return sum(1 for i in counted if i.status == ItemStatus.ARRANGED), len(counted)


def is_overdue(item: PlanItem, today: date) -> bool:
    return item.status.is_open and item.due_on is not None and item.due_on < today


def grouped_by_status(plan: ReleasePlan) -> list[tuple[ItemStatus, list[PlanItem]]]:
    """The checklist in status order (to do first), each group by due date then position."""
    groups = []
    for status in ItemStatus:
        items = [i for i in plan.items if i.status == status]
        items.sort(key=lambda i: (i.due_on is None, i.due_on or date.min, i.position))
        if items:
            groups.append((status, items))
    return groups
