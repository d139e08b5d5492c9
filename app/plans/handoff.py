"""Phase hand-off: the plan moves to the next phase, the coordinator role may pass to another
team member (the parole officer at release, typically), the matching juncture is recorded, and
both coordinators are told.

Forward one step at a time: in the facility → releasing → community supervision → discharged.
The only way back is to "in the facility" (a release that fell through, or a return to custody),
which records a new intake review and needs a note saying why. Other backward moves are refused:
every move records a juncture version that is never rewritten, and "back to releasing" has no
juncture that would honestly describe it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm.exc import StaleDataError

from app.audit.services import record as audit
from app.domain_errors import Conflict, FieldErrors, NotPermitted
from app.extensions import db
from app.notify.services import email_users, notify_users
from app.permissions import can
from app.plans.junctures import record_juncture
from app.plans.models import PlanVersion, ReleasePlan
from app.plans.vocabulary import MAX_NOTES, Juncture, PlanPhase
from app.referrals.notifications import FOOTER, absolute

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.referrals.models import CareTeamMember

NEXT_PHASE: dict[PlanPhase, PlanPhase] = {
    PlanPhase.IN_FACILITY: PlanPhase.RELEASING,
    PlanPhase.RELEASING: PlanPhase.COMMUNITY_SUPERVISION,
    PlanPhase.COMMUNITY_SUPERVISION: PlanPhase.DISCHARGED,
}

# The review that belongs to each phase: recorded on entering it, and pre-selected in the
# "Review the plan" form while the plan is in it.
JUNCTURE_FOR: dict[PlanPhase, Juncture] = {
    PlanPhase.IN_FACILITY: Juncture.INTAKE,
    PlanPhase.RELEASING: Juncture.BEFORE_RELEASE,
    PlanPhase.COMMUNITY_SUPERVISION: Juncture.RETURN_TO_COMMUNITY,
    PlanPhase.DISCHARGED: Juncture.DISCHARGE_FROM_SUPERVISION,
}

STALE_MESSAGE = (
    "Someone else changed this plan's phase or coordinator while you had it open; nothing was "
    "saved. Check the plan as it is now and try again."
)


class StalePlan(Conflict):
    """The plan changed since the form was opened."""


def allowed_phases(plan: ReleasePlan) -> list[PlanPhase]:
    """Where the plan may go from here: the next phase first, then back to the facility."""
    phases = [NEXT_PHASE[plan.phase]] if plan.phase in NEXT_PHASE else []
    if plan.phase != PlanPhase.IN_FACILITY:
        phases.append(PlanPhase.IN_FACILITY)
    return phases


def _active_members(plan: ReleasePlan) -> list[CareTeamMember]:
    return [m for m in plan.client.team if m.user is not None and m.user.active]


def coordinator_choices(plan: ReleasePlan) -> list[tuple[str, str]]:
    """(user id, "Name, title") of each active team member who may coordinate."""
    return [
        (m.user_id, f"{m.user.name}, {m.title}" if m.title else m.user.name)
        for m in _active_members(plan)
    ]


def suggested_coordinator(plan: ReleasePlan, phase: PlanPhase) -> str | None:
    """Moving into community supervision: the member whose team title mentions parole (the
    parole officer leads from release on); otherwise whoever coordinates now."""
    if phase == PlanPhase.COMMUNITY_SUPERVISION:
        for member in _active_members(plan):
            if "parole" in (member.title or "").lower():
                return member.user_id
    return plan.coordinator_id


def advance_phase(
    plan: ReleasePlan,
    actor: User,
    *,
    phase: PlanPhase | str,
    coordinator_id: str | None,
    note: str | None = None,
    expected_version: int | None,
) -> PlanVersion:
    """Move the plan, hand the coordinator role (None keeps the current one), record the phase's
    juncture, and tell the old and the new coordinator. Returns the version recorded."""
    if not can(actor, "plan.edit", plan):
        raise NotPermitted("You may not change this person's release plan.")
    if expected_version is None or int(expected_version) != plan.version:
        raise StalePlan(STALE_MESSAGE)
    note = (note or "").strip() or None
    problems: dict[str, str] = {}
    try:
        phase = PlanPhase(phase)
    except ValueError:
        phase = None  # type: ignore[assignment]
    if phase not in allowed_phases(plan):
        problems["phase"] = "Choose the next phase from the list."
    going_back = phase == PlanPhase.IN_FACILITY
    if going_back and note is None:
        problems["note"] = "Say why the plan goes back to the facility."
    if note is not None and len(note) > MAX_NOTES:
        problems["note"] = f"Keep this to {MAX_NOTES} characters or fewer."
    coordinator_id = coordinator_id or plan.coordinator_id
    if coordinator_id is not None and coordinator_id not in dict(coordinator_choices(plan)):
        problems["coordinator_id"] = "Choose someone on the care team."
    if problems:
        raise FieldErrors(problems)

    before_phase, before_coordinator = plan.phase, plan.coordinator
    plan.phase = phase
    plan.coordinator = next(
        (m.user for m in _active_members(plan) if m.user_id == coordinator_id), None
    )
    try:
        db.session.flush()  # UPDATE ... WHERE version = ?: a lost race raises here
    except StaleDataError:
        raise StalePlan(STALE_MESSAGE) from None
    version = record_juncture(plan, JUNCTURE_FOR[phase], actor, note)
    audit(
        "plan.phase",
        plan,
        actor,
        client_id=plan.client_id,
        details={
            "from": before_phase.value,
            "to": phase.value,
            "coordinator_changed": before_coordinator is not plan.coordinator,
            "version": version.number,
        },
    )
    _tell_coordinators(plan, before_coordinator)
    db.session.flush()
    return version


def _tell_coordinators(plan: ReleasePlan, before: User | None) -> None:
    """In the app and by e-mail, with no personal data: the phase, the role, a link."""
    link = f"/referrals/clients/{plan.client_id}/plan"
    phase = f"“{plan.phase.label}”"
    after = plan.coordinator
    messages: list[tuple[User, str]] = []
    if after is not None and after is before:
        messages.append((after, f"A release plan you coordinate moved to {phase}"))
    else:
        if after is not None:
            messages.append(
                (after, f"A release plan moved to {phase}; you are now its coordinator")
            )
        if before is not None:
            messages.append(
                (
                    before,
                    f"A release plan you coordinated moved to {phase}; "
                    "another team member now coordinates it",
                )
            )
    for user, text in messages:
        notify_users([user], "plan.phase", text, link)
        email_users([user], text, f"{text}.\n\nOpen it: {absolute(link)}{FOOTER}", "plan.phase")
