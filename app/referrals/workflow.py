"""The referral state machine: the one place that decides which step may happen.

Statuses follow an HL7 FHIR Task as used for social-care referrals (FHIR code in brackets):

    sent [requested] -> received -> accepted | waitlisted [on-hold] | declined [rejected]
    accepted -> enrolled [in-progress] -> completed | not_enrolled [failed]

The referring side may cancel before the referral is closed, or mark it entered in error.
`check_transition` validates a step (who, from which status, required fields) without touching
anything; services.transition() applies it, stamps timestamps, appends the ReferralEvent and
handles the optimistic lock. Errors are domain errors: views show them, the API answers 409/422.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.domain_errors import DomainError
from app.referrals.vocabulary import (
    DeclineReason,
    NotEnrolledReason,
)
from app.referrals.vocabulary import (
    ReferralStatus as S,
)


class Side(enum.StrEnum):
    PROVIDER = "provider"  # staff of the organization the referral was sent to
    REFERRER = "referrer"  # the client's care team (the counselor who sent it, the coordinator)


class Action(enum.StrEnum):
    RECEIVE = "receive"
    ACCEPT = "accept"
    WAITLIST = "waitlist"
    DECLINE = "decline"
    ENROLL = "enroll"
    COMPLETE = "complete"
    NOT_ENROLLED = "not_enrolled"
    CANCEL = "cancel"
    ENTERED_IN_ERROR = "entered_in_error"

    @property
    def label(self) -> str:
        return {
            "receive": "Mark as opened",
            "accept": "Accept",
            "waitlist": "Put on waitlist",
            "decline": "Decline",
            "enroll": "Enrolled",
            "complete": "Completed",
            "not_enrolled": "Did not enroll",
            "cancel": "Cancel referral",
            "entered_in_error": "Entered in error",
        }[self.value]


@dataclass(frozen=True)
class Step:
    sources: frozenset[S]
    target: S
    side: Side
    reason_codes: type[enum.StrEnum] | None = None  # a reason code is required from this set
    needs_reason_text: bool = False  # free text required (always for "other")
    needs_outcome: bool = False


OPEN = frozenset(s for s in S if not s.is_closed)

STEPS: dict[Action, Step] = {
    Action.RECEIVE: Step(frozenset({S.SENT}), S.RECEIVED, Side.PROVIDER),
    Action.ACCEPT: Step(frozenset({S.SENT, S.RECEIVED, S.WAITLISTED}), S.ACCEPTED, Side.PROVIDER),
    Action.WAITLIST: Step(
        frozenset({S.SENT, S.RECEIVED}), S.WAITLISTED, Side.PROVIDER, needs_reason_text=True
    ),
    Action.DECLINE: Step(
        frozenset({S.SENT, S.RECEIVED, S.WAITLISTED}),
        S.DECLINED,
        Side.PROVIDER,
        reason_codes=DeclineReason,
    ),
    Action.ENROLL: Step(frozenset({S.ACCEPTED}), S.ENROLLED, Side.PROVIDER),
    Action.COMPLETE: Step(frozenset({S.ENROLLED}), S.COMPLETED, Side.PROVIDER, needs_outcome=True),
    Action.NOT_ENROLLED: Step(
        frozenset({S.ACCEPTED, S.ENROLLED}),
        S.NOT_ENROLLED,
        Side.PROVIDER,
        reason_codes=NotEnrolledReason,
    ),
    Action.CANCEL: Step(OPEN, S.CANCELLED, Side.REFERRER, needs_reason_text=True),
    Action.ENTERED_IN_ERROR: Step(
        frozenset(S) - {S.ENTERED_IN_ERROR},
        S.ENTERED_IN_ERROR,
        Side.REFERRER,
        needs_reason_text=True,
    ),
}

# The same step named by its target status, as the API's {"to": "..."} does.
ACTION_FOR_TARGET: dict[S, Action] = {step.target: action for action, step in STEPS.items()}


class WorkflowError(DomainError):
    """A step that cannot happen; `status` (and the older `code`) say how to answer."""

    code = "invalid"


class InvalidTransition(WorkflowError):
    code = "conflict"
    status = 409


class NotAllowed(WorkflowError):
    code = "forbidden"
    status = 403


class MissingField(WorkflowError):
    code = "unprocessable"
    status = 422


class StaleReferral(WorkflowError):
    code = "conflict"  # someone else changed it first
    status = 409


class NoRoomLeft(WorkflowError):
    """Accepting would take a place the service no longer has: waitlist, or accept over
    capacity on purpose (API 409; resend with over_capacity)."""

    code = "conflict"
    status = 409


def check_transition(
    current: S,
    action: Action,
    sides: set[Side],
    *,
    reason_code: str | None = None,
    reason_text: str | None = None,
    outcome: str | None = None,
) -> Step:
    """Validate one step. `sides` is what the actor is to this referral (may be both for admins)."""
    step = STEPS[action]
    if step.side not in sides:
        who = "the provider" if step.side == Side.PROVIDER else "the referring team"
        raise NotAllowed(f"Only {who} can {action.label.lower()} this referral.")
    if current not in step.sources:
        raise InvalidTransition(
            f"This referral is {current.label.lower()}; it cannot be moved to "
            f"{step.target.label.lower()} now."
        )
    if step.reason_codes is not None:
        allowed = {c.value for c in step.reason_codes}
        if not reason_code or reason_code not in allowed:
            raise MissingField("Choose a reason.", field="reason_code")
        if reason_code == "other" and not (reason_text or "").strip():
            raise MissingField("Say what the other reason is.", field="reason_text")
    if step.needs_reason_text and not (reason_text or "").strip():
        raise MissingField("Give a reason.", field="reason_text")
    if step.needs_outcome and not (outcome or "").strip():
        raise MissingField("Describe the outcome.", field="outcome")
    return step


def available_actions(current: S, sides: set[Side]) -> list[Action]:
    """The steps this actor could take now, in display order (for buttons)."""
    return [a for a, step in STEPS.items() if step.side in sides and current in step.sources]
