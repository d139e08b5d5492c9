"""The pure eligibility matcher: every criterion × every answer × every state of knowledge."""

from __future__ import annotations

import pytest

import app.models  # noqa: F401 - every mapper, so a model can be built when this file runs alone
from app.directory.eligibility import (
    EligibilityProfile,
    Status,
    describe_rule,
    match_rules,
)
from app.directory.models import EligibilityRule
from app.directory.vocabulary import Answer, Criterion, Document, Gender, Supervision

E, N, U = Status.ELIGIBLE, Status.NOT_ELIGIBLE, Status.UNKNOWN
NOT_STATED = None


def rule(criterion, answer, values=(), min_age=None, max_age=None, strict=False):  # noqa: ANN001,ANN201
    return EligibilityRule(
        criterion=criterion,
        answer=answer,
        values=list(values),
        min_age=min_age,
        max_age=max_age,
        strict=strict,
    )


def check(profile: EligibilityProfile, *rules):  # noqa: ANN002,ANN201
    return match_rules(profile, list(rules))


# --- ACCEPTS criteria ------------------------------------------------------------------------

ACCEPTS = {
    Criterion.SEX_OFFENSE_REGISTRY: "on_registry",
    Criterion.VIOLENT_CONVICTION: "violent_conviction",
    Criterion.ARSON_CONVICTION: "arson_conviction",
    Criterion.MAT_ALLOWED: "on_mat",
    Criterion.MEDICAID_ACCEPTED: "needs_medicaid",
}

# answer -> expected status for profile flag True / False / None
ACCEPTS_TABLE = {
    Answer.YES: (E, E, E),
    Answer.NO: (N, E, U),
    Answer.CASE_BY_CASE: (U, E, E),
    Answer.UNKNOWN: (U, E, E),
    NOT_STATED: (U, E, E),
}


@pytest.mark.parametrize("criterion", list(ACCEPTS))
@pytest.mark.parametrize("answer", list(ACCEPTS_TABLE))
@pytest.mark.parametrize("flag_index,flag", [(0, True), (1, False), (2, None)])
def test_accepts_criteria(criterion, answer, flag_index, flag) -> None:  # noqa: ANN001
    profile = EligibilityProfile(**{ACCEPTS[criterion]: flag})
    rules = [] if answer is NOT_STATED else [rule(criterion, answer)]
    verdict = match_rules(profile, rules)
    expected = ACCEPTS_TABLE[answer][flag_index]
    assert verdict.status == expected
    listed = verdict.reasons + verdict.questions
    assert [c for c, _ in listed] == ([] if expected == E else [criterion])


def test_accepts_messages_name_the_rule_or_the_question() -> None:
    refuses = rule(Criterion.SEX_OFFENSE_REGISTRY, Answer.NO)
    on_registry = EligibilityProfile(on_registry=True)
    assert check(on_registry, refuses).reasons == [
        (Criterion.SEX_OFFENSE_REGISTRY, "Does not accept people on the sex-offense registry")
    ]
    assert check(EligibilityProfile(), refuses).questions == [
        (Criterion.SEX_OFFENSE_REGISTRY, "Ask whether the person is on the sex-offense registry")
    ]
    case = check(on_registry, rule(Criterion.SEX_OFFENSE_REGISTRY, Answer.CASE_BY_CASE))
    assert case.questions[0][1].startswith("Decided case by case — call the provider about")
    assert "sex-offense registry" in case.questions[0][1]
    unknown = check(on_registry, rule(Criterion.SEX_OFFENSE_REGISTRY, Answer.UNKNOWN))
    not_stated = check(on_registry)
    expected = "Not known whether they accept people on the sex-offense registry — call to verify"
    assert unknown.questions[0][1] == expected
    assert not_stated.questions[0][1] == expected
    medicaid = check(
        EligibilityProfile(needs_medicaid=True), rule(Criterion.MEDICAID_ACCEPTED, Answer.NO)
    )
    assert medicaid.reasons[0][1] == "Does not accept Medicaid"


