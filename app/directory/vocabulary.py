"""The fixed vocabularies of the catalog: service status, capacity status, eligibility.

Plain enums with no database import, so the eligibility matcher, forms, the API and the client
profile of the referral domain all share one list of codes and labels.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ServiceStatus(enum.StrEnum):
    """HSDS 3.1 service.status."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    DEFUNCT = "defunct"
    TEMPORARILY_CLOSED = "temporarily closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class CapacityStatus(enum.StrEnum):
    """Aligned with the FHIR SDOH Clinical Care capacity status codes."""

    HAS_CAPACITY = "has-capacity"
    NO_CAPACITY = "no-capacity"
    WAITLIST = "waitlist"
    ASSESSMENT_REQUIRED = "assessment-required"

    @property
    def label(self) -> str:
        return {
            "has-capacity": "Has room",
            "no-capacity": "Full",
            "waitlist": "Waitlist",
            "assessment-required": "Assessment required",
        }[self.value]


class Answer(enum.StrEnum):
    """A provider's answer to one eligibility question."""

    YES = "yes"
    NO = "no"
    CASE_BY_CASE = "case_by_case"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {
            "yes": "Yes",
            "no": "No",
            "case_by_case": "Case by case",
            "unknown": "Unknown — call to verify",
        }[self.value]


class CriterionKind(enum.StrEnum):
    ACCEPTS = "accepts"  # "yes" means the provider accepts people to whom this applies
    RESTRICTS = "restricts"  # "yes" means the provider limits who it serves (see values)


class Criterion(enum.StrEnum):
    SEX_OFFENSE_REGISTRY = "sex_offense_registry"
    VIOLENT_CONVICTION = "violent_conviction"
    ARSON_CONVICTION = "arson_conviction"
    GENDER = "gender"
    AGE = "age"
    VETERANS_ONLY = "veterans_only"
    MAT_ALLOWED = "mat_allowed"
    SOBRIETY_REQUIRED = "sobriety_required"
    MEDICAID_ACCEPTED = "medicaid_accepted"
    RESIDENCE = "residence"
    SUPERVISION = "supervision"
    DOCUMENTS = "documents"
    FAMILIES = "families_with_children"

    @property
    def kind(self) -> CriterionKind:
        return CRITERIA[self].kind

    @property
    def question(self) -> str:
        return CRITERIA[self].question

    @property
    def conviction_related(self) -> bool:
        return self in CONVICTION_CRITERIA


