"""Shared field helpers: trimming, US phone and web-address checks, the error summary."""

from __future__ import annotations

import math
from typing import Any

from wtforms import (
    Form,
    SelectChoice,
    SelectMultipleField,
)
from wtforms.validators import (
    Email,
    Length,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from app.directory.services import (
    EditError,
    normalize_us_phone,
)
from app.web_address import MESSAGE as WEB_ADDRESS_MESSAGE
from app.web_address import is_web_address


def choices(pairs: Any) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def us_phone(form: Form, field: Any) -> None:
    if field.data:
        try:
            normalize_us_phone(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


def web_address(form: Form, field: Any) -> None:
    """Only http(s) links: the value becomes an href on public pages."""
    if field.data and not is_web_address(field.data):
        raise ValidationError(WEB_ADDRESS_MESSAGE)


def finite(form: Form, field: Any) -> None:
    if field.data is not None and not math.isfinite(field.data):
        raise ValidationError("Enter a number.")


EMAIL = [
    Optional(),
    Length(max=254),
    Email(message="Enter an e-mail address like name@example.org."),
]
WEBSITE = [Optional(), Length(max=500), web_address]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ErrorListMixin:
    """A flat (id, label, message) list for the error summary, nested phone rows included."""

    def error_list(self) -> list[tuple[str, str, str]]:
        found = [("main", "Form", message) for message in self.form_errors]  # type: ignore[attr-defined]
        for field in self:  # type: ignore[attr-defined]
            if field.type == "FieldList":
                for index, entry in enumerate(field.entries, start=1):
                    for sub in entry.form:
                        for message in sub.errors:
                            label = f"Phone {index} {sub.label.text.lower()}"
                            found.append((sub.id, label, message))
            else:
                for message in field.errors:
                    found.append((field.id, field.label.text, message))
        return found

    def attach(self, error: EditError) -> None:
        """Show a rule broken in the service layer on the field it names."""
        name = error.field
        if name.startswith("phones-"):
            _, index, sub = name.split("-", 2)
            target = self.phones.entries[int(index)].form[sub]  # type: ignore[attr-defined]
        else:
            target = self._fields.get(name)  # type: ignore[attr-defined]
        if target is None:
            self.form_errors.append(error.message)  # type: ignore[attr-defined]
        else:
            target.errors = [*target.errors, error.message]