# --- RESTRICTS criteria ----------------------------------------------------------------------

# criterion -> (rule values/bounds, profile affected, profile not affected); unknown = empty profile
RESTRICTS = {
    Criterion.VETERANS_ONLY: ({}, {"veteran": False}, {"veteran": True}),
    Criterion.SOBRIETY_REQUIRED: ({}, {"sober": False}, {"sober": True}),
    Criterion.GENDER: ({"values": ["female"]}, {"gender": Gender.MALE}, {"gender": Gender.FEMALE}),
    Criterion.AGE: ({"min_age": 18, "max_age": 24}, {"age": 30}, {"age": 20}),
    Criterion.RESIDENCE: (
        {"values": ["Hartford"]},
        {"town": "Bristol", "county": "Litchfield County"},
        {"town": "Hartford"},
    ),
    Criterion.SUPERVISION: (
        {"values": ["parole"]},
        {"supervision": Supervision.PROBATION},
        {"supervision": Supervision.PAROLE},
    ),
    Criterion.DOCUMENTS: (  # strictly required; otherwise "needs documents" (tests/conditions)
        {"values": ["state_id"], "strict": True},
        {"documents": set()},
        {"documents": {Document.STATE_ID}},
    ),
}

# answer -> expected status for profile affected / not affected / not known
RESTRICTS_TABLE = {
    Answer.YES: (N, E, U),
    Answer.NO: (E, E, E),
    Answer.CASE_BY_CASE: (U, E, E),
    Answer.UNKNOWN: (U, U, E),
    NOT_STATED: (E, E, E),
}


@pytest.mark.parametrize("criterion", list(RESTRICTS))
@pytest.mark.parametrize("answer", list(RESTRICTS_TABLE))
@pytest.mark.parametrize("state", [0, 1, 2], ids=["affected", "not-affected", "not-known"])
def test_restricts_criteria(criterion, answer, state) -> None:  # noqa: ANN001
    limit, affected, fine = RESTRICTS[criterion]
    profile = EligibilityProfile(**[affected, fine, {}][state])
    rules = [] if answer is NOT_STATED else [rule(criterion, answer, **limit)]
    verdict = match_rules(profile, rules)
    expected = RESTRICTS_TABLE[answer][state]
    assert verdict.status == expected
    listed = verdict.reasons + verdict.questions
    assert [c for c, _ in listed] == ([] if expected == E else [criterion])
    assert verdict.conviction_related is False


def test_restricts_messages() -> None:
    women = rule(Criterion.GENDER, Answer.YES, values=["female"])
    assert check(EligibilityProfile(gender=Gender.MALE), women).reasons[0][1] == (
        "Serves women only"
    )
    ages = rule(Criterion.AGE, Answer.YES, min_age=18, max_age=24)
    assert check(EligibilityProfile(age=40), ages).reasons[0][1] == "Ages 18–24 only"
    towns = rule(Criterion.RESIDENCE, Answer.YES, values=["Hartford", "West Hartford"])
    assert check(EligibilityProfile(town="Bristol", county="Hartford County"), towns).reasons[0][
        1
    ] == ("Serves only residents of Hartford, West Hartford")
    vets = rule(Criterion.VETERANS_ONLY, Answer.UNKNOWN)
    assert check(EligibilityProfile(veteran=True), vets).questions[0][1] == (
        "Call to verify: Serves veterans only?"
    )
    assert "Ask the person's age" in check(EligibilityProfile(), ages).questions[0][1]


@pytest.mark.parametrize(
    "age,expected", [(17, N), (18, E), (21, E), (24, E), (25, N), (0, N), (120, N)]
)
def test_age_bounds_are_inclusive(age, expected) -> None:  # noqa: ANN001
    ages = rule(Criterion.AGE, Answer.YES, min_age=18, max_age=24)
    assert check(EligibilityProfile(age=age), ages).status == expected


