"""Organization and location forms."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    FloatField,
    Form,
    IntegerField,
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

from app.clock import local_today
from app.directory.forms.common import (
    EMAIL,
    WEBSITE,
    ErrorListMixin,
    finite,
    strip,
    us_phone,
)
from app.directory.services import (
    LocationData,
    OrganizationData,
)


def year_incorporated(form: Form, field: Any) -> None:
    if field.data is not None and not 1800 <= field.data <= local_today().year:
        raise ValidationError(f"Enter a year from 1800 to {local_today().year}.")


class OrganizationForm(ErrorListMixin, FlaskForm):
    name = StringField("Name", [InputRequired(), Length(max=250)], filters=[strip])
    alternate_name = StringField(
        "Other name (optional)", [Optional(), Length(max=250)], filters=[strip]
    )
    description = TextAreaField("Description", [Optional(), Length(max=5000)], filters=[strip])
    email = EmailField("E-mail", EMAIL, filters=[strip])
    website = URLField("Website", WEBSITE, filters=[strip])
    phone = TelField("Main phone", [Optional(), Length(max=30), us_phone], filters=[strip])
    year_incorporated = IntegerField("Year incorporated", [Optional(), year_incorporated])

    @staticmethod
    def initial(org: Any) -> dict[str, Any]:
        main = next((p for p in org.phones if not p.service_id and not p.location_id), None)
        return {
            "name": org.name,
            "alternate_name": org.alternate_name,
            "description": org.description,
            "email": org.email,
            "website": org.website,
            "phone": main.number if main else None,
            "year_incorporated": org.year_incorporated,
        }

    def to_data(self) -> OrganizationData:
        return OrganizationData(
            name=self.name.data,
            alternate_name=self.alternate_name.data or None,
            description=self.description.data or "",
            email=self.email.data or None,
            website=self.website.data or None,
            phone=self.phone.data or None,
            year_incorporated=self.year_incorporated.data,
        )


def upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


class LocationForm(ErrorListMixin, FlaskForm):
    name = StringField("Location name (optional)", [Optional(), Length(max=250)], filters=[strip])
    address_1 = StringField("Street address", [InputRequired(), Length(max=250)], filters=[strip])
    address_2 = StringField(
        "Address line 2 (optional)", [Optional(), Length(max=250)], filters=[strip]
    )
    city = StringField("Town", [InputRequired(), Length(max=100)], filters=[strip])
    region = StringField("County (optional)", [Optional(), Length(max=100)], filters=[strip])
    state_province = StringField(
        "State",
        [
            InputRequired(),
            Length(max=50),
            Regexp(r"^[A-Z]{2}$", message="Enter the 2-letter state code, like CT."),
        ],
        filters=[upper],
        default="CT",
    )
    postal_code = StringField(
        "ZIP code",
        [
            InputRequired(),
            Length(max=10),
            Regexp(r"^\d{5}(-\d{4})?$", message="Enter a 5-digit ZIP code, like 06103."),
        ],
        filters=[strip],
    )
    latitude = FloatField(
        "Latitude (optional)",
        [Optional(), finite, NumberRange(-90, 90, message="Latitude must be between -90 and 90.")],
    )
    longitude = FloatField(
        "Longitude (optional)",
        [
            Optional(),
            finite,
            NumberRange(-180, 180, message="Longitude must be between -180 and 180."),
        ],
    )
    transportation = TextAreaField(
        "Getting there (bus lines, parking)", [Optional(), Length(max=2000)], filters=[strip]
    )

    @staticmethod
    def initial(location: Any) -> dict[str, Any]:
        address = location.address
        values = {
            "name": location.name,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "transportation": location.transportation,
        }
        if address is not None:
            values.update(
                address_1=address.address_1,
                address_2=address.address_2,
                city=address.city,
                region=address.region,
                state_province=address.state_province,
                postal_code=address.postal_code,
            )
        return values

    def to_data(self) -> LocationData:
        return LocationData(
            name=self.name.data or None,
            address_1=self.address_1.data,
            address_2=self.address_2.data or None,
            city=self.city.data,
            region=self.region.data or None,
            state_province=self.state_province.data,
            postal_code=self.postal_code.data,
            latitude=self.latitude.data,
            longitude=self.longitude.data,
            transportation=self.transportation.data or None,
        )
