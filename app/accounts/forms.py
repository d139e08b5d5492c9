"""Account forms. Format checks live here; account rules live in services/management."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.accounts.models import Role
from app.accounts.services import MIN_PASSWORD_LENGTH

_MIN = f"Use at least {MIN_PASSWORD_LENGTH} characters."


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _new_password(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired("Enter a new password."),
            Length(min=MIN_PASSWORD_LENGTH, max=200, message=_MIN),
        ],
    )


class LoginForm(FlaskForm):
    email = EmailField(
        "E-mail", filters=[_strip], validators=[DataRequired(), Email(), Length(max=254)]
    )
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me signed in on this computer")
    next = StringField(validators=[Length(max=2000)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        "E-mail",
        filters=[_strip],
        validators=[DataRequired("Enter your e-mail address."), Email(), Length(max=254)],
    )


class ResetPasswordForm(FlaskForm):
    password = _new_password("New password")
    confirm = PasswordField(
        "Type the new password again",
        validators=[
            DataRequired("Type the new password again."),
            Length(max=200),
            EqualTo("password", "The two passwords do not match."),
        ],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password."), Length(max=200)],
    )
    new_password = _new_password("New password")
    confirm = PasswordField(
        "Type the new password again",
        validators=[
            DataRequired("Type the new password again."),
            Length(max=200),
            EqualTo("new_password", "The two passwords do not match."),
        ],
    )


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes instead of a multi-select: easier on phones and with screen readers."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    name = StringField(
        "Name",
        filters=[_strip],
        validators=[DataRequired("Enter the person's name."), Length(max=200)],
    )
    email = EmailField(
        "E-mail",
        filters=[_strip],
        validators=[DataRequired("Enter an e-mail address."), Email(), Length(max=254)],
    )
    role = SelectField("Role", choices=[SelectChoice(r.value, r.label) for r in Role])
    facility = SelectField("Facility (re-entry counselors only)", choices=[])
    organizations = MultiCheckboxField("Organizations (provider staff only)", choices=[])

    def set_choices(self, facilities, organizations) -> None:  # noqa: ANN001
        self.facility.choices = [SelectChoice("", "No facility")] + [
            SelectChoice(f.id, f.name) for f in facilities
        ]
        self.organizations.choices = [SelectChoice(o.id, o.name) for o in organizations]


class NewUserForm(UserForm):
    password = PasswordField(
        "Password (optional)",
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=200, message=_MIN)],
    )


class FacilityForm(FlaskForm):
    name = StringField(
        "Name",
        filters=[_strip],
        validators=[DataRequired("Enter the facility's name."), Length(max=200)],
    )
    town = StringField("Town", validators=[Optional(), Length(max=100)])
    kind = SelectField(
        "Kind",
        choices=[
            SelectChoice("", "Not stated"),
            SelectChoice("prison", "Prison"),
            SelectChoice("jail", "Jail"),
            SelectChoice("community release", "Community release center"),
            SelectChoice("halfway house", "Halfway house"),
            SelectChoice("parole office", "Parole office"),
        ],
    )
