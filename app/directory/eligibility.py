"""Eligibility: does this person fit this service's rules? Eligible, not eligible, or unknown.

A provider answers a fixed set of questions (app.directory.vocabulary.Criterion); each answer is
one EligibilityRule row. No row for a criterion means "not stated".

- ACCEPTS criteria (sex-offense registry, violent conviction, arson conviction, MAT allowed,
  Medicaid accepted): "yes" = accepts people to whom it applies; "no" = refuses them.
- RESTRICTS criteria: veterans_only (yes = veterans only), sobriety_required (yes = requires
  sobriety), gender (yes = only the genders in `values`), age (yes = only ages min_age..max_age
  inclusive; either bound may be None), residence (yes = only residents of the towns/counties in
  `values`, compared case-insensitively with the profile's town and county), supervision (yes =
  only the supervision statuses in `values`), documents (yes = requires every code in `values`).

For each criterion we ask whether the person is `affected`: would they be excluded if the answer
were restrictive? True, False or None (not known). ACCEPTS: the matching profile flag. RESTRICTS:
not a veteran / not sober / gender not listed / age outside the range / neither town nor county
listed / supervision status not listed / a required document not held. Residence with only one
of town/county known and no match is None: the other one might be listed.

Documents are different: a missing document can be got, so a documents rule that is not marked
`strict` makes the person NEEDS DOCUMENTS ("Needs: birth certificate"), not NOT ELIGIBLE; only a
rule the provider marked strictly required excludes. Search counts only NOT ELIGIBLE as refusing.

Outcome per criterion:
- affected False -> passes.
- restrictive answer (ACCEPTS+no, RESTRICTS+yes): affected True -> NOT ELIGIBLE (reason names the
  rule); affected None -> UNKNOWN (the question to ask the person). A RESTRICTS "yes" that lists
  no values or bounds cannot be checked -> UNKNOWN ("call to verify").
- non-restrictive answer (ACCEPTS+yes, RESTRICTS+no) -> passes.
- case_by_case: affected True -> UNKNOWN ("call the provider about ..."); otherwise passes.
- unknown answer or not stated: ACCEPTS with affected True -> UNKNOWN ("not known whether they
  accept ..."); RESTRICTS with an explicit "unknown" and the profile field known -> UNKNOWN ("call
  to verify: <question>"); otherwise passes.

Verdict: any NOT ELIGIBLE -> not_eligible (every excluding rule listed); else any UNKNOWN ->
unknown (what to ask or verify); else missing documents -> needs_documents; else eligible.
Matching is pure: no queries, no Flask, so search, referrals and the API all call the same
functions.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.directory.vocabulary import (
    CRITERIA,
    FLAG_FOR,
    PROFILE_FLAGS,
    SELF_REPORTED_NOTICE,
    Answer,
    Criterion,
    CriterionKind,
    Document,
    Gender,
    Supervision,
)


class RuleLike(Protocol):
    criterion: Criterion
    answer: Answer
    values: list[str]
    min_age: int | None
    max_age: int | None


@dataclass(frozen=True)
class EligibilityProfile:
    """What a counselor knows about a person; every field None = not known. No identity."""

    on_registry: bool | None = None
    violent_conviction: bool | None = None
    arson_conviction: bool | None = None
    on_mat: bool | None = None
    needs_medicaid: bool | None = None
    veteran: bool | None = None
    sober: bool | None = None
    with_children: bool | None = None  # a family: children stay with the person
    gender: Gender | None = None
    age: int | None = None
    # A group instead of one age ("young adults": 18 to 24, both included): an age rule
    # excludes them only when it excludes every age in the range. Used when age is None.
    age_range: tuple[int, int] | None = None
    town: str | None = None
    county: str | None = None
    supervision: Supervision | None = None
    documents: frozenset[Document] | set[Document] | None = None


class Status(enum.StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    UNKNOWN = "unknown"
    NEEDS_DOCUMENTS = "needs_documents"

    @property
    def label(self) -> str:
        return {
            "eligible": "Eligible",
            "not_eligible": "Not eligible",
            "unknown": "Not sure — check first",
            "needs_documents": "Needs documents",
        }[self.value]


@dataclass
class Verdict:
    status: Status
    reasons: list[tuple[Criterion, str]] = field(default_factory=list)
    questions: list[tuple[Criterion, str]] = field(default_factory=list)
    conviction_related: bool = False
    # Documents the person lacks that the service asks for but does not strictly require.
    needs: list[Document] = field(default_factory=list)

    @property
    def needs_line(self) -> str | None:
        """ "Needs: birth certificate, state ID"; None when nothing is missing."""
        if not self.needs:
            return None
        return "Needs: " + ", ".join(document.short for document in self.needs)


# ACCEPTS criteria: which profile flag applies, and the verb phrase for messages.
_ACCEPTS: dict[Criterion, tuple[str, str]] = {
    criterion: (FLAG_FOR[criterion], phrase)
    for criterion, phrase in (
        (Criterion.SEX_OFFENSE_REGISTRY, "accept people on the sex-offense registry"),
        (Criterion.VIOLENT_CONVICTION, "accept people with violent convictions"),
        (Criterion.ARSON_CONVICTION, "accept people with arson convictions"),
        (Criterion.MAT_ALLOWED, "allow medication for opioid use disorder (MAT/MOUD)"),
        (Criterion.MEDICAID_ACCEPTED, "accept Medicaid"),
        (Criterion.FAMILIES, "take families with children"),
    )
}

_ASK: dict[Criterion, str] = {
    Criterion.SEX_OFFENSE_REGISTRY: "Ask whether the person is on the sex-offense registry",
    Criterion.VIOLENT_CONVICTION: "Ask whether the person has a violent conviction",
    Criterion.ARSON_CONVICTION: "Ask whether the person has an arson conviction",
    Criterion.MAT_ALLOWED: "Ask whether the person takes medication for opioid use disorder",
    Criterion.MEDICAID_ACCEPTED: "Ask whether the person will pay with Medicaid",
    Criterion.VETERANS_ONLY: "Ask whether the person is a veteran",
    Criterion.SOBRIETY_REQUIRED: "Ask whether the person is sober and willing to stay sober",
    Criterion.GENDER: "Ask the person's gender",
    Criterion.AGE: "Ask the person's age",
    Criterion.RESIDENCE: "Ask which town and county the person lives in",
    Criterion.SUPERVISION: "Ask the person's supervision status",
    Criterion.DOCUMENTS: "Ask which documents the person has",
    Criterion.FAMILIES: "Ask whether children will stay with the person",
}

# "a state ID" reads better in a sentence than the form label.
_DOCUMENT_NOUNS: dict[Document, str] = {
    Document.STATE_ID: "a state ID",
    Document.SOCIAL_SECURITY_CARD: "a Social Security card",
    Document.BIRTH_CERTIFICATE: "a birth certificate",
    Document.MEDICAID_CARD: "a Medicaid card",
    Document.DD214: "military discharge papers (DD-214)",
    Document.PROOF_OF_INCOME: "proof of income",
    Document.RELEASE_PAPERS: "release papers",
}

VALUE_CRITERIA = {
    Criterion.GENDER,
    Criterion.RESIDENCE,
    Criterion.SUPERVISION,
    Criterion.DOCUMENTS,
}


def _join(words: list[str], last: str = "and") -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def _labels(enum_cls: type[enum.StrEnum], codes: Iterable[str]) -> list[str]:
    out = []
    for code in codes:
        try:
            out.append(enum_cls(code).label)  # type: ignore[attr-defined]
        except ValueError:
            out.append(code)
    return out


def age_range_words(min_age: int | None, max_age: int | None, sep: str = "–") -> str:
    if min_age is not None and max_age is not None:
        return f"{min_age}{sep}{max_age}"
    if min_age is not None:
        return f"{min_age} and over"
    return f"{max_age} and under"


def has_limit(rule: RuleLike) -> bool:
    """Whether a RESTRICTS rule says whom it limits to (values or an age bound)."""
    if rule.criterion == Criterion.AGE:
        return rule.min_age is not None or rule.max_age is not None
    if rule.criterion in VALUE_CRITERIA:
        return bool(rule.values)
    return True


def _document_noun(code: str) -> str:
    try:
        return _DOCUMENT_NOUNS[Document(code)]
    except ValueError:
        return code


def _missing_documents(rule: RuleLike, profile: EligibilityProfile) -> list[str]:
    held = {str(d) for d in profile.documents or ()}
    return [code for code in rule.values if code not in held]


def is_strict(rule: RuleLike) -> bool:
    """Whether the provider marked the required documents strictly required (no papers, no
    entry). Rows without the flag (search facts) count as not strict."""
    return bool(getattr(rule, "strict", False))


def _field_known(criterion: Criterion, profile: EligibilityProfile) -> bool:
    if criterion == Criterion.RESIDENCE:
        return bool(profile.town or profile.county)
    if criterion == Criterion.AGE:
        return profile.age is not None or profile.age_range is not None
    attribute = (
        FLAG_FOR.get(criterion)
        or {
            Criterion.GENDER: "gender",
            Criterion.AGE: "age",
            Criterion.SUPERVISION: "supervision",
            Criterion.DOCUMENTS: "documents",
        }[criterion]
    )
    return getattr(profile, attribute) is not None


def affected(rule: RuleLike, profile: EligibilityProfile) -> bool | None:
    """Would the person be excluded if this rule's answer were restrictive? None = not known."""
    c = rule.criterion
    if c in _ACCEPTS:
        return getattr(profile, _ACCEPTS[c][0])
    if not _field_known(c, profile):
        return None
    if c == Criterion.VETERANS_ONLY:
        return not profile.veteran
    if c == Criterion.SOBRIETY_REQUIRED:
        return not profile.sober
    if not has_limit(rule):
        return True
    if c == Criterion.GENDER:
        return str(profile.gender) not in rule.values
    if c == Criterion.AGE:
        low, high = (profile.age, profile.age) if profile.age is not None else profile.age_range
        too_young = rule.min_age is not None and high < rule.min_age
        return too_young or (rule.max_age is not None and low > rule.max_age)
    if c == Criterion.RESIDENCE:
        listed = {v.strip().casefold() for v in rule.values}
        places = [p.strip().casefold() for p in (profile.town, profile.county) if p]
        if any(p in listed for p in places):
            return False
        return True if profile.town and profile.county else None
    if c == Criterion.SUPERVISION:
        return str(profile.supervision) not in rule.values
    return bool(_missing_documents(rule, profile))  # DOCUMENTS


