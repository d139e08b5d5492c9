"""Domain errors of the referral layer; views turn them into messages, the API into problems.

The workflow errors (NotAllowed 403, InvalidTransition/StaleReferral 409, MissingField 422) live
in app.referrals.workflow and are re-exported here so callers import every error from one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.domain_errors import DomainError
from app.referrals.workflow import (
    InvalidTransition,
    MissingField,
    NoRoomLeft,
    NotAllowed,
    StaleReferral,
    WorkflowError,
)

if TYPE_CHECKING:
    from app.referrals.models import Client

__all__ = [
    "ConsentRequired",
    "DuplicateClient",
    "InvalidTransition",
    "MissingField",
    "NoRoomLeft",
    "NotAllowed",
    "ReferralValidationError",
    "StaleReferral",
    "WorkflowError",
]


class ReferralValidationError(DomainError, ValueError):
    """Bad input: `field` names the form field (or API member) the message belongs to."""

    code = "unprocessable"
    status = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field)


class DuplicateClient(DomainError):
    """Someone with the same name and date of birth is already recorded.

    `matches` may include people the actor may not see: show only that a match exists.
    """

    code = "conflict"
    status = 409

    def __init__(self, matches: list[Client]) -> None:
        super().__init__("A person with the same name and date of birth is already recorded.")
        self.matches = matches


class ConsentRequired(DomainError):
    """No active consent covers sending this person's details to this provider."""

    code = "unprocessable"
    status = 422

    def __init__(self, message: str) -> None:
        super().__init__(message, "consent")
