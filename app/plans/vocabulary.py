"""The plan's controlled lists, each defined once: phases, item kinds, item statuses, owners,
and the table of default due dates (days before the projected release)."""

from __future__ import annotations

import enum

from app.directory.vocabulary import FLAG_FOR, Criterion


class PlanPhase(enum.StrEnum):
    IN_FACILITY = "in_facility"
    RELEASING = "releasing"
    COMMUNITY_SUPERVISION = "community_supervision"
    DISCHARGED = "discharged"

    @property
    def label(self) -> str:
        return {
            "in_facility": "In the facility",
            "releasing": "Being released",
            "community_supervision": "In the community under supervision",
            "discharged": "Discharged from supervision",
        }[self.value]


class ItemKind(enum.StrEnum):
    DISCHARGE_FUNDS = "discharge_funds"
    TRANSPORTATION = "transportation"
    CLOTHING = "clothing"
    ID_DOCUMENTS = "id_documents"
    REGISTRATION = "registration"
    HOUSING = "housing"
    EMPLOYMENT = "employment"
    TREATMENT = "treatment"
    BENEFITS = "benefits"
    MENTORING = "mentoring"
    FAMILY = "family"
    OTHER = "other"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS: dict[ItemKind, str] = {
    ItemKind.DISCHARGE_FUNDS: "Discharge funds",
    ItemKind.TRANSPORTATION: "Transportation on release day",
    ItemKind.CLOTHING: "Clothing",
    ItemKind.ID_DOCUMENTS: "ID and vital documents",
    ItemKind.REGISTRATION: "DNA and sex-offender registration",
    ItemKind.HOUSING: "Housing",
    ItemKind.EMPLOYMENT: "Employment",
    ItemKind.TREATMENT: "Treatment and medication (including a MAT/MOUD bridge)",
    ItemKind.BENEFITS: "Benefits and entitlements",
    ItemKind.MENTORING: "Mentoring and peer support",
    ItemKind.FAMILY: "Family",
    ItemKind.OTHER: "Other",
}


class ItemStatus(enum.StrEnum):
    TO_DO = "to_do"
    IN_PROGRESS = "in_progress"
    ARRANGED = "arranged"
    NOT_NEEDED = "not_needed"
    COULD_NOT_ARRANGE = "could_not_arrange"

    @property
    def label(self) -> str:
        return {
            "to_do": "To do",
            "in_progress": "In progress",
            "arranged": "Arranged",
            "not_needed": "Not needed",
            "could_not_arrange": "Could not arrange",
        }[self.value]

    @property
    def needs_reason(self) -> bool:
        return self in (ItemStatus.NOT_NEEDED, ItemStatus.COULD_NOT_ARRANGE)

    @property
    def is_open(self) -> bool:
        """Still being worked on: a due date in the past makes it overdue."""
        return self in (ItemStatus.TO_DO, ItemStatus.IN_PROGRESS)


# Who does the work: a team member's user id, or one of these two words.
OWNER_PERSON = "person"
OWNER_PROVIDER = "provider"
OWNER_LABELS = {OWNER_PERSON: "The person", OWNER_PROVIDER: "The provider"}

# Default due dates: days before the projected release date. One table; change it here.
DUE_DAYS_BEFORE_RELEASE: dict[ItemKind, int] = {
    ItemKind.HOUSING: 30,
    ItemKind.ID_DOCUMENTS: 30,
    ItemKind.REGISTRATION: 14,
    ItemKind.EMPLOYMENT: 14,
    ItemKind.BENEFITS: 14,
    ItemKind.TREATMENT: 14,
    ItemKind.DISCHARGE_FUNDS: 7,
    ItemKind.TRANSPORTATION: 7,
    ItemKind.CLOTHING: 7,
    ItemKind.MENTORING: 7,
    ItemKind.FAMILY: 7,
}

# The default checklist, in the order a counselor reads it. "other" is added by hand only;
# "registration" only when the person's eligibility profile says they are on the registry.
DEFAULT_KINDS: tuple[ItemKind, ...] = tuple(k for k in ItemKind if k != ItemKind.OTHER)
REGISTRY_FLAG = FLAG_FOR[Criterion.SEX_OFFENSE_REGISTRY]  # the profile's own name for it

MAX_TITLE = 200
MAX_NOTES = 2000
MAX_REASON = 500