def test_age_with_one_bound() -> None:
    over_55 = rule(Criterion.AGE, Answer.YES, min_age=55)
    assert check(EligibilityProfile(age=54), over_55).reasons[0][1] == "Ages 55 and over only"
    assert check(EligibilityProfile(age=90), over_55).status == E
    under_25 = rule(Criterion.AGE, Answer.YES, max_age=25)
    assert check(EligibilityProfile(age=25), under_25).status == E
    assert check(EligibilityProfile(age=26), under_25).reasons[0][1] == "Ages 25 and under only"


@pytest.mark.parametrize(
    "low,high,min_age,max_age,expected",
    [
        (18, 24, 25, None, N),  # "25 and over": no young adult
        (18, 24, 24, None, E),  # a 24-year-old may come
        (18, 24, None, 17, N),  # children only
        (18, 24, None, 18, E),
        (18, 24, 20, 22, E),
        (0, 17, 18, None, N),  # adults only: no child
        (0, 17, 17, None, E),
    ],
)
def test_an_age_range_is_refused_only_when_every_age_is(
    low, high, min_age, max_age, expected
) -> None:  # noqa: ANN001,E501
    ages = rule(Criterion.AGE, Answer.YES, min_age=min_age, max_age=max_age)
    assert check(EligibilityProfile(age_range=(low, high)), ages).status == expected


def test_an_exact_age_wins_over_a_range() -> None:
    over_25 = rule(Criterion.AGE, Answer.YES, min_age=25)
    assert check(EligibilityProfile(age=30, age_range=(18, 24)), over_25).status == E


@pytest.mark.parametrize(
    "town,county,expected",
    [
        ("hartford", None, E),
        ("  HARTFORD ", None, E),
        ("Bristol", "hartford county", E),
        (None, "HARTFORD COUNTY", E),
        ("Bristol", "Litchfield County", N),
        ("Bristol", None, U),  # the county might be listed
        (None, "Litchfield County", U),  # the town might be listed
        (None, None, U),
    ],
)
def test_residence_matches_town_or_county_case_insensitively(town, county, expected) -> None:  # noqa: ANN001
    towns = rule(Criterion.RESIDENCE, Answer.YES, values=["Hartford", "Hartford County"])
    assert check(EligibilityProfile(town=town, county=county), towns).status == expected


def test_documents_lists_the_missing_ones() -> None:
    docs = rule(
        Criterion.DOCUMENTS,
        Answer.YES,
        values=["state_id", "social_security_card", "birth_certificate"],
        strict=True,
    )
    verdict = check(EligibilityProfile(documents={Document.SOCIAL_SECURITY_CARD}), docs)
    assert verdict.reasons == [
        (
            Criterion.DOCUMENTS,
            "Requires a state ID and a birth certificate, which this person does not have",
        )
    ]
    one = rule(Criterion.DOCUMENTS, Answer.YES, values=["state_id"], strict=True)
    assert check(EligibilityProfile(documents=set()), one).reasons[0][1] == (
        "Requires a state ID, which this person does not have"
    )
    everything = set(Document)
    assert check(EligibilityProfile(documents=everything), docs).status == E


def test_restricting_yes_without_values_cannot_be_checked() -> None:
    listless = rule(Criterion.GENDER, Answer.YES, values=[])
    verdict = check(EligibilityProfile(gender=Gender.FEMALE), listless)
    assert verdict.status == U
    assert "call to verify" in verdict.questions[0][1]


# --- The overall verdict ---------------------------------------------------------------------


def test_empty_profile_against_no_rules_is_eligible() -> None:
    verdict = check(EligibilityProfile())
    assert verdict.status == E
    assert verdict.reasons == [] and verdict.questions == []
    assert verdict.conviction_related is False


