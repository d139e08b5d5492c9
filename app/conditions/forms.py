"""The supervision conditions form on the client record."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, TextAreaField, TimeField
from wtforms.validators import Length, Optional

from app.conditions.districts import District
from app.conditions.services import ConditionsData

YES_NO = [SelectChoice("", "Not known"), SelectChoice("yes", "Yes"), SelectChoice("no", "No")]


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ConditionsForm(FlaskForm):
    curfew_start = TimeField("Curfew starts", validators=[Optional()])
    curfew_end = TimeField(
        "Curfew ends (earlier than the start = the next morning)", validators=[Optional()]
    )
    allowed_area = TextAreaField(
        "May not leave (towns or counties, one per line)", validators=[Length(max=2500)]
    )
    excluded_area = TextAreaField(
        "May not enter (towns or counties, one per line)", validators=[Length(max=2500)]
    )
    electronic_monitoring = RadioField("Electronic monitoring", choices=YES_NO, default="")
    no_contact_places = TextAreaField(
        "No-contact places (staff only)", validators=[Length(max=2000)]
    )
    district = SelectField(
        "Reporting office",
        choices=[
            SelectChoice("", "Not known"),
            *(SelectChoice(d.value, d.label) for d in District),
        ],
        default="",
    )

    def fill_from(self, row: Any) -> None:
        if row is None:
            return
        self.curfew_start.data = row.curfew_start
        self.curfew_end.data = row.curfew_end
        self.allowed_area.data = "\n".join(row.allowed_area or [])
        self.excluded_area.data = "\n".join(row.excluded_area or [])
        monitoring = row.electronic_monitoring
        self.electronic_monitoring.data = {True: "yes", False: "no"}.get(monitoring, "")
        self.no_contact_places.data = row.no_contact_places or ""
        self.district.data = row.district or ""

    def data_out(self) -> ConditionsData:
        monitoring = {"yes": True, "no": False}.get(self.electronic_monitoring.data or "")
        return ConditionsData(
            curfew_start=self.curfew_start.data,
            curfew_end=self.curfew_end.data,
            allowed_area=_lines(self.allowed_area.data),
            excluded_area=_lines(self.excluded_area.data),
            electronic_monitoring=monitoring,
            no_contact_places=self.no_contact_places.data,
            district=self.district.data or None,
        )