def exclusion_reason(rule: RuleLike, profile: EligibilityProfile | None = None) -> str:
    """Why a restrictive rule excludes someone, naming the rule."""
    c = rule.criterion
    if c in _ACCEPTS:
        return "Does not " + _ACCEPTS[c][1]
    if c == Criterion.VETERANS_ONLY:
        return "Serves veterans only"
    if c == Criterion.SOBRIETY_REQUIRED:
        return "Requires sobriety"
    if c == Criterion.GENDER:
        return f"Serves {_join([w.lower() for w in _labels(Gender, rule.values)])} only"
    if c == Criterion.AGE:
        return f"Ages {age_range_words(rule.min_age, rule.max_age)} only"
    if c == Criterion.RESIDENCE:
        return "Serves only residents of " + ", ".join(v.strip() for v in rule.values)
    if c == Criterion.SUPERVISION:
        return "Accepts only: " + ", ".join(_labels(Supervision, rule.values))
    codes = _missing_documents(rule, profile) if profile else list(rule.values)
    nouns = _join([_document_noun(code) for code in codes])
    return f"Requires {nouns}, which this person does not have"


def _ask(rule: RuleLike, profile: EligibilityProfile) -> str:
    c = rule.criterion
    if c in _ACCEPTS or c in (Criterion.VETERANS_ONLY, Criterion.SOBRIETY_REQUIRED):
        return _ASK[c]
    if c == Criterion.DOCUMENTS:
        return f"Ask whether the person has {_join([_document_noun(v) for v in rule.values])}"
    rule_words = exclusion_reason(rule)
    return f"{_ASK[c]} ({rule_words[0].lower()}{rule_words[1:]})"


