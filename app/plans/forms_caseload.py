"""The caseload's filters: a GET form (no CSRF: it changes nothing), so filters live in the
address, survive a reload and work without JavaScript."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField

from app.plans.caseload import NO_PLAN
from app.plans.vocabulary import PlanPhase


class CaseloadFilterForm(FlaskForm):
    class Meta:
        csrf = False

    facility = SelectField("Facility", choices=[], default="")
    phase = SelectField(
        "Phase",
        choices=[SelectChoice("", "All phases")]
        + [SelectChoice(p.value, p.label) for p in PlanPhase]
        + [SelectChoice(NO_PLAN, "No plan yet")],
        default="",
    )

    def set_facilities(self, facilities: list[Any]) -> None:
        self.facility.choices = [SelectChoice("", "All facilities")] + [
            SelectChoice(f.id, f.name) for f in facilities
        ]

    def filters(self) -> dict[str, str | None]:
        """The chosen filters; a field with an error counts as not chosen."""
        return {
            "facility_id": None if self.facility.errors else (self.facility.data or None),
            "phase": None if self.phase.errors else (self.phase.data or None),
        }
