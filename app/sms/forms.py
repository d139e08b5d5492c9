"""The care team's forms for texts: consent with a mobile number; the one-button actions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import InputRequired, Length, ValidationError

from app.referrals.forms.common import strip
from app.sms.consent import PHONE_MESSAGE, normalize_phone


class TextConsentForm(FlaskForm):
    phone = StringField(
        "The person's mobile number",
        filters=[strip],
        validators=[
            InputRequired(message="Enter the mobile number the person gave."),
            Length(max=30, message="A phone number is at most 30 characters."),
        ],
        description="A US mobile number. Texts go only to this number.",
    )
    agreed = BooleanField(
        "The person agreed to get texts about their plan, appointments and referrals",
        validators=[InputRequired(message="Texts need the person's agreement.")],
    )

    def validate_phone(self, field: StringField) -> None:
        if normalize_phone(field.data) is None:
            raise ValidationError(PHONE_MESSAGE)


class ActionForm(FlaskForm):
    """A button that posts (send the card, stop texts): only the CSRF token."""
