"""Who a service is for, in plain public words, from its eligibility rules.

Conviction-related rules are stated neutrally ("Does not accept people with ..."); pages that
show any of them add the "confirm with the provider" notice.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.directory.vocabulary import Answer, Criterion, Gender, Supervision


def _accepts_line(rule) -> str | None:  # noqa: ANN001
    yes, no, maybe = {
        Criterion.SEX_OFFENSE_REGISTRY: (
            _("Accepts people on the sex offense registry."),
            _("Does not accept people on the sex offense registry."),
            _("Decides case by case about people on the sex offense registry."),
        ),
        Criterion.VIOLENT_CONVICTION: (
            _("Accepts people with a violent conviction."),
            _("Does not accept people with a violent conviction."),
            _("Decides case by case about people with a violent conviction."),
        ),
        Criterion.ARSON_CONVICTION: (
            _("Accepts people with an arson conviction."),
            _("Does not accept people with an arson conviction."),
            _("Decides case by case about people with an arson conviction."),
        ),
        Criterion.MAT_ALLOWED: (
            _("You can take medicine for opioid use (MAT) here."),
            _("Does not allow medicine for opioid use (MAT)."),
            _("Ask about medicine for opioid use (MAT)."),
        ),
        Criterion.MEDICAID_ACCEPTED: (
            _("Takes Medicaid."),
            _("Does not take Medicaid."),
            _("Ask if they take Medicaid."),
        ),
        Criterion.FAMILIES: (
            _("Takes families with children."),
            _("Adults only: does not take children."),
            _("Ask if they take families with children."),
        ),
    }[rule.criterion]
    return {Answer.YES: yes, Answer.NO: no, Answer.CASE_BY_CASE: maybe}.get(rule.answer)


def _restricts_line(rule) -> str | None:  # noqa: ANN001
    c = rule.criterion
    if rule.answer == Answer.CASE_BY_CASE:
        return _("Some limits apply. Call to ask.")
    if rule.answer != Answer.YES:
        return None
    values = list(rule.values or [])
    if c == Criterion.VETERANS_ONLY:
        return _("For veterans only.")
    if c == Criterion.SOBRIETY_REQUIRED:
        return _("You must be sober.")
    if c == Criterion.GENDER and values:
        labels = {
            Gender.MALE: _("men"),
            Gender.FEMALE: _("women"),
            Gender.TRANSGENDER_NONBINARY: _("transgender and non-binary people"),
        }
        return _("For %(who)s only.", who=", ".join(labels.get(v, v) for v in values))
    if c == Criterion.AGE and (rule.min_age is not None or rule.max_age is not None):
        if rule.min_age is not None and rule.max_age is not None:
            return _("Ages %(low)s to %(high)s.", low=rule.min_age, high=rule.max_age)
        if rule.min_age is not None:
            return _("Age %(low)s and older.", low=rule.min_age)
        return _("Up to age %(high)s.", high=rule.max_age)
    if c == Criterion.RESIDENCE and values:
        return _("For people who live in %(places)s.", places=", ".join(values))
    if c == Criterion.SUPERVISION and values:
        labels = {
            Supervision.PAROLE: _("parole"),
            Supervision.PROBATION: _("probation"),
            Supervision.TRANSITIONAL: _("transitional supervision"),
            Supervision.NONE: _("no supervision"),
        }
        return _("For people on %(what)s.", what=", ".join(labels.get(v, v) for v in values))
    if c == Criterion.DOCUMENTS:
        return _("You need some papers to start. See what to bring.")
    return _("Some limits apply. Call to ask.")


def who_it_is_for(rules) -> tuple[list[str], bool]:  # noqa: ANN001
    """Plain lines from the rules, and whether a conviction-related rule is among them."""
    from app.directory.eligibility import rules_in_order

    lines, conviction = [], False
    for rule in rules_in_order(rules):
        line = _accepts_line(rule) if rule.criterion.kind == "accepts" else _restricts_line(rule)
        if line and line not in lines:
            lines.append(line)
            conviction = conviction or rule.criterion.conviction_related
    return lines, conviction
