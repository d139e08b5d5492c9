"""Forms for editing a service's eligibility rules and for checking a person against them."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.directory.eligibility import EligibilityProfile, rules_in_order
from app.directory.eligibility_rules import AGES_REVERSED, RuleAnswer, answer_problems
from app.directory.vocabulary import PROFILE_FLAGS, Answer, Criterion, Document, Gender, Supervision

NOT_STATED = "not_stated"
ANSWER_CHOICES = [SelectChoice(a.value, a.label) for a in Answer] + [
    SelectChoice(NOT_STATED, "Not stated")
]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _choices(enum_cls: Any) -> list[SelectChoice]:
    return [SelectChoice(member.value, member.label) for member in enum_cls]


# The field that carries each criterion's listed values (error messages go there).
VALUE_FIELDS = {
    Criterion.GENDER: "gender_values",
    Criterion.AGE: "age_min",
    Criterion.RESIDENCE: "residence_values",
    Criterion.SUPERVISION: "supervision_values",
    Criterion.DOCUMENTS: "documents_values",
}


class EligibilityForm(FlaskForm):
    """One answer per criterion (fields `<criterion>_answer` / `<criterion>_note`) plus values."""

    gender_values = MultiCheckboxField("Genders served", choices=_choices(Gender))
    age_min = IntegerField(
        "Youngest age served", validators=[Optional(), NumberRange(min=0, max=120)]
    )
    age_max = IntegerField(
        "Oldest age served", validators=[Optional(), NumberRange(min=0, max=120)]
    )
    residence_values = TextAreaField(
        "Towns or counties served (one per line)", validators=[Length(max=2000)]
    )
    supervision_values = MultiCheckboxField(
        "Supervision statuses accepted", choices=_choices(Supervision)
    )
    documents_values = MultiCheckboxField("Documents required", choices=_choices(Document))
    documents_strict = BooleanField(
        "Strictly required: we cannot take anyone without them (otherwise the person is shown "
        "as needing documents, and offered help to get them)"
    )
    eligibility_description = TextAreaField(
        "Anything else about who they serve (free text)", validators=[Length(max=4000)]
    )

    def answer_field(self, criterion: Criterion) -> Any:
        return self[f"{criterion.value}_answer"]

    def note_field(self, criterion: Criterion) -> Any:
        return self[f"{criterion.value}_note"]

    def fill_from(self, service: Any) -> None:
        """Show the service's current rules (GET)."""
        self.eligibility_description.data = service.eligibility_description or ""
        for rule in rules_in_order(service.eligibility_rules):
            self.answer_field(rule.criterion).data = rule.answer.value
            self.note_field(rule.criterion).data = rule.note or ""
            if rule.criterion == Criterion.AGE:
                self.age_min.data, self.age_max.data = rule.min_age, rule.max_age
            elif rule.criterion == Criterion.RESIDENCE:
                self.residence_values.data = "\n".join(rule.values)
            elif rule.criterion in VALUE_FIELDS:
                self[VALUE_FIELDS[rule.criterion]].data = list(rule.values)
            if rule.criterion == Criterion.DOCUMENTS:
                self.documents_strict.data = bool(rule.strict)

    def _values(self, criterion: Criterion) -> list[str]:
        if criterion == Criterion.RESIDENCE:
            lines = (line.strip() for line in (self.residence_values.data or "").splitlines())
            return list(dict.fromkeys(line for line in lines if line))
        name = VALUE_FIELDS.get(criterion)
        return list(self[name].data or []) if name and criterion != Criterion.AGE else []

    def answers(self) -> dict[Criterion, RuleAnswer | None]:
        out: dict[Criterion, RuleAnswer | None] = {}
        for criterion in Criterion:
            code = self.answer_field(criterion).data
            if code in (None, "", NOT_STATED):
                out[criterion] = None
                continue
            out[criterion] = RuleAnswer(
                answer=Answer(code),
                values=self._values(criterion),
                min_age=self.age_min.data if criterion == Criterion.AGE else None,
                max_age=self.age_max.data if criterion == Criterion.AGE else None,
                note=self.note_field(criterion).data,
                strict=criterion == Criterion.DOCUMENTS and bool(self.documents_strict.data),
            )
        return out

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        low, high = self.age_min.data, self.age_max.data
        if low is not None and high is not None and low > high:
            self.age_max.errors = [AGES_REVERSED]
        for criterion, message in answer_problems(self.answers()).items():
            if message != AGES_REVERSED:
                target = self[VALUE_FIELDS[criterion]]
                target.errors = [*target.errors, message]
        return not self.errors


for _criterion in Criterion:
    setattr(
        EligibilityForm,
        f"{_criterion.value}_answer",
        RadioField(_criterion.question, choices=ANSWER_CHOICES, default=NOT_STATED),
    )
    setattr(
        EligibilityForm,
        f"{_criterion.value}_note",
        StringField("Note (optional)", validators=[Length(max=500)]),
    )


NOT_KNOWN = SelectChoice("", "Not known")
TRI_STATE = [NOT_KNOWN, SelectChoice("yes", "Yes"), SelectChoice("no", "No")]


def _tri(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class CheckForm(FlaskForm):
    """What a counselor knows about a person. Deliberately no name or other identifying field."""

    class Meta:
        csrf = False  # a GET form that stores nothing

    # one yes / no / not-known question per PROFILE_FLAGS entry, added below the class
    gender = SelectField("Gender", choices=[NOT_KNOWN, *_choices(Gender)], default="")
    age = IntegerField("Age", validators=[Optional(), NumberRange(min=0, max=120)])
    town = StringField("Town they will live in", validators=[Length(max=100)])
    county = StringField("County they will live in", validators=[Length(max=100)])
    supervision = SelectField(
        "Supervision status", choices=[NOT_KNOWN, *_choices(Supervision)], default=""
    )
    documents_asked = BooleanField("I know which documents the person has (tick them below)")
    documents = MultiCheckboxField("Documents the person has", choices=_choices(Document))

    def profile(self) -> EligibilityProfile:
        documents = self.documents.data or []
        return EligibilityProfile(
            **{flag.name: _tri(self[flag.name].data) for flag in PROFILE_FLAGS},
            gender=Gender(self.gender.data) if self.gender.data else None,
            age=self.age.data,
            town=(self.town.data or "").strip() or None,
            county=(self.county.data or "").strip() or None,
            supervision=Supervision(self.supervision.data) if self.supervision.data else None,
            documents=(
                frozenset(Document(d) for d in documents)
                if self.documents_asked.data or documents
                else None
            ),
        )


for _flag in PROFILE_FLAGS:
    setattr(CheckForm, _flag.name, SelectField(_flag.question, choices=TRI_STATE, default=""))