def _rule_subject(rule: RuleLike) -> str:
    c = rule.criterion
    if c in _ACCEPTS:
        return _ACCEPTS[c][1].split(" ", 1)[1]  # "people on the sex-offense registry"
    return CRITERIA[c].short


def _outcome(rule: RuleLike, profile: EligibilityProfile) -> tuple[Status, str] | None:
    """NOT_ELIGIBLE or UNKNOWN with its message for one rule; None when the rule passes."""
    kind = rule.criterion.kind
    hit = affected(rule, profile)
    if rule.answer == Answer.CASE_BY_CASE:
        if hit:
            return (
                Status.UNKNOWN,
                f"Decided case by case — call the provider about {_rule_subject(rule)}",
            )
        return None
    if rule.answer == Answer.UNKNOWN:
        if kind == CriterionKind.ACCEPTS:
            return _not_known(rule.criterion) if hit else None
        if _field_known(rule.criterion, profile):
            return Status.UNKNOWN, f"Call to verify: {rule.criterion.question}"
        return None
    restrictive = (rule.answer == Answer.NO) == (kind == CriterionKind.ACCEPTS)
    if not restrictive or hit is False:
        return None
    if kind == CriterionKind.RESTRICTS and not has_limit(rule):
        return Status.UNKNOWN, (
            f"Limits {CRITERIA[rule.criterion].short} but does not say how — call to verify"
        )
    if hit and rule.criterion == Criterion.DOCUMENTS and not is_strict(rule):
        missing = [code for code in _missing_documents(rule, profile) if _known(code)]
        if missing:
            return Status.NEEDS_DOCUMENTS, ",".join(missing)
        return Status.UNKNOWN, f"Call to verify: {exclusion_reason(rule, profile)}"
    if hit:
        return Status.NOT_ELIGIBLE, exclusion_reason(rule, profile)
    return Status.UNKNOWN, _ask(rule, profile)


