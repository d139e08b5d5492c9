"""The one family of domain errors: a rule said no, and how a request answers it.

Services raise these; they never import Flask. `status` is the HTTP answer (403 not allowed,
409 conflict, 422 bad input), `message` what the person reads, `field` the form field or API
member it belongs to (None: the whole form). The registered handler (app.unit_of_work) rolls the
request back and turns the error into a JSON problem for the API or a message on the form.
"""

from __future__ import annotations

from typing import Any

TITLES = {
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    422: "Unprocessable Content",
}


class DomainError(Exception):
    """Base of every error a rule raises for a person to read (never a bug)."""

    status = 422

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def title(self) -> str:
        return TITLES.get(self.status, "Error")

    def problem_extra(self) -> dict[str, Any]:
        """Extra members of the API problem body (a 422 names its field, as clients expect)."""
        if self.status == 422 and self.field:
            return {"field": self.field, "errors": {self.field: [self.message]}}
        return {}


class NotPermitted(DomainError):
    """The actor may not do this to this object."""

    status = 403


class Conflict(DomainError):
    """The object is not in a state that allows this (or changed meanwhile)."""

    status = 409


class Invalid(DomainError):
    """The input breaks a rule; `field` says where."""

    status = 422


class FieldErrors(Invalid):
    """Several fields wrong at once: `problems` maps field name to message."""

    def __init__(self, problems: dict[Any, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems

    def problem_extra(self) -> dict[str, Any]:
        return {"errors": {str(getattr(k, "value", k)): [v] for k, v in self.problems.items()}}
