"""Small helpers shared by the referral and release-plan forms."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VersionedForm(FlaskForm):
    """A form for a row with an optimistic lock: it carries the version the person saw when the
    page was opened, and a stale one is refused by the service (409)."""

    version = HiddenField()

    def expected_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


def enum_choices(enum_cls: Any, blank: str | None = None) -> list[SelectChoice]:
    out = [SelectChoice("", blank)] if blank is not None else []
    return out + [SelectChoice(member.value, member.label) for member in enum_cls]


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def text_or_none(value: str | None) -> str | None:
    return (value or "").strip() or None


def add_error(form: Any, name: str | None, message: str) -> None:
    """Attach a domain error to its field, or to the form when no field carries it."""
    if name and name in form:
        form[name].errors = [*form[name].errors, message]
    else:
        form.form_errors.append(message)
