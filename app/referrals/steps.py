"""One step in a referral's life: the single function that moves a referral, and opening it."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm.exc import StaleDataError

from app.audit.services import record as audit
from app.clock import local_today
from app.common import utcnow
from app.directory.places import take_one_place
from app.extensions import db
from app.plausible import DateKind, first_problem, list_problem
from app.referrals import notifications
from app.referrals.consent import provider_view_of_client
from app.referrals.errors import NoRoomLeft, ReferralValidationError, StaleReferral
from app.referrals.models import Referral, ReferralEvent
from app.referrals.permissions import is_provider_staff_of, sides_of
from app.referrals.reads import record_client_read
from app.referrals.vocabulary import REACHED_BIT, ReferralStatus
from app.referrals.workflow import Action, Side, available_actions, check_transition

if TYPE_CHECKING:
    from app.accounts.models import User


def actions_for(referral: Referral, user: User) -> list[Action]:
    """The buttons this user may press on this referral now."""
    return available_actions(referral.status, sides_of(user, referral))


def _expected(expected_version: Any) -> int:
    try:
        return int(expected_version)
    except (TypeError, ValueError):
        raise StaleReferral("Reload the referral and try again.") from None


STALE_MESSAGE = (
    "Someone else answered or changed this referral a moment ago; nothing was saved. "
    "Reload it to see what it says now."
)


NO_ROOM_MESSAGE = (
    "No {unit} left: the service's figure says none are open now. Put the referral on the "
    "waitlist, or accept it over capacity on purpose."
)


def _take_place(referral: Referral, actor: User | None, over_capacity: bool) -> dict[str, Any]:
    """Take one place off the service's first capacity figure, seeing the figure as it is in
    the database now; none left raises NoRoomLeft unless the provider accepts over capacity."""
    service = referral.service
    if not service.capacity_decrements_on_accept or not service.capacities:
        return {}
    capacity = service.capacities[0]
    if capacity.available is None:  # no count given: nothing to take
        return {}
    taken = take_one_place(capacity, actor)
    if taken is not None:
        before, after = taken
        return {"capacity_id": capacity.id, "available_before": before, "available_after": after}
    if not over_capacity:
        unit = capacity.unit.name.lower() if capacity.unit else "places"
        raise NoRoomLeft(NO_ROOM_MESSAGE.format(unit=unit), field="over_capacity")
    return {"capacity_id": capacity.id, "over_capacity": True}


def transition(
    referral: Referral,
    action: Action | str,
    actor: User,
    *,
    expected_version: int,
    reason_code: str | None = None,
    reason_text: str | None = None,
    note: str | None = None,
    outcome: str | None = None,
    intake_at: datetime | None = None,
    what_to_bring: str | None = None,
    expected_date: date | None = None,
    now: datetime | None = None,
    over_capacity: bool = False,
) -> ReferralEvent:
    """Apply one step: who, from where, required fields, version; then the event, the news,
    the audit entry and (on accept, when the service says so) one place off its capacity; with
    none left that raises NoRoomLeft unless `over_capacity` says to accept anyway.

    On StaleReferral or NoRoomLeft the caller must roll back (the referral was already flushed).
    """
    now = now or utcnow()
    try:
        action = Action(action)
    except ValueError:
        raise ReferralValidationError("action", "Unknown step.") from None
    reason_text = (reason_text or "").strip() or None
    outcome = (outcome or "").strip() or None
    note = (note or "").strip() or None
    step = check_transition(
        referral.status,
        action,
        sides_of(actor, referral),
        reason_code=reason_code,
        reason_text=reason_text,
        outcome=outcome,
    )
    if _expected(expected_version) != referral.version:
        raise StaleReferral(STALE_MESSAGE)
    if intake_at is not None and intake_at.tzinfo is None:
        raise ReferralValidationError("intake_at", "Give the intake time with its time zone.")
    problem = first_problem(
        ("intake_at", DateKind.INTAKE, intake_at.date() if intake_at else None),
        ("expected_date", DateKind.WAITLIST_EXPECTED, expected_date),
    )
    if problem:
        raise ReferralValidationError(*problem)
    if what_to_bring and (message := list_problem(what_to_bring)):
        raise ReferralValidationError("what_to_bring", message)

    source = referral.status
    referral.status = step.target
    referral.reached = (referral.reached or 0) | REACHED_BIT[step.target]
    referral.updated_at = now
    details: dict[str, Any] = {}
    if step.side == Side.PROVIDER:
        referral.received_at = referral.received_at or now
        if action != Action.RECEIVE and referral.first_response_at is None:
            referral.first_response_at = now
    if step.reason_codes is not None or step.needs_reason_text:
        referral.reason_code = reason_code if step.reason_codes is not None else None
        referral.reason_text = reason_text
    if action == Action.ACCEPT:
        referral.intake_at = intake_at
        referral.what_to_bring = (what_to_bring or "").strip() or None
        if intake_at:
            details["intake_at"] = intake_at.isoformat()
        if referral.what_to_bring:
            details["what_to_bring"] = referral.what_to_bring
    if action == Action.WAITLIST:
        referral.expected_date = expected_date
        if expected_date:
            details["expected_date"] = expected_date.isoformat()
    if action == Action.COMPLETE:
        referral.outcome = outcome
        details["outcome"] = outcome
    if step.target.is_closed:
        referral.closed_at = now
    try:
        db.session.flush()  # UPDATE ... WHERE version = ?: a lost race raises here
    except StaleDataError:
        raise StaleReferral(STALE_MESSAGE) from None
    if action == Action.ACCEPT:
        details.update(_take_place(referral, actor, over_capacity))
    event = ReferralEvent(
        at=now,
        actor_id=actor.id,
        action=action.value,
        from_status=source.value,
        to_status=step.target.value,
        reason_code=reason_code if step.reason_codes is not None else None,
        reason_text=reason_text,
        note=note,
        details=details,
    )
    referral.events.append(event)
    # Imported here: the plans package reads referral models, so a top-level import would loop.
    from app.plans.follow import referral_changed

    referral_changed(referral, actor)  # the plan items this referral serves follow it
    notifications.step_taken(referral, action, actor)
    audit(
        f"referral.{action.value}",
        referral,
        actor,
        client_id=referral.client_id,
        at=now,
        details={
            "from": source.value,
            "to": step.target.value,
            "reason_code": referral.reason_code if step.reason_codes is not None else None,
            **{
                k: v
                for k, v in details.items()
                if k.startswith(("capacity", "available", "over_capacity"))
            },
        },
    )
    db.session.flush()
    return event


def open_referral_as_provider(
    referral: Referral, actor: User, now: datetime | None = None, *, via: str = "page"
) -> None:
    """Provider staff opening a referral: SENT becomes RECEIVED; their view is audited."""
    if not is_provider_staff_of(actor, referral):
        return
    now = now or utcnow()
    if referral.status == ReferralStatus.SENT:
        # A colleague opening it at the same moment wins: undo only this step, keep the view.
        try:
            with db.session.begin_nested():
                version = referral.version
                transition(referral, Action.RECEIVE, actor, expected_version=version, now=now)
        except StaleReferral:
            pass
    fields = provider_view_of_client(referral, local_today(now))
    record_client_read(referral.client, actor, via=via, referral=referral, fields=fields, now=now)