class Gender(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"
    TRANSGENDER_NONBINARY = "transgender_nonbinary"

    @property
    def label(self) -> str:
        return {
            "male": "Men",
            "female": "Women",
            "transgender_nonbinary": "Transgender and non-binary people",
        }[self.value]


class Supervision(enum.StrEnum):
    PAROLE = "parole"
    PROBATION = "probation"
    TRANSITIONAL = "transitional_supervision"
    NONE = "none"

    @property
    def label(self) -> str:
        return {
            "parole": "Parole",
            "probation": "Probation",
            "transitional_supervision": "Transitional supervision",
            "none": "No supervision",
        }[self.value]


class Document(enum.StrEnum):
    STATE_ID = "state_id"
    SOCIAL_SECURITY_CARD = "social_security_card"
    BIRTH_CERTIFICATE = "birth_certificate"
    MEDICAID_CARD = "medicaid_card"
    DD214 = "dd214"
    PROOF_OF_INCOME = "proof_of_income"
    RELEASE_PAPERS = "release_papers"

    @property
    def label(self) -> str:
        return {
            "state_id": "State ID or driver's license",
            "social_security_card": "Social Security card",
            "birth_certificate": "Birth certificate",
            "medicaid_card": "Medicaid card",
            "dd214": "Military discharge papers (DD-214)",
            "proof_of_income": "Proof of income",
            "release_papers": "Release papers",
        }[self.value]

    @property
    def short(self) -> str:
        """The noun inside a sentence: "Needs: birth certificate, state ID"."""
        return {
            "state_id": "state ID",
            "social_security_card": "Social Security card",
            "birth_certificate": "birth certificate",
            "medicaid_card": "Medicaid card",
            "dd214": "DD-214",
            "proof_of_income": "proof of income",
            "release_papers": "release papers",
        }[self.value]


class _CriterionInfo:
    def __init__(self, kind: CriterionKind, question: str, short: str) -> None:
        self.kind = kind
        self.question = question
        self.short = short


CRITERIA: dict[Criterion, _CriterionInfo] = {
    Criterion.SEX_OFFENSE_REGISTRY: _CriterionInfo(
        CriterionKind.ACCEPTS,
        "Accepts people on the sex-offense registry?",
        "sex-offense registry",
    ),
    Criterion.VIOLENT_CONVICTION: _CriterionInfo(
        CriterionKind.ACCEPTS, "Accepts people with violent convictions?", "violent convictions"
    ),
    Criterion.ARSON_CONVICTION: _CriterionInfo(
        CriterionKind.ACCEPTS, "Accepts people with arson convictions?", "arson convictions"
    ),
    Criterion.GENDER: _CriterionInfo(
        CriterionKind.RESTRICTS, "Serves only certain genders?", "gender"
    ),
    Criterion.AGE: _CriterionInfo(CriterionKind.RESTRICTS, "Has an age limit?", "age"),
    Criterion.VETERANS_ONLY: _CriterionInfo(
        CriterionKind.RESTRICTS, "Serves veterans only?", "veterans only"
    ),
    Criterion.MAT_ALLOWED: _CriterionInfo(
        CriterionKind.ACCEPTS,
        "Allows medication for opioid use disorder (MAT/MOUD)?",
        "medication for opioid use disorder",
    ),
    Criterion.SOBRIETY_REQUIRED: _CriterionInfo(
        CriterionKind.RESTRICTS, "Requires sobriety?", "sobriety"
    ),
    Criterion.MEDICAID_ACCEPTED: _CriterionInfo(
        CriterionKind.ACCEPTS, "Accepts Medicaid as insurance?", "Medicaid"
    ),
    Criterion.RESIDENCE: _CriterionInfo(
        CriterionKind.RESTRICTS, "Serves only certain towns or counties?", "residence"
    ),
    Criterion.SUPERVISION: _CriterionInfo(
        CriterionKind.RESTRICTS,
        "Accepts only certain supervision statuses?",
        "supervision status",
    ),
    Criterion.DOCUMENTS: _CriterionInfo(
        CriterionKind.RESTRICTS, "Requires documents at intake?", "documents"
    ),
    Criterion.FAMILIES: _CriterionInfo(
        CriterionKind.ACCEPTS,
        "Takes families with children (the children stay too)?",
        "families with children",
    ),
}


@dataclass(frozen=True)
class ProfileFlag:
    """A yes / no / not-known fact about a person that one criterion asks about."""

    name: str  # EligibilityProfile field, key in Client.eligibility, form field, query parameter
    question: str  # what a counselor reads on every form
    criterion: Criterion
    said_yes: str = ""  # a few words for "yes" and "no" in a one-line summary of a search
    said_no: str = ""

    def words(self, answer: bool | None) -> str | None:
        """The summary's words for an answer; None when not known."""
        if answer is None:
            return None
        return self.said_yes if answer else self.said_no


# The person's side of the eligibility vocabulary, defined once: every form, parser, serializer
# and template loops over these (a new flag also needs its EligibilityProfile field).
PROFILE_FLAGS: tuple[ProfileFlag, ...] = (
    ProfileFlag(
        "on_registry",
        "On the sex-offense registry?",
        Criterion.SEX_OFFENSE_REGISTRY,
        "on the registry",
        "not on the registry",
    ),
    ProfileFlag(
        "violent_conviction",
        "Has a violent conviction?",
        Criterion.VIOLENT_CONVICTION,
        "a violent conviction",
        "no violent conviction",
    ),
    ProfileFlag(
        "arson_conviction",
        "Has an arson conviction?",
        Criterion.ARSON_CONVICTION,
        "an arson conviction",
        "no arson conviction",
    ),
    ProfileFlag(
        "on_mat",
        "Takes medication for opioid use disorder (MAT/MOUD)?",
        Criterion.MAT_ALLOWED,
        "on MAT/MOUD",
        "not on MAT/MOUD",
    ),
    ProfileFlag(
        "needs_medicaid",
        "Will pay with Medicaid?",
        Criterion.MEDICAID_ACCEPTED,
        "pays with Medicaid",
        "not with Medicaid",
    ),
    ProfileFlag("veteran", "A veteran?", Criterion.VETERANS_ONLY, "a veteran", "not a veteran"),
    ProfileFlag(
        "sober",
        "Sober and willing to stay sober?",
        Criterion.SOBRIETY_REQUIRED,
        "sober",
        "not sober",
    ),
    ProfileFlag(
        "with_children",
        "Bringing children with them?",
        Criterion.FAMILIES,
        "with children",
        "no children with them",
    ),
)
FLAG_FOR: dict[Criterion, str] = {flag.criterion: flag.name for flag in PROFILE_FLAGS}


CONVICTION_CRITERIA = frozenset(
    {Criterion.SEX_OFFENSE_REGISTRY, Criterion.VIOLENT_CONVICTION, Criterion.ARSON_CONVICTION}
)

SELF_REPORTED_NOTICE = (
    "Conviction-related rules are self-reported by the provider. Confirm with the provider "
    "before you refer."
)


class SiteVisitOverall(enum.StrEnum):
    RECOMMEND = "recommend"
    WITH_CONCERNS = "with_concerns"
    DO_NOT_REFER = "do_not_refer"

    @property
    def label(self) -> str:
        return {
            "recommend": "Recommend",
            "with_concerns": "Refer with concerns",
            "do_not_refer": "Do not refer",
        }[self.value]


class Rating(enum.StrEnum):
    GOOD = "good"
    ADEQUATE = "adequate"
    POOR = "poor"
    NOT_SEEN = "not_seen"

    @property
    def label(self) -> str:
        return {
            "good": "Good",
            "adequate": "Adequate",
            "poor": "Poor",
            "not_seen": "Not seen",
        }[self.value]
