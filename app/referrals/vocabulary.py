"""Referral statuses (with their FHIR Task codes), reasons, priorities and consent scopes."""

from __future__ import annotations

import enum


class ReferralStatus(enum.StrEnum):
    SENT = "sent"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    ENROLLED = "enrolled"
    COMPLETED = "completed"
    NOT_ENROLLED = "not_enrolled"
    CANCELLED = "cancelled"
    ENTERED_IN_ERROR = "entered_in_error"

    @property
    def fhir(self) -> str:
        """The HL7 FHIR R4 Task.status code."""
        return FHIR_STATUS[self]

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_closed(self) -> bool:
        return self in CLOSED_STATUSES

    @property
    def awaits_response(self) -> bool:
        """Sent or opened but not yet answered by the provider: the deadline clock runs."""
        return self in (ReferralStatus.SENT, ReferralStatus.RECEIVED)


# Bits of Referral.reached: every status a referral has ever had, so measures ask "was it ever
# accepted?" of the referral row instead of its event history. Stored values: never renumber,
# only add new statuses at new bits.
REACHED_BIT: dict[ReferralStatus, int] = {
    ReferralStatus.SENT: 1,
    ReferralStatus.RECEIVED: 2,
    ReferralStatus.ACCEPTED: 4,
    ReferralStatus.WAITLISTED: 8,
    ReferralStatus.DECLINED: 16,
    ReferralStatus.ENROLLED: 32,
    ReferralStatus.COMPLETED: 64,
    ReferralStatus.NOT_ENROLLED: 128,
    ReferralStatus.CANCELLED: 256,
    ReferralStatus.ENTERED_IN_ERROR: 512,
}


FHIR_STATUS = {
    ReferralStatus.SENT: "requested",
    ReferralStatus.RECEIVED: "received",
    ReferralStatus.ACCEPTED: "accepted",
    ReferralStatus.WAITLISTED: "on-hold",
    ReferralStatus.DECLINED: "rejected",
    ReferralStatus.ENROLLED: "in-progress",
    ReferralStatus.COMPLETED: "completed",
    ReferralStatus.NOT_ENROLLED: "failed",
    ReferralStatus.CANCELLED: "cancelled",
    ReferralStatus.ENTERED_IN_ERROR: "entered-in-error",
}

CLOSED_STATUSES = frozenset(
    {
        ReferralStatus.DECLINED,
        ReferralStatus.COMPLETED,
        ReferralStatus.NOT_ENROLLED,
        ReferralStatus.CANCELLED,
        ReferralStatus.ENTERED_IN_ERROR,
    }
)


class Priority(enum.StrEnum):
    ROUTINE = "routine"
    URGENT = "urgent"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class DeclineReason(enum.StrEnum):
    NO_CAPACITY = "no_capacity"
    NOT_ELIGIBLE = "not_eligible"
    CLIENT_DECLINED = "client_declined"
    COULD_NOT_CONTACT = "could_not_contact"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "no_capacity": "No room",
            "not_eligible": "Not eligible",
            "client_declined": "The person declined",
            "could_not_contact": "Could not reach the person",
            "other": "Other",
        }[self.value]


class NotEnrolledReason(enum.StrEnum):
    NO_SHOW = "no_show"
    COULD_NOT_CONTACT = "could_not_contact"
    LEFT_PROGRAM = "left_program"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "no_show": "Did not come",
            "could_not_contact": "Could not reach the person",
            "left_program": "Left the program",
            "other": "Other",
        }[self.value]


class ContactMethod(enum.StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    THROUGH_PERSON = "through_person"
    NONE = "none"

    @property
    def label(self) -> str:
        return {
            "phone": "Phone",
            "email": "E-mail",
            "through_person": "Through a named person",
            "none": "No way to reach them yet",
        }[self.value]


class ConsentShare(enum.StrEnum):
    """What a consent lets the team share with the provider."""

    IDENTITY = "identity"  # name and date of birth
    CONTACT = "contact"  # how to reach the person after release
    ELIGIBILITY = "eligibility"  # the eligibility profile
    DOCUMENTS = "documents"  # which ID documents the person holds
    NOTE = "note"  # the counselor's note to the provider

    @property
    def label(self) -> str:
        return {
            "identity": "Name and date of birth",
            "contact": "How to reach them",
            "eligibility": "Answers to eligibility questions",
            "documents": "Which ID documents they have",
            "note": "The counselor's note",
        }[self.value]