def test_not_eligible_wins_over_unknown_and_lists_every_exclusion() -> None:
    rules = [
        rule(Criterion.SEX_OFFENSE_REGISTRY, Answer.NO),  # unknown: not asked
        rule(Criterion.GENDER, Answer.YES, values=["female"]),  # excludes
        rule(Criterion.VETERANS_ONLY, Answer.YES),  # excludes
        rule(Criterion.AGE, Answer.YES, min_age=18),  # passes
    ]
    profile = EligibilityProfile(gender=Gender.MALE, veteran=False, age=40)
    verdict = match_rules(profile, rules)
    assert verdict.status == N
    assert [c for c, _ in verdict.reasons] == [Criterion.GENDER, Criterion.VETERANS_ONLY]
    assert [c for c, _ in verdict.questions] == [Criterion.SEX_OFFENSE_REGISTRY]


def test_unknown_wins_over_eligible() -> None:
    rules = [rule(Criterion.AGE, Answer.YES, min_age=18), rule(Criterion.VETERANS_ONLY, Answer.YES)]
    verdict = match_rules(EligibilityProfile(age=30), rules)
    assert verdict.status == U
    assert verdict.questions == [(Criterion.VETERANS_ONLY, "Ask whether the person is a veteran")]


def test_conviction_flag_only_when_a_conviction_rule_contributed() -> None:
    arson = rule(Criterion.ARSON_CONVICTION, Answer.NO)
    assert check(EligibilityProfile(arson_conviction=True), arson).conviction_related is True
    assert check(EligibilityProfile(), arson).conviction_related is True  # a question to ask
    assert check(EligibilityProfile(arson_conviction=False), arson).conviction_related is False
    mat = rule(Criterion.MAT_ALLOWED, Answer.NO)
    assert check(EligibilityProfile(on_mat=True), mat).conviction_related is False


def test_match_reads_a_services_rules(app) -> None:  # noqa: ANN001
    from app.directory.eligibility import match
    from tests import factories

    service = factories.make_service()
    factories.make_rule(service, Criterion.VETERANS_ONLY, Answer.YES)
    factories.reload(service)
    assert match(EligibilityProfile(veteran=False), service).status == N
    assert match(EligibilityProfile(veteran=True), service).status == E


# --- Plain words ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "the_rule,words",
    [
        (
            rule(Criterion.SEX_OFFENSE_REGISTRY, Answer.NO),
            "Accepts people on the sex-offense registry: No",
        ),
        (rule(Criterion.GENDER, Answer.YES, values=["female"]), "Serves only: Women"),
        (rule(Criterion.AGE, Answer.YES, min_age=18, max_age=24), "Age limit: 18 to 24"),
        (rule(Criterion.AGE, Answer.YES, min_age=55), "Age limit: 55 and over"),
        (rule(Criterion.VETERANS_ONLY, Answer.YES), "Serves veterans only"),
        (rule(Criterion.SOBRIETY_REQUIRED, Answer.NO), "Requires sobriety: No"),
        (
            rule(Criterion.MAT_ALLOWED, Answer.UNKNOWN),
            "Allows medication for opioid use disorder (MAT/MOUD): Unknown — call to verify",
        ),
        (
            rule(Criterion.RESIDENCE, Answer.YES, values=["Hartford", "New Britain"]),
            "Serves only residents of: Hartford, New Britain",
        ),
        (
            rule(Criterion.SUPERVISION, Answer.YES, values=["parole", "probation"]),
            "Accepts only: Parole, Probation",
        ),
        (
            rule(Criterion.DOCUMENTS, Answer.YES, values=["state_id"]),
            "Requires documents: State ID or driver's license",
        ),
        (
            rule(Criterion.VIOLENT_CONVICTION, Answer.CASE_BY_CASE),
            "Accepts people with violent convictions: Case by case",
        ),
    ],
)
def test_describe_rule(the_rule, words) -> None:  # noqa: ANN001
    assert describe_rule(the_rule) == words
