"""A service's own wording in Spanish, entered beside the English by its provider or an admin.

One ServiceTranslation row per service and language (app.public.models). Each field is optional:
the public pages show the Spanish where it is given and the English (marked as English) where
not. The same length limits as the English fields; an all-empty translation removes the row.
Every change is audited as `service.translation.update` with the language and the names of the
fields that changed (never their text). Flushes only; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.audit.services import record as audit
from app.directory.services import EditError
from app.extensions import db
from app.plausible import list_problem
from app.public.models import ServiceTranslation

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.directory.models import Service

SPANISH = "es"
TRANSLATED_LANGUAGES = (SPANISH,)
AUDIT_ACTION = "service.translation.update"
# field -> the longest text the English field takes (the same column sizes and form limits)
LIMITS = {
    "name": 250,
    "description": 5000,
    "documents": 5000,
    "application_process": 5000,
    "fees_description": 2000,
    "eligibility_description": 5000,
    "alert": 500,
}
DOCUMENT_LINE_MAX = 250


@dataclass
class TranslationData:
    """What a form, the API or an import gives: None or "" means "not translated"."""

    name: str | None = None
    description: str | None = None
    documents: str | None = None  # what to bring, one item a line
    application_process: str | None = None
    fees_description: str | None = None
    eligibility_description: str | None = None
    alert: str | None = None

    def cleaned(self) -> dict[str, str | None]:
        out = {}
        for f in fields(self):
            value = (getattr(self, f.name) or "").strip()
            if f.name == "documents":
                value = "\n".join(line.strip() for line in value.splitlines() if line.strip())
            out[f.name] = value or None
        return out

    @classmethod
    def of(cls, row: ServiceTranslation | None) -> TranslationData:
        if row is None:
            return cls()
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})


def translation(service: Service, language: str = SPANISH) -> ServiceTranslation | None:
    return db.session.scalar(
        select(ServiceTranslation).where(
            ServiceTranslation.service_id == service.id, ServiceTranslation.language == language
        )
    )


def check_translation(values: dict[str, str | None]) -> tuple[str, str] | None:
    """(field, message) for the first limit the cleaned values break, else None (the form, the
    service function and the HSDS import share it)."""
    for name, limit in LIMITS.items():
        value = values.get(name)
        if value and len(value) > limit:
            return name, f"Keep this to {limit} characters or fewer."
    documents = values.get("documents")
    problem = list_problem(documents)
    if problem:
        return "documents", problem
    if any(len(line) > DOCUMENT_LINE_MAX for line in (documents or "").splitlines()):
        return "documents", f"Keep each line to {DOCUMENT_LINE_MAX} characters or fewer."
    return None


def set_translation(
    service: Service,
    data: TranslationData,
    actor: User | None,
    language: str = SPANISH,
    *,
    field_prefix: str = "es_",
) -> ServiceTranslation | None:
    """Save the service's wording in `language`; returns the row (None when all empty).
    A broken rule raises EditError naming `field_prefix + field`."""
    if language not in TRANSLATED_LANGUAGES:
        raise EditError(field_prefix + "language", "Choose a language from the list.")
    values = data.cleaned()
    problem = check_translation(values)
    if problem is not None:
        raise EditError(field_prefix + problem[0], problem[1])
    row = translation(service, language)
    before = TranslationData.of(row).cleaned()
    changed = [name for name in values if values[name] != before[name]]
    if not changed:
        return row
    if not any(values.values()):
        db.session.delete(row)
        row = None
    else:
        if row is None:
            row = ServiceTranslation(service_id=service.id, language=language)
            db.session.add(row)
        for name, value in values.items():
            setattr(row, name, value)
    audit(
        "service.translation.update",
        service,
        actor,
        details={"language": language, "fields": changed},
    )
    db.session.flush()
    return row
