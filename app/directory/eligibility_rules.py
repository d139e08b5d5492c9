"""Changing a service's eligibility rules: validate the answers, then replace the rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import EllipsisType
from typing import Any

from app.directory.eligibility import VALUE_CRITERIA
from app.directory.vocabulary import Answer, Criterion, CriterionKind
from app.domain_errors import FieldErrors


@dataclass
class RuleAnswer:
    """One answer as entered on the editing form; None in place of it means "not stated"."""

    answer: Answer
    values: list[str] = field(default_factory=list)
    min_age: int | None = None
    max_age: int | None = None
    note: str | None = None
    strict: bool = False  # documents only: strictly required


AGES_REVERSED = "The youngest age must not be above the oldest age."


class EligibilityError(FieldErrors, ValueError):
    """Rules that cannot be saved: `problems` maps each criterion to its message."""


def answer_problems(answers: Mapping[Criterion, RuleAnswer | None]) -> dict[Criterion, str]:
    """What is wrong with a set of answers, by criterion (empty = fine to save)."""
    problems: dict[Criterion, str] = {}
    for criterion, entry in answers.items():
        if entry is None:
            continue
        low, high = entry.min_age, entry.max_age
        if criterion == Criterion.AGE and low is not None and high is not None and low > high:
            problems[criterion] = AGES_REVERSED
        elif entry.answer == Answer.YES and criterion.kind == CriterionKind.RESTRICTS:
            if criterion == Criterion.AGE and low is None and high is None:
                problems[criterion] = "Give the youngest age, the oldest age, or both."
            elif criterion in VALUE_CRITERIA and not entry.values:
                problems[criterion] = "Choose at least one, or change the answer from Yes."
    return problems


def set_eligibility(
    service: Any,
    answers: Mapping[Criterion, RuleAnswer | None],
    description: str | None | EllipsisType = ...,
) -> None:
    """Replace the service's rules with `answers` (criteria not given are left alone).

    Rows are updated in place rather than deleted and re-inserted: the unit of work inserts
    before it deletes, which would trip the one-rule-per-criterion constraint. Flush only.
    """
    from app.directory.models import EligibilityRule
    from app.extensions import db

    problems = answer_problems(answers)
    if problems:
        raise EligibilityError(problems)
    existing = {rule.criterion: rule for rule in service.eligibility_rules}
    for criterion, entry in answers.items():
        rule = existing.get(criterion)
        if entry is None:
            if rule is not None:
                service.eligibility_rules.remove(rule)
            continue
        if rule is None:
            rule = EligibilityRule(criterion=criterion)
            service.eligibility_rules.append(rule)
        keeps_limit = entry.answer == Answer.YES and criterion.kind == CriterionKind.RESTRICTS
        rule.answer = entry.answer
        rule.values = list(entry.values) if keeps_limit and criterion in VALUE_CRITERIA else []
        is_age = keeps_limit and criterion == Criterion.AGE
        rule.min_age = entry.min_age if is_age else None
        rule.max_age = entry.max_age if is_age else None
        rule.note = (entry.note or "").strip() or None
        rule.strict = bool(entry.strict) and keeps_limit and criterion == Criterion.DOCUMENTS
    if not isinstance(description, EllipsisType):
        service.eligibility_description = (description or "").strip() or None
    db.session.flush()
