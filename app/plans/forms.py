"""The plan page's forms: one small update form per item, and "Add an item"."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.plans.vocabulary import MAX_NOTES, MAX_REASON, MAX_TITLE, ItemStatus
from app.plausible import DateKind, PlausibleDate
from app.referrals.forms.common import VersionedForm, enum_choices, strip, text_or_none


def owner_select(choices: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice("", "Nobody yet")] + [SelectChoice(v, label) for v, label in choices]


class _ItemFields(FlaskForm):
    owner = SelectField("Who does it", choices=[], default="")
    due_on = DateField("Due by", validators=[Optional(), PlausibleDate(DateKind.PLAN_ITEM_DUE)])
    notes = TextAreaField("Notes", filters=[strip], validators=[Optional(), Length(max=MAX_NOTES)])

    def set_owners(self, choices: list[tuple[str, str]]) -> None:
        self.owner.choices = owner_select(choices)


class ItemForm(_ItemFields, VersionedForm):
    """Posted to /plans/items/<id>; prefixed with the item's id so many fit on one page."""

    status = SelectField(
        "Status",
        choices=enum_choices(ItemStatus),
        validators=[InputRequired(message="Choose a status.")],
    )
    reason = StringField(
        "Reason (needed for “not needed” and “could not arrange”)",
        filters=[strip],
        validators=[Optional(), Length(max=MAX_REASON)],
    )

    def change(self) -> dict[str, Any]:
        return {
            "status": self.status.data,
            "reason": text_or_none(self.reason.data),
            "owner": self.owner.data or None,
            "due_on": self.due_on.data,
            "notes": text_or_none(self.notes.data),
        }


def item_form(item: Any, owners: list[tuple[str, str]], formdata: Any = None) -> ItemForm:
    """The update form for one item: from the item, or from what was posted."""
    prefix = f"item-{item.id}"
    if formdata is None:
        form = ItemForm(formdata=None, prefix=prefix, obj=item)
        form.status.data = item.status.value
        form.owner.data = item.owner or ""
        form.version.data = str(item.version)
    else:
        form = ItemForm(formdata=formdata, prefix=prefix)
    form.set_owners(owners)
    return form


class AddItemForm(_ItemFields):
    title = StringField(
        "What needs to be arranged",
        filters=[strip],
        validators=[InputRequired(message="Say what needs to be arranged."), Length(max=MAX_TITLE)],
    )

    def fields(self) -> dict[str, Any]:
        return {
            "owner": self.owner.data or None,
            "due_on": self.due_on.data,
            "notes": text_or_none(self.notes.data),
        }


class StartPlanForm(FlaskForm):
    """Only the CSRF token: starting a plan takes no input."""


class ReleaseForm(FlaskForm):
    """“Released today”: the date defaults to today and can be set a few days back."""

    released_on = DateField(
        "Date of release",
        validators=[Optional(), PlausibleDate(DateKind.RELEASED)],
    )
