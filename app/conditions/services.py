"""Recording a person's supervision conditions, and the warnings they raise for a service.

The care team edits them (the client.edit permission); every change is audited by the names of
the fields changed, never their values. Services flush; the request commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.audit.services import record as audit
from app.conditions.area import check_area
from app.conditions.curfew import CurfewFit, check_curfew, openings
from app.conditions.districts import District
from app.conditions.models import SupervisionConditions
from app.domain_errors import FieldErrors
from app.extensions import db
from app.permissions import can
from app.referrals.errors import NotAllowed

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.referrals.models import Client

MAX_PLACES = 20
MAX_PLACE = 100
MAX_NO_CONTACT = 2000
FIELDS = (
    "curfew_start",
    "curfew_end",
    "allowed_area",
    "excluded_area",
    "electronic_monitoring",
    "no_contact_places",
    "district",
)


@dataclass
class ConditionsData:
    curfew_start: time | None = None
    curfew_end: time | None = None
    allowed_area: list[str] = field(default_factory=list)
    excluded_area: list[str] = field(default_factory=list)
    electronic_monitoring: bool | None = None
    no_contact_places: str | None = None
    district: str | None = None


def conditions_of(client: Client) -> SupervisionConditions | None:
    return db.session.scalar(
        select(SupervisionConditions).where(SupervisionConditions.client_id == client.id)
    )


def _places(problems: dict[str, str], name: str, values: list[str]) -> list[str]:
    places = list(dict.fromkeys(" ".join(v.split()) for v in values if v and v.strip()))
    if len(places) > MAX_PLACES:
        problems[name] = f"List at most {MAX_PLACES} towns or counties."
    elif any(len(p) > MAX_PLACE for p in places):
        problems[name] = f"Keep each town or county to {MAX_PLACE} characters."
    return places


def _validated(data: ConditionsData) -> dict[str, Any]:
    problems: dict[str, str] = {}
    if (data.curfew_start is None) != (data.curfew_end is None):
        missing = "curfew_end" if data.curfew_end is None else "curfew_start"
        problems[missing] = "Give both the start and the end of the curfew, or neither."
    elif data.curfew_start is not None and data.curfew_start == data.curfew_end:
        problems["curfew_end"] = "The curfew ends when it starts: give two different times."
    allowed = _places(problems, "allowed_area", data.allowed_area)
    excluded = _places(problems, "excluded_area", data.excluded_area)
    both = {p.casefold() for p in allowed} & {p.casefold() for p in excluded}
    if both:
        problems["excluded_area"] = "A place cannot be both allowed and excluded."
    note = (data.no_contact_places or "").strip() or None
    if note and len(note) > MAX_NO_CONTACT:
        problems["no_contact_places"] = f"Keep this to {MAX_NO_CONTACT} characters."
    district = (data.district or "").strip() or None
    if district and district not in District._value2member_map_:
        problems["district"] = "Choose one of the listed district offices."
    if problems:
        raise FieldErrors(problems)
    return {
        "curfew_start": data.curfew_start,
        "curfew_end": data.curfew_end,
        "allowed_area": allowed,
        "excluded_area": excluded,
        "electronic_monitoring": data.electronic_monitoring,
        "no_contact_places": note,
        "district": district,
    }


def set_conditions(client: Client, data: ConditionsData, actor: User) -> SupervisionConditions:
    """Create or change the person's conditions; audited by field names only."""
    if not can(actor, "client.edit", client):
        raise NotAllowed("Only the person's care team can change their conditions.")
    values = _validated(data)
    row = conditions_of(client)
    if row is None:
        row = SupervisionConditions(client_id=client.id, allowed_area=[], excluded_area=[])
        db.session.add(row)
    changed = [name for name in FIELDS if getattr(row, name) != values[name]]
    for name in FIELDS:
        setattr(row, name, values[name])
    row.updated_by_id = actor.id
    db.session.flush()
    if changed:
        audit(
            "client.conditions.update",
            client,
            actor,
            client_id=client.id,
            details={"fields": changed},
        )
        db.session.flush()
    return row


@dataclass(frozen=True)
class ConditionWarning:
    code: str  # curfew_inside/_partly/_unknown, outside_area, excluded_area, area_unknown
    message: str


def warnings_for(
    conditions: SupervisionConditions | None,
    schedules: list[Any],
    town: str | None,
    county: str | None = None,
) -> list[ConditionWarning]:
    """What the person's conditions say about one service (its hours and its town)."""
    if conditions is None:
        return []
    out: list[ConditionWarning] = []
    if conditions.has_curfew:
        result = check_curfew(
            conditions.curfew_start,  # type: ignore[arg-type]
            conditions.curfew_end,  # type: ignore[arg-type]
            openings(schedules),
        )
        if result.fit != CurfewFit.CLEAR and result.message:
            out.append(ConditionWarning(f"curfew_{result.fit.value}", result.message))
    area = check_area(town, county, conditions.allowed_area, conditions.excluded_area)
    if area.message:
        code = "outside_area" if area.outside_allowed else "area_unknown"
        code = "excluded_area" if area.excluded else code
        out.append(ConditionWarning(code, area.message))
    return out
