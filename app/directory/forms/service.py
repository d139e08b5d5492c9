"""The service form, with up to three phone rows."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from app.directory.forms.common import (
    EMAIL,
    WEBSITE,
    ErrorListMixin,
    MultiCheckboxField,
    choices,
    strip,
    us_phone,
)
from app.directory.services import (
    LANGUAGES,
    MAX_AGE,
    MIN_AGE,
    PHONE_TYPES,
    PhoneData,
    ServiceData,
)
from app.directory.translations import TranslationData
from app.directory.vocabulary import ServiceStatus
from app.plausible import MaxLines


class PhoneRowForm(Form):
    number = TelField("Number", [Length(max=30)], filters=[strip])
    extension = StringField(
        "Extension",
        [Optional(), Length(max=10), Regexp(r"^\d+$", message="Use digits only.")],
        filters=[strip],
    )
    type = SelectField("Type", choices=choices(PHONE_TYPES), default="voice")

    def validate_number(self, field: Any) -> None:
        if not field.data:
            if self.extension.data:
                raise ValidationError("Enter the number for this extension.")
            return
        us_phone(self, field)


def _spanish(label: str, limit: int, *more: Any) -> TextAreaField:
    """A Spanish field with the English field's limit; optional (the English shows instead)."""
    return TextAreaField(
        f"{label} in Spanish (optional)",
        [Optional(), Length(max=limit), *more],
        filters=[strip],
        render_kw={"lang": "es"},
    )


class SpanishFields:
    """Reading and filling the `es_*` fields: the service's own wording in Spanish, each field
    declared beside its English one in ServiceForm (so errors list in page order). Empty ones
    are shown in English on Spanish pages."""

    def validate_es_documents(self, field: Any) -> None:
        if any(len(line.strip()) > 250 for line in (field.data or "").splitlines()):
            raise ValidationError("Keep each line to 250 characters or fewer.")

    @staticmethod
    def spanish_initial(row: Any) -> dict[str, Any]:
        data = TranslationData.of(row)
        return {f"es_{name}": value for name, value in vars(data).items()}

    def spanish(self) -> TranslationData:
        return TranslationData(
            **{name: getattr(self, f"es_{name}").data for name in vars(TranslationData())}
        )


class ServiceForm(SpanishFields, ErrorListMixin, FlaskForm):
    name = StringField("Service name", [InputRequired(), Length(max=250)], filters=[strip])
    es_name = StringField(
        "Service name in Spanish (optional)",
        [Optional(), Length(max=250)],
        filters=[strip],
        render_kw={"lang": "es"},
    )
    alternate_name = StringField(
        "Other name (optional)", [Optional(), Length(max=250)], filters=[strip]
    )
    description = TextAreaField("Description", [Optional(), Length(max=5000)], filters=[strip])
    es_description = _spanish("Description", 5000)
    status = SelectField(
        "Status",
        choices=choices((s.value, s.label) for s in ServiceStatus),
        coerce=ServiceStatus,
        default=ServiceStatus.ACTIVE,
    )
    alert = TextAreaField("Alert (optional)", [Optional(), Length(max=500)], filters=[strip])
    es_alert = _spanish("Alert", 500)
    need_areas = MultiCheckboxField("Need areas", choices=[])
    locations = MultiCheckboxField("Locations", choices=[])
    phones = FieldList(FormField(PhoneRowForm), min_entries=3, max_entries=3)
    email = EmailField("E-mail", EMAIL, filters=[strip])
    url = URLField("Website", WEBSITE, filters=[strip])
    languages = MultiCheckboxField("Languages", choices=choices(LANGUAGES))
    documents = TextAreaField(
        "What to bring", [Optional(), Length(max=5000), MaxLines()], filters=[strip]
    )
    es_documents = _spanish("What to bring", 5000, MaxLines())
    fees = TextAreaField("Fees", [Optional(), Length(max=2000)], filters=[strip])
    es_fees_description = _spanish("Fees", 2000)
    application_process = TextAreaField(
        "How to apply", [Optional(), Length(max=5000)], filters=[strip]
    )
    es_application_process = _spanish("How to apply", 5000)
    minimum_age = IntegerField("Minimum age", [Optional(), NumberRange(MIN_AGE, MAX_AGE)])
    maximum_age = IntegerField("Maximum age", [Optional(), NumberRange(MIN_AGE, MAX_AGE)])
    eligibility_description = TextAreaField(
        "Who can use this service", [Optional(), Length(max=5000)], filters=[strip]
    )
    es_eligibility_description = _spanish("Who can use this service", 5000)

    def set_choices(self, need_areas: list[Any], locations: list[Any]) -> ServiceForm:
        self.need_areas.choices = choices(
            (t.id, f"{t.parent.name}: {t.name}" if t.parent else t.name) for t in need_areas
        )
        self.locations.choices = choices(
            (loc.id, loc.display_name + (f" ({loc.town})" if loc.town else "")) for loc in locations
        )
        return self

    @staticmethod
    def initial(service: Any) -> dict[str, Any]:
        phones = [
            {"number": p.number, "extension": p.extension, "type": p.type}
            for p in service.phones[:3]
        ]
        return {
            "name": service.name,
            "alternate_name": service.alternate_name,
            "description": service.description,
            "status": service.status,
            "alert": service.alert,
            "need_areas": [t.id for t in service.need_areas],
            "locations": [sal.location_id for sal in service.service_at_locations],
            "phones": phones,
            "email": service.email,
            "url": service.url,
            "languages": [lang.code for lang in service.languages if lang.code],
            "documents": "\n".join(d.document for d in service.required_documents),
            "fees": service.fees_description or service.fees,
            "application_process": service.application_process,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "eligibility_description": service.eligibility_description,
        }

    def validate_documents(self, field: Any) -> None:
        if any(len(line.strip()) > 250 for line in (field.data or "").splitlines()):
            raise ValidationError("Keep each line to 250 characters or fewer.")

    def validate_maximum_age(self, field: Any) -> None:
        low, high = self.minimum_age.data, field.data
        if low is not None and high is not None and low > high:
            raise ValidationError("The maximum age must not be lower than the minimum age.")

    def to_data(self) -> ServiceData:
        phones = [
            PhoneData(
                number=row.form.number.data,
                extension=row.form.extension.data or None,
                type=row.form.type.data,
            )
            for row in self.phones.entries
            if row.form.number.data
        ]
        return ServiceData(
            name=self.name.data,
            alternate_name=self.alternate_name.data or None,
            description=self.description.data or "",
            status=self.status.data,
            alert=self.alert.data or None,
            need_area_ids=list(self.need_areas.data or []),
            location_ids=list(self.locations.data or []),
            phones=phones,
            email=self.email.data or None,
            url=self.url.data or None,
            languages=list(self.languages.data or []),
            documents=(self.documents.data or "").splitlines(),
            fees=self.fees.data or None,
            application_process=self.application_process.data or None,
            minimum_age=self.minimum_age.data,
            maximum_age=self.maximum_age.data,
            eligibility_description=self.eligibility_description.data or None,
            spanish=self.spanish(),
        )
