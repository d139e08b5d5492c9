"""Forms for the administrator's residency pages (checks live in rules.py and loading.py)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.residency.rules import RuleData
from app.residency.vocabulary import AppliesTo, Level, SiteKind


class SitesUploadForm(FlaskForm):
    file = FileField("Sites file (.csv, .geojson or .json)")
    replace = BooleanField("Remove the sites this file does not list")


class RuleForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[Length(max=200, message="Keep the name under 200 characters.")],
        description="Shown to staff: “barred under <name>”.",
    )
    level = SelectField("Holds in", choices=[SelectChoice(lv.value, lv.label) for lv in Level])
    jurisdiction = StringField(
        "State, county or town",
        validators=[Length(max=100, message="Keep this under 100 characters.")],
        description="As on addresses: “Connecticut”, “Hartford County”, “Hartford”.",
    )
    kinds = SelectMultipleField(
        "Kinds of site",
        choices=[SelectChoice(k.value, k.label.capitalize()) for k in SiteKind],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=False,
    )
    distance_ft = IntegerField("Distance in feet", validators=[Optional()])
    applies_to = SelectField(
        "Applies to", choices=[SelectChoice(a.value, a.label.capitalize()) for a in AppliesTo]
    )
    active = BooleanField("In force", default=True)

    def data_for_rule(self) -> RuleData:
        return RuleData(
            name=self.name.data or "",
            level=self.level.data or "",
            jurisdiction=self.jurisdiction.data or "",
            kinds=tuple(self.kinds.data or ()),
            distance_ft="" if self.distance_ft.data is None else self.distance_ft.data,
            applies_to=self.applies_to.data or "",
            active=bool(self.active.data),
        )
