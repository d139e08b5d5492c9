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


# Essential items: what Connecticut's discharge plan must cover (funds, transportation, clothing,
# DNA / sex-offender registration, housing, employment, special treatment needs) plus ID. Readiness
# and "released in line with the discharge plan" count these; the others help but do not block.
ESSENTIAL_KINDS: frozenset[ItemKind] = frozenset(
    {
        ItemKind.DISCHARGE_FUNDS,
        ItemKind.TRANSPORTATION,
        ItemKind.CLOTHING,
        ItemKind.ID_DOCUMENTS,
        ItemKind.REGISTRATION,
        ItemKind.HOUSING,
        ItemKind.EMPLOYMENT,
        ItemKind.TREATMENT,
    }
)


class Juncture(enum.StrEnum):
    """The four points where the team formally reviews the plan and a dated version is kept."""

    INTAKE = "intake"
    BEFORE_RELEASE = "before_release"
    RETURN_TO_COMMUNITY = "return_to_community"
    DISCHARGE_FROM_SUPERVISION = "discharge_from_supervision"

    @property
    def label(self) -> str:
        return {
            "intake": "At intake",
            "before_release": "Before release",
            "return_to_community": "On return to the community",
            "discharge_from_supervision": "At discharge from supervision",
        }[self.value]


class PersonAnswer(enum.StrEnum):
    """What the person can say about an item from their card page."""

    WENT = "went"
    COULD_NOT_GO = "could_not_go"
    NEED_HELP = "need_help"

    @property
    def label(self) -> str:
        return {
            "went": "I went",
            "could_not_go": "I could not go",
            "need_help": "I need help with this",
        }[self.value]


# Settled at release: nothing more to arrange. Every other status is "not arranged at release"
# (the release page's list, the release audit entry and the network's gap measures).
SETTLED_STATUSES: frozenset[ItemStatus] = frozenset({ItemStatus.ARRANGED, ItemStatus.NOT_NEEDED})
NOT_ARRANGED_STATUSES: frozenset[ItemStatus] = frozenset(ItemStatus) - SETTLED_STATUSES

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
