"""The plan page's lifecycle forms: "Review the plan" and "Move to the next phase"."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.plans.handoff import (
    JUNCTURE_FOR,
    allowed_phases,
    coordinator_choices,
    suggested_coordinator,
)
from app.plans.vocabulary import MAX_NOTES, Juncture, PlanPhase
from app.referrals.forms.common import VersionedForm, enum_choices, strip, text_or_none


class ReviewForm(FlaskForm):
    juncture = SelectField(
        "Which review",
        choices=enum_choices(Juncture),
        validators=[InputRequired(message="Choose which review this is.")],
    )
    note = TextAreaField("Note", filters=[strip], validators=[Optional(), Length(max=MAX_NOTES)])

    def note_text(self) -> str | None:
        return text_or_none(self.note.data)


def review_form(plan: Any, formdata: Any = None) -> ReviewForm:
    """The review form, its juncture pre-selected from the plan's phase."""
    if formdata is not None:
        return ReviewForm(formdata=formdata, prefix="review")
    form = ReviewForm(formdata=None, prefix="review")
    form.juncture.data = JUNCTURE_FOR[plan.phase].value
    return form


class PhaseForm(VersionedForm):
    # Choices are checked by the service, after the version: a stale form answers 409.
    phase = SelectField(
        "Move to",
        choices=[],
        validate_choice=False,
        validators=[InputRequired(message="Choose the next phase.")],
    )
    coordinator_id = SelectField("Coordinator from now on", choices=[], validate_choice=False)
    note = TextAreaField(
        "Note (needed when going back to the facility)",
        filters=[strip],
        validators=[Optional(), Length(max=MAX_NOTES)],
    )

    def change(self) -> dict[str, Any]:
        return {
            "phase": self.phase.data,
            "coordinator_id": self.coordinator_id.data or None,
            "note": text_or_none(self.note.data),
        }


def _phase_label(phase: PlanPhase) -> str:
    if phase == PlanPhase.IN_FACILITY:
        return f"{phase.label} (release postponed or back in custody)"
    return phase.label


def phase_form(plan: Any, formdata: Any = None) -> PhaseForm:
    """Choices from the plan as it is now; the next phase and its suggested coordinator first."""
    form = PhaseForm(formdata=formdata, prefix="phase")
    phases = allowed_phases(plan)
    form.phase.choices = [SelectChoice(p.value, _phase_label(p)) for p in phases]
    form.coordinator_id.choices = [
        SelectChoice(user_id, label) for user_id, label in coordinator_choices(plan)
    ]
    if formdata is None and phases:
        form.phase.data = phases[0].value
        form.coordinator_id.data = suggested_coordinator(plan, phases[0]) or ""
        form.version.data = str(plan.version)
    return form
