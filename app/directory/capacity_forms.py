"""Capacity forms: one small form per row of the capacity page, and the "add a figure" form.

Range checks (negative numbers, available over maximum) live in app.directory.capacity, so the
API and the CLI get the same messages; the forms only turn text into whole numbers.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from app.directory.models import ServiceCapacity
from app.directory.vocabulary import CapacityStatus

AUTO_STATUS = ""
STATUS_CHOICES = [SelectChoice(AUTO_STATUS, "Set from the number open")] + [
    SelectChoice(s.value, s.label) for s in CapacityStatus
]


class WholeNumberField(IntegerField):
    """An optional whole number with a plain-language error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("render_kw", {"min": 0, "inputmode": "numeric"})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or str(valuelist[0]).strip() == "":
            self.data = None
            return
        try:
            self.data = int(str(valuelist[0]).strip())
        except ValueError:
            self.data = None
            raise ValueError("Enter a whole number, like 0 or 12") from None


class _RowIdsMixin:
    def use_row_ids(self, suffix: str) -> None:
        """Several row forms share one page: give each field a unique id (names stay plain)."""
        for f in self:  # type: ignore[attr-defined]
            f.id = f"{f.name}-{suffix}"
            f.label.field_id = f.id


class VersionForm(_RowIdsMixin, FlaskForm):
    """Mark full / Still accurate: only the version the user saw.

    A missing version is not an input error: the rules treat it as "saw an unknown version",
    a conflict (409) that shows the current figure, so nothing is overwritten blindly.
    """

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class CapacityRowForm(_RowIdsMixin, FlaskForm):
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    available = WholeNumberField("Available", validators=[Optional()])
    maximum = WholeNumberField("Maximum", validators=[Optional()])
    status = SelectField("Status", choices=STATUS_CHOICES, default=AUTO_STATUS)
    waitlist_length = WholeNumberField("People waiting", validators=[Optional()])
    expected_wait = StringField(
        "Expected wait", validators=[Optional(), Length(max=100)], render_kw={"maxlength": 100}
    )


def row_form_for(capacity: ServiceCapacity) -> CapacityRowForm:
    """A form showing the figure as stored, not bound to any request data."""
    status = CapacityStatus(capacity.status)
    chosen = (
        AUTO_STATUS
        if status in (CapacityStatus.HAS_CAPACITY, CapacityStatus.NO_CAPACITY)
        else status.value
    )
    form = CapacityRowForm(
        formdata=None,
        data={
            "version": capacity.version,
            "available": capacity.available,
            "maximum": capacity.maximum,
            "status": chosen,
            "waitlist_length": capacity.waitlist_length,
            "expected_wait": capacity.expected_wait,
        },
    )
    form.use_row_ids(capacity.id)
    return form


def version_form_for(capacity: ServiceCapacity, action: str) -> VersionForm:
    form = VersionForm(formdata=None, data={"version": capacity.version})
    form.use_row_ids(f"{action}-{capacity.id}")
    return form


class NewCapacityForm(FlaskForm):
    unit = SelectField("What you count", validators=[InputRequired()], choices=[])
    available = WholeNumberField("Available", validators=[Optional()])
    maximum = WholeNumberField("Maximum", validators=[Optional()])
    status = SelectField("Status", choices=STATUS_CHOICES, default=AUTO_STATUS)
