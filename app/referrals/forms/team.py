"""Care team and consent forms."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from app.plausible import DateKind, PlausibleDate
from app.referrals.data import ConsentData
from app.referrals.forms.common import MultiCheckboxField, enum_choices, strip, text_or_none
from app.referrals.vocabulary import ConsentShare


class TeamMemberForm(FlaskForm):
    email = StringField(
        "E-mail of the counselor to add",
        filters=[strip],
        validators=[
            InputRequired(message="Enter their e-mail address."),
            Length(max=254),
            Email(message="Enter an e-mail address like name@example.org."),
        ],
    )
    title = StringField(
        "Their role for this person (optional)",
        filters=[strip],
        validators=[Optional(), Length(max=100)],
        description="For example: parole officer, treatment case manager, mentor.",
    )


class ConsentForm(FlaskForm):
    organization_id = SelectField("With this organization", choices=[], default="")
    need_area_code = SelectField("Or with every provider in this need area", choices=[], default="")
    shares = MultiCheckboxField(
        "What may be shared",
        choices=enum_choices(ConsentShare),
        validators=[InputRequired(message="Tick at least one thing that may be shared.")],
    )
    signed_on = DateField(
        "Signed on",
        validators=[
            InputRequired(message="Enter the date signed."),
            PlausibleDate(DateKind.CONSENT_SIGNED),
        ],
    )
    expires_on = DateField(
        "Expires on",
        validators=[
            InputRequired(message="Enter the date it expires."),
            PlausibleDate(DateKind.CONSENT_EXPIRES),
        ],
    )

    def set_choices(self, organizations: list[Any], need_areas: list[Any]) -> None:
        self.organization_id.choices = [SelectChoice("", "Choose an organization")] + [
            SelectChoice(org.id, org.name) for org in organizations
        ]
        self.need_area_code.choices = [SelectChoice("", "Choose a need area")] + [
            SelectChoice(term.code, ("— " if term.parent_id else "") + term.name)
            for term in need_areas
        ]

    def validate_need_area_code(self, field: Any) -> None:
        if bool(field.data) == bool(self.organization_id.data):
            raise ValidationError("Choose either one organization or one need area.")

    def validate_expires_on(self, field: Any) -> None:
        if field.data and self.signed_on.data and field.data < self.signed_on.data:
            raise ValidationError("The expiry date cannot be before the date signed.")

    def consent_data(self) -> ConsentData:
        return ConsentData(
            organization_id=self.organization_id.data or None,
            need_area_code=self.need_area_code.data or None,
            shares=list(self.shares.data or []),
            signed_on=self.signed_on.data,
            expires_on=self.expires_on.data,
        )


class RevokeConsentForm(FlaskForm):
    note = TextAreaField(
        "Note (optional)",
        filters=[strip],
        validators=[Optional(), Length(max=2000)],
        description="For example: the person withdrew consent on the phone.",
    )

    def note_text(self) -> str | None:
        return text_or_none(self.note.data)
