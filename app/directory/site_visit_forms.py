"""The site-visit form; the rules it shares with the service live in app.directory.site_visits."""

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
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from app.directory.site_visits import SiteVisitData, visit_problems
from app.directory.vocabulary import Rating, SiteVisitOverall
from app.plausible import DateKind, PlausibleDate

RATING_CHOICES = [SelectChoice(r.value, r.label) for r in Rating]
NOT_RECORDED = SelectChoice("", "Not recorded")


def _rating(label: str) -> RadioField:
    return RadioField(label, choices=RATING_CHOICES, validators=[Optional()])


class SiteVisitForm(FlaskForm):
    visited_on = DateField(
        "Date visited",
        validators=[
            InputRequired(message="Enter the date of the visit."),
            PlausibleDate(DateKind.SITE_VISIT),
        ],
    )
    visitor_name = StringField(
        "Who visited", validators=[InputRequired(message="Say who visited."), Length(max=200)]
    )
    location_id = SelectField("Which location", choices=[NOT_RECORDED], default="")
    safety = _rating("Safety")
    cleanliness = _rating("Cleanliness")
    staff_responsiveness = _rating("Staff responsiveness")
    house_rules = TextAreaField("House rules", validators=[Length(max=4000)])
    fees = TextAreaField("Fees (what people are actually charged)", validators=[Length(max=4000)])
    mat_policy_in_practice = TextAreaField(
        "Medication for opioid use disorder (MAT/MOUD): what happens in practice",
        validators=[Length(max=4000)],
    )
    overall = RadioField(
        "Overall",
        choices=[SelectChoice(o.value, o.label) for o in SiteVisitOverall],
        validators=[InputRequired(message="Choose an overall recommendation.")],
    )
    notes = TextAreaField("Notes (internal)", validators=[Length(max=8000)])
    follow_up_needed = BooleanField("Follow-up needed")
    follow_up_note = TextAreaField("What follow-up is needed", validators=[Length(max=4000)])

    def set_locations(self, locations: list[Any]) -> None:
        self.location_id.choices = [NOT_RECORDED] + [
            SelectChoice(loc.id, loc.display_name) for loc in locations
        ]

    def visit_data(self) -> SiteVisitData:
        return SiteVisitData(
            visited_on=self.visited_on.data,
            visitor_name=self.visitor_name.data or "",
            overall=SiteVisitOverall(self.overall.data),
            safety=Rating(self.safety.data or Rating.NOT_SEEN),
            cleanliness=Rating(self.cleanliness.data or Rating.NOT_SEEN),
            staff_responsiveness=Rating(self.staff_responsiveness.data or Rating.NOT_SEEN),
            location_id=self.location_id.data or None,
            house_rules=self.house_rules.data,
            fees=self.fees.data,
            mat_policy_in_practice=self.mat_policy_in_practice.data,
            notes=self.notes.data,
            follow_up_needed=bool(self.follow_up_needed.data),
            follow_up_note=self.follow_up_note.data,
        )

    def validate_for(self, service: Any) -> bool:
        """Field checks, then the same rules record_site_visit enforces, as field errors."""
        if not self.validate():
            return False
        for name, message in visit_problems(service, self.visit_data()).items():
            self[name].errors = [*self[name].errors, message]
        return not self.errors
