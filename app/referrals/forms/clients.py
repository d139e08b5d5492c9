"""The client form: identity, release, contact, documents and the eligibility profile.

The eligibility answers use the catalog's vocabulary, each one yes / no / not known, so the
matcher can tell "no" from "nobody asked".
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from app.directory.vocabulary import PROFILE_FLAGS, Document, Gender, Supervision
from app.plausible import DateKind, PlausibleDate
from app.referrals.data import ClientData
from app.referrals.forms.common import MultiCheckboxField, enum_choices, strip, text_or_none
from app.referrals.vocabulary import ContactMethod

YES, NO, NOT_KNOWN = "yes", "no", ""
TRI_STATE = [SelectChoice(YES, "Yes"), SelectChoice(NO, "No"), SelectChoice(NOT_KNOWN, "Not known")]

# Profile flags in the order the form asks them, with the question a counselor reads.
FLAGS: list[tuple[str, str]] = [(flag.name, flag.question) for flag in PROFILE_FLAGS]

LANGUAGES = [
    SelectChoice("en", "English"),
    SelectChoice("es", "Spanish"),
    SelectChoice("pt", "Portuguese"),
    SelectChoice("pl", "Polish"),
    SelectChoice("ht", "Haitian Creole"),
    SelectChoice("other", "Another language"),
]


def _tri(label: str) -> RadioField:
    return RadioField(label, choices=TRI_STATE, default=NOT_KNOWN, validate_choice=True)


class ClientForm(FlaskForm):
    first_name = StringField(
        "First name",
        filters=[strip],
        validators=[InputRequired(message="Enter the first name."), Length(max=100)],
    )
    last_name = StringField(
        "Last name",
        filters=[strip],
        validators=[InputRequired(message="Enter the last name."), Length(max=100)],
    )
    date_of_birth = DateField(
        "Date of birth",
        validators=[
            InputRequired(message="Enter the date of birth."),
            PlausibleDate(DateKind.BIRTH),
        ],
    )
    inmate_number = StringField(
        "Inmate or facility number (optional)",
        filters=[strip],
        validators=[Optional(), Length(max=50)],
    )
    facility_id = SelectField("Facility", choices=[SelectChoice("", "None")], default="")
    projected_release_date = DateField(
        "Projected release date",
        validators=[Optional(), PlausibleDate(DateKind.PROJECTED_RELEASE)],
    )
    released_on = DateField(
        "Released on (if already released)",
        validators=[Optional(), PlausibleDate(DateKind.RELEASED)],
    )
    preferred_language = SelectField("Preferred language", choices=LANGUAGES, default="en")
    contact_method = RadioField(
        "How to reach them after release",
        choices=enum_choices(ContactMethod),
        default=ContactMethod.NONE.value,
    )
    contact_phone = StringField("Phone", filters=[strip], validators=[Optional(), Length(max=30)])
    contact_email = StringField(
        "E-mail",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=254),
            Email(message="Enter an e-mail address like name@example.org."),
        ],
    )
    contact_person = StringField(
        "Named person (name and relationship)",
        filters=[strip],
        validators=[Optional(), Length(max=200)],
    )
    destination_town = StringField(
        "Town they are going to", filters=[strip], validators=[Optional(), Length(max=100)]
    )
    destination_county = StringField(
        "County they are going to", filters=[strip], validators=[Optional(), Length(max=100)]
    )
    documents_held = MultiCheckboxField("Documents they have", choices=enum_choices(Document))
    no_documents = BooleanField("They have none of these documents")
    # one yes / no / not-known question per PROFILE_FLAGS entry, added below the class
    gender = SelectField("Gender", choices=enum_choices(Gender, blank="Not known"), default="")
    supervision = SelectField(
        "Supervision after release",
        choices=enum_choices(Supervision, blank="Not known"),
        default="",
    )
    allow_duplicate = BooleanField("This is a different person — create the record anyway")

    def set_facilities(self, facilities: list[Any]) -> None:
        self.facility_id.choices = [SelectChoice("", "None")] + [
            SelectChoice(f.id, f.name) for f in facilities
        ]

    def validate_released_on(self, field: Any) -> None:
        if field.data and self.date_of_birth.data and field.data < self.date_of_birth.data:
            raise ValidationError("The release date cannot be before the date of birth.")

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then the contact detail the chosen contact method needs."""
        valid = super().validate(extra_validators)
        needed = {
            ContactMethod.PHONE: ("contact_phone", "Enter the phone number"),
            ContactMethod.EMAIL: ("contact_email", "Enter the e-mail address"),
            ContactMethod.THROUGH_PERSON: ("contact_person", "Name the person"),
        }.get(self.contact_method.data)
        if needed and not self[needed[0]].data:
            message = f"{needed[1]}, or choose another way to reach them."
            self[needed[0]].errors = [*self[needed[0]].errors, message]
            valid = False
        return valid

    def validate_no_documents(self, field: Any) -> None:
        if field.data and self.documents_held.data:
            raise ValidationError("Untick this, or untick the documents above.")

    # ---- between the form and the service's ClientData -------------------------------------

    def eligibility(self) -> dict[str, Any]:
        """Only known answers are stored: a missing key means "not known"."""
        out: dict[str, Any] = {}
        for name, _ in FLAGS:
            value = self[name].data
            if value in (YES, NO):
                out[name] = value == YES
        if self.gender.data:
            out["gender"] = self.gender.data
        if self.supervision.data:
            out["supervision"] = self.supervision.data
        return out

    def documents(self) -> list[str] | None:
        if self.documents_held.data:
            return list(self.documents_held.data)
        return [] if self.no_documents.data else None

    def client_data(self) -> ClientData:
        return ClientData(
            first_name=self.first_name.data,
            last_name=self.last_name.data,
            date_of_birth=self.date_of_birth.data,
            inmate_number=text_or_none(self.inmate_number.data),
            facility_id=self.facility_id.data or None,
            projected_release_date=self.projected_release_date.data,
            released_on=self.released_on.data,
            preferred_language=self.preferred_language.data or "en",
            contact_method=ContactMethod(self.contact_method.data or ContactMethod.NONE),
            contact_phone=text_or_none(self.contact_phone.data),
            contact_email=text_or_none(self.contact_email.data),
            contact_person=text_or_none(self.contact_person.data),
            destination_town=text_or_none(self.destination_town.data),
            destination_county=text_or_none(self.destination_county.data),
            documents_held=self.documents(),
            eligibility=self.eligibility(),
        )

    def fill_from(self, client: Any) -> None:
        """Show a saved client (GET of the edit page)."""
        for name in (
            "first_name",
            "last_name",
            "date_of_birth",
            "inmate_number",
            "projected_release_date",
            "released_on",
            "contact_phone",
            "contact_email",
            "contact_person",
            "destination_town",
            "destination_county",
        ):
            self[name].data = getattr(client, name)
        self.facility_id.data = client.facility_id or ""
        self.preferred_language.data = client.preferred_language or "en"
        self.contact_method.data = str(client.contact_method or ContactMethod.NONE)
        held = client.documents_held
        self.documents_held.data = list(held or [])
        self.no_documents.data = held == []
        answers = client.eligibility or {}
        for name, _ in FLAGS:
            value = answers.get(name)
            self[name].data = NOT_KNOWN if value is None else (YES if value else NO)
        self.gender.data = answers.get("gender") or ""
        self.supervision.data = answers.get("supervision") or ""


for _flag in PROFILE_FLAGS:
    setattr(ClientForm, _flag.name, _tri(_flag.question))
