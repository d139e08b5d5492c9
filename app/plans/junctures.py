"""Junctures: the team reviews the plan at intake, before release, on return to the community and
at discharge from supervision, and each review keeps a dated version of the plan.

A version holds every item as it stood and the plain-language changes since the previous
version. Versions are never rewritten: the ORM refuses UPDATE and DELETE of a PlanVersion, and
so does the database itself (triggers, app.plans.models).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.audit.services import record as audit
from app.domain_errors import FieldErrors, NotPermitted
from app.extensions import db
from app.permissions import can
from app.plans.models import PlanVersion, ReleasePlan
from app.plans.vocabulary import MAX_NOTES, ItemKind, ItemStatus, Juncture

if TYPE_CHECKING:
    from app.accounts.models import User


def snapshot(plan: ReleasePlan) -> list[dict[str, Any]]:
    """Every item as it stands now, in checklist order (codes and ids, dates as ISO text)."""
    return [
        {
            "id": item.id,
            "kind": item.kind.value,
            "title": item.title,
            "status": item.status.value,
            "owner": item.owner,
            "due_on": item.due_on.isoformat() if item.due_on else None,
            "referral_id": item.referral_id,
        }
        for item in sorted(plan.items, key=lambda i: i.position)
    ]


def _status_label(code: str) -> str:
    return ItemStatus(code).label.lower()


def item_name(item: dict[str, Any]) -> str:
    """An item of a version's copy by name: its kind's label, or the title of an added item."""
    kind = ItemKind(item["kind"])
    return item["title"] if kind == ItemKind.OTHER else kind.label


def changes_between(
    previous: PlanVersion | None, plan: ReleasePlan, items: list[dict[str, Any]]
) -> list[str]:
    """Plain sentences saying what changed since the previous version (the first: "First review:
    N items on the checklist"). Owners and coordinators are not named, only said to change."""
    if previous is None:
        return [f"First review: {len(items)} items on the checklist."]
    lines: list[str] = []
    if previous.phase != plan.phase:
        lines.append(f"Phase: {previous.phase.label} → {plan.phase.label}.")
    if previous.coordinator_id != plan.coordinator_id:
        lines.append("Coordinator changed.")
    before = {item["id"]: item for item in previous.items}
    for item in items:
        old = before.pop(item["id"], None)
        name = item_name(item)
        if old is None:
            lines.append(f"Added: {name}.")
            continue
        if old["status"] != item["status"]:
            lines.append(
                f"{name}: {_status_label(old['status'])} → {_status_label(item['status'])}."
            )
        if old["due_on"] != item["due_on"]:
            lines.append(f"{name}: due date changed.")
        if old["owner"] != item["owner"]:
            lines.append(f"{name}: owner changed.")
        if old["referral_id"] != item["referral_id"]:
            lines.append(f"{name}: referral linked.")
    lines.extend(f"Removed: {item_name(old)}." for old in before.values())
    return lines or ["No changes since the previous review."]


def record_juncture(
    plan: ReleasePlan, juncture: Juncture | str, actor: User, note: str | None = None
) -> PlanVersion:
    """Keep a dated version of the plan as it stands, numbered after the previous one."""
    if not can(actor, "plan.edit", plan):
        raise NotPermitted("You may not review this person's release plan.")
    try:
        juncture = Juncture(juncture)
    except ValueError:
        raise FieldErrors({"juncture": "Choose a juncture from the list."}) from None
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTES:
        raise FieldErrors({"note": f"Keep this to {MAX_NOTES} characters or fewer."})
    previous = plan.versions[-1] if plan.versions else None
    items = snapshot(plan)
    version = PlanVersion(
        plan=plan,
        number=(previous.number if previous else 0) + 1,
        juncture=juncture,
        phase=plan.phase,
        coordinator_id=plan.coordinator_id,
        recorded_by_id=actor.id,
        note=note,
        items=items,
        changes=changes_between(previous, plan, items),
    )
    db.session.add(version)
    db.session.flush()
    audit(
        "plan.review",
        version,
        actor,
        client_id=plan.client_id,
        details={"juncture": juncture.value, "number": version.number},
    )
    db.session.flush()
    return version
