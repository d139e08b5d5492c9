"""Forms of the public pages and the card builder (Flask-WTF: CSRF on outside tests)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.plans.vocabulary import PersonAnswer

PROBLEM_KINDS = [
    SelectChoice("wrong_phone", _l("The phone number is wrong")),
    SelectChoice("closed", _l("It has closed")),
    SelectChoice("moved", _l("It has moved")),
    SelectChoice("wrong_hours", _l("The hours are wrong")),
    SelectChoice("other", _l("Something else")),
]


class ProblemReportForm(FlaskForm):
    kind = RadioField(
        _l("What is wrong?"),
        choices=PROBLEM_KINDS,
        validators=[InputRequired(message=_l("Choose what is wrong."))],
    )
    description = TextAreaField(
        _l("Tell us more (optional)"),
        validators=[Optional(), Length(max=1000, message=_l("Please use 1,000 letters or less."))],
    )
    # Honeypot: hidden from people by CSS and from screen readers; bots fill it in.
    website = StringField(_l("Leave this empty"), validators=[Optional(), Length(max=200)])


class CardLookupForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only reads

    code = StringField(
        _l("Card code"),
        validators=[InputRequired(message=_l("Type the code from your card.")), Length(max=40)],
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CardBuilderForm(FlaskForm):
    """Staff form: English only, like the other staff pages."""

    services = MultiCheckboxField("Services on the card", choices=[], validate_choice=True)
    language = RadioField(
        "Card language",
        choices=[SelectChoice("en", "English"), SelectChoice("es", "Spanish (español)")],
        default="en",
        validators=[InputRequired(message="Choose the card's language.")],
    )


class PlanAnswerForm(FlaskForm):
    """The person's answer on a plan item: three submit buttons named "answer"."""

    answer = SelectField(
        _l("Your answer"),
        choices=[SelectChoice(answer.value, answer.value) for answer in PersonAnswer],
        validators=[InputRequired(message=_l("Choose one of the three answers."))],
    )
