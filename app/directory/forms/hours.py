"""The weekly hours form: three flat fields per weekday (mode, opens, closes)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    SelectField,
    TimeField,
)
from wtforms.validators import (
    InputRequired,
    Optional,
)

from app.directory.forms.common import (
    ErrorListMixin,
    choices,
)
from app.directory.hours import DAY_NAMES, MODES, OPEN, DayHours, day_errors
from app.directory.models import WEEKDAYS

TIME_FORMATS = ["%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M%p", "%I %p", "%I%p"]


class HoursForm(ErrorListMixin, FlaskForm):
    """Three flat fields per weekday (mo_mode, mo_opens, mo_closes), added below."""

    def day(self, code: str) -> DayHours:
        key = code.lower()
        mode = self[f"{key}_mode"].data
        if mode != OPEN:
            return DayHours(mode)
        return DayHours(mode, self[f"{key}_opens"].data, self[f"{key}_closes"].data)

    def days(self) -> dict[str, DayHours]:
        return {code: self.day(code) for code in WEEKDAYS}

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for code in WEEKDAYS:
            if self[f"{code.lower()}_opens"].errors or self[f"{code.lower()}_closes"].errors:
                continue
            for name, message in day_errors(self.day(code)).items():
                target = self[f"{code.lower()}_{name}"]
                target.errors = [*target.errors, message]
                valid = False
        return valid

    @staticmethod
    def initial(days: dict[str, DayHours]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for code, day in days.items():
            key = code.lower()
            values[f"{key}_mode"] = day.mode
            values[f"{key}_opens"] = day.opens
            values[f"{key}_closes"] = day.closes
        return values


for _code in WEEKDAYS:
    _name = DAY_NAMES[_code]
    setattr(
        HoursForm,
        f"{_code.lower()}_mode",
        SelectField(
            _name,
            [InputRequired(message="Choose Closed, Open or Open 24 hours.")],
            choices=choices(MODES),
            default="closed",
        ),
    )
    setattr(
        HoursForm,
        f"{_code.lower()}_opens",
        TimeField(f"{_name} opens", [Optional()], format=TIME_FORMATS),
    )
    setattr(
        HoursForm,
        f"{_code.lower()}_closes",
        TimeField(f"{_name} closes", [Optional()], format=TIME_FORMATS),
    )
