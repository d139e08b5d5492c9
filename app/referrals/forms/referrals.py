"""The "refer" form and one small form per workflow step (accept, decline, cancel...).

Each step form carries the referral's version as a hidden field: two people answering the same
referral at once cannot both win, and the loser is told what happened.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Length, Optional

from app.common import network_zone
from app.plausible import DateKind, MaxLines, PlausibleDate
from app.referrals.data import ReferralData
from app.referrals.forms.common import VersionedForm, enum_choices, strip, text_or_none
from app.referrals.vocabulary import DeclineReason, NotEnrolledReason, Priority
from app.referrals.workflow import STEPS, Action

NOTE_HINT = (
    "Only what the provider needs to act on this referral (for example: needs a ground-floor "
    "room). Do not repeat the person's history."
)


class ReferralForm(FlaskForm):
    location_id = SelectField("Location", choices=[SelectChoice("", "Any location")], default="")
    priority = RadioField(
        "Priority", choices=enum_choices(Priority), default=Priority.ROUTINE.value
    )
    needed_by = DateField("Needed by", validators=[Optional(), PlausibleDate(DateKind.NEEDED_BY)])
    need_area_code = SelectField("Need area", choices=[], default="")
    note_to_provider = TextAreaField(
        "Note to the provider", filters=[strip], validators=[Length(max=2000)]
    )
    eligibility_override_reason = TextAreaField(
        "Why refer although the rules say not eligible?",
        filters=[strip],
        validators=[Length(max=2000)],
    )
    acknowledge_no_capacity = BooleanField(
        "I know this service shows no current room, and I want to refer anyway"
    )

    def set_choices(self, service: Any, need_areas: list[Any]) -> None:
        self.location_id.choices = [SelectChoice("", "Any location")] + [
            SelectChoice(loc.id, getattr(loc, "display_name", None) or loc.name or loc.id)
            for loc in service.locations
        ]
        self.need_area_code.choices = [SelectChoice("", "Not stated")] + [
            SelectChoice(term.code, ("— " if term.parent_id else "") + term.name)
            for term in need_areas
        ]

    def referral_data(self, service: Any) -> ReferralData:
        return ReferralData(
            service_id=service.id,
            location_id=self.location_id.data or None,
            priority=Priority(self.priority.data or Priority.ROUTINE),
            needed_by=self.needed_by.data,
            need_area_code=self.need_area_code.data or None,
            note_to_provider=text_or_none(self.note_to_provider.data),
            eligibility_override_reason=text_or_none(self.eligibility_override_reason.data),
            acknowledge_no_capacity=bool(self.acknowledge_no_capacity.data),
        )


class StepForm(VersionedForm):
    """Base of every step form: the version the person saw when they opened the page."""

    def transition_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for services.transition(): only the fields this step has."""
        out: dict[str, Any] = {}
        for name in ("reason_code", "reason_text", "note", "outcome", "what_to_bring"):
            if name in self:
                out[name] = text_or_none(self[name].data)
        if "over_capacity" in self:
            out["over_capacity"] = bool(self.over_capacity.data)
        if "expected_date" in self:
            out["expected_date"] = self.expected_date.data
        if "intake_date" in self and self.intake_date.data:
            at = self.intake_time.data or time(9, 0)
            # Entered in the network's own time zone, stored as a moment (UTC).
            out["intake_at"] = datetime.combine(self.intake_date.data, at, tzinfo=network_zone())
        return out


def _reason_text(label: str = "Reason") -> TextAreaField:
    return TextAreaField(label, filters=[strip], validators=[Length(max=2000)])


def _note() -> TextAreaField:
    return TextAreaField("Note (optional)", filters=[strip], validators=[Length(max=2000)])


class AcceptForm(StepForm):
    intake_date = DateField(
        "Intake date (optional)", validators=[Optional(), PlausibleDate(DateKind.INTAKE)]
    )
    intake_time = TimeField("Intake time (optional, local time)", validators=[Optional()])
    what_to_bring = TextAreaField(
        "What to bring (optional)", filters=[strip], validators=[Length(max=2000), MaxLines()]
    )
    note = _note()
    over_capacity = BooleanField(
        "Accept over capacity if no place is left",
        description="Leave this unticked to be told when the service has no place left.",
    )


class WaitlistForm(StepForm):
    reason_text = _reason_text("Why the waitlist")
    expected_date = DateField(
        "When a place is expected (optional)",
        validators=[Optional(), PlausibleDate(DateKind.WAITLIST_EXPECTED)],
    )


class DeclineForm(StepForm):
    reason_code = SelectField(
        "Reason", choices=enum_choices(DeclineReason, blank="Choose a reason"), default=""
    )
    reason_text = _reason_text("More detail (needed for Other)")


class NotEnrolledForm(StepForm):
    reason_code = SelectField(
        "Reason", choices=enum_choices(NotEnrolledReason, blank="Choose a reason"), default=""
    )
    reason_text = _reason_text("More detail (needed for Other)")


class CompleteForm(StepForm):
    outcome = TextAreaField(
        "Outcome", filters=[strip], validators=[Length(max=2000)], description="What was achieved."
    )


class ReasonForm(StepForm):
    reason_text = _reason_text()


class NoteForm(StepForm):
    note = _note()


STEP_FORMS: dict[Action, type[StepForm]] = {
    Action.RECEIVE: NoteForm,
    Action.ACCEPT: AcceptForm,
    Action.WAITLIST: WaitlistForm,
    Action.DECLINE: DeclineForm,
    Action.ENROLL: NoteForm,
    Action.COMPLETE: CompleteForm,
    Action.NOT_ENROLLED: NotEnrolledForm,
    Action.CANCEL: ReasonForm,
    Action.ENTERED_IN_ERROR: ReasonForm,
}
assert set(STEP_FORMS) == set(STEPS), "every workflow step needs a form"


def step_form(action: Action, version: int | None = None, *, formdata: Any = None) -> StepForm:
    """The form for one step; field names are prefixed by the action so ids stay unique."""
    kwargs: dict[str, Any] = {"prefix": action.value}
    if formdata is None:
        form = STEP_FORMS[action](formdata=None, **kwargs)
        form.version.data = str(version) if version is not None else ""
        return form
    return STEP_FORMS[action](formdata=formdata, **kwargs)