def _not_known(criterion: Criterion) -> tuple[Status, str]:
    return Status.UNKNOWN, f"Not known whether they {_ACCEPTS[criterion][1]} — call to verify"


def match_rules(profile: EligibilityProfile, rules: Iterable[RuleLike]) -> Verdict:
    """The verdict for a person against a list of rules (criteria with no rule = not stated)."""
    by_criterion = {rule.criterion: rule for rule in rules}
    verdict = Verdict(Status.ELIGIBLE)
    for criterion in Criterion:
        rule = by_criterion.get(criterion)
        if rule is None:
            stated_hit = criterion in _ACCEPTS and getattr(profile, _ACCEPTS[criterion][0])
            outcome = _not_known(criterion) if stated_hit else None
        else:
            outcome = _outcome(rule, profile)
        if outcome is None:
            continue
        status, message = outcome
        if status == Status.NEEDS_DOCUMENTS:
            verdict.needs = [Document(code) for code in message.split(",")]
            continue
        target = verdict.reasons if status == Status.NOT_ELIGIBLE else verdict.questions
        target.append((criterion, message))
        verdict.conviction_related |= criterion.conviction_related
    if verdict.reasons:
        verdict.status = Status.NOT_ELIGIBLE
    elif verdict.questions:
        verdict.status = Status.UNKNOWN
    elif verdict.needs:
        verdict.status = Status.NEEDS_DOCUMENTS
    return verdict


def _known(code: str) -> bool:
    return code in Document._value2member_map_


def match(profile: EligibilityProfile, service: Any) -> Verdict:
    """The verdict for a person against a service's (already loaded) eligibility rules."""
    return match_rules(profile, service.eligibility_rules)


def _rule_label(criterion: Criterion) -> str:
    return criterion.question.rstrip("?")


def describe_rule(rule: RuleLike) -> str:
    """One rule in plain words, for the service page ("Serves only: Women")."""
    c = rule.criterion
    label = _rule_label(c)
    if rule.answer != Answer.YES or c.kind == CriterionKind.ACCEPTS or not has_limit(rule):
        return f"{label}: {rule.answer.label}"
    if c == Criterion.VETERANS_ONLY:
        return "Serves veterans only"
    if c == Criterion.SOBRIETY_REQUIRED:
        return "Requires sobriety"
    if c == Criterion.GENDER:
        return "Serves only: " + ", ".join(_labels(Gender, rule.values))
    if c == Criterion.AGE:
        return "Age limit: " + age_range_words(rule.min_age, rule.max_age, sep=" to ")
    if c == Criterion.RESIDENCE:
        return "Serves only residents of: " + ", ".join(v.strip() for v in rule.values)
    if c == Criterion.SUPERVISION:
        return "Accepts only: " + ", ".join(_labels(Supervision, rule.values))
    words = "Strictly requires documents: " if is_strict(rule) else "Requires documents: "
    return words + ", ".join(_labels(Document, rule.values))


def rules_in_order(rules: Iterable[RuleLike]) -> list[Any]:
    """Rules in the vocabulary's order, so every page lists them the same way."""
    order = {criterion: i for i, criterion in enumerate(Criterion)}
    return sorted(rules, key=lambda rule: order[rule.criterion])


def has_conviction_rule(rules: Iterable[RuleLike]) -> bool:
    return any(rule.criterion.conviction_related for rule in rules)


def template_globals() -> dict:
    return {
        "describe_rule": describe_rule,
        "eligibility_rules_in_order": rules_in_order,
        "has_conviction_rule": has_conviction_rule,
        "self_reported_notice": SELF_REPORTED_NOTICE,
        "profile_flags": PROFILE_FLAGS,
    }
