"""Small helpers shared by the referral forms."""

from __future__ import annotations

from typing import Any

from wtforms import SelectChoice, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


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
