"""A person's supervision conditions for their care team (token auth): read them, or record
and replace them with the conditions form's own checks (PUT).

Only the care team and administrators (client.view on the person) get them; anyone else,
provider staff included, gets 404 exactly as for an unknown id, so ids do not leak. Consent
never shares conditions with a provider. Each read is recorded like a page view.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from flask import jsonify

from app.api import bp
from app.api.auth import PERSON_NOT_FOUND, api_user, token_required, visible_client
from app.api.jsonbody import BadInput, choice, json_body, string
from app.api.openapi import problem_response, register
from app.conditions.districts import District
from app.conditions.services import (
    MAX_NO_CONTACT,
    ConditionsData,
    conditions_of,
    set_conditions,
)
from app.domain_errors import DomainError, FieldErrors
from app.errors import problem
from app.referrals.models import Client
from app.referrals.reads import record_client_read
from app.unit_of_work import on_domain_error


def _hhmm(value: Any) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def conditions_json(client: Client) -> dict[str, Any]:
    row = conditions_of(client)
    if row is None:
        return {"client_id": client.id, "recorded": False}
    office = row.reporting_office
    return {
        "client_id": client.id,
        "recorded": True,
        "curfew": {"start": _hhmm(row.curfew_start), "end": _hhmm(row.curfew_end)}
        if row.has_curfew
        else None,
        "allowed_area": list(row.allowed_area or []),
        "excluded_area": list(row.excluded_area or []),
        "electronic_monitoring": row.electronic_monitoring,
        "no_contact_places": row.no_contact_places,
        "reporting_office": {"code": office.value, "name": office.label} if office else None,
        "updated": row.updated_at.isoformat(),
    }


@bp.get("/clients/<client_id>/conditions")
@token_required("client.view")
def client_conditions(client_id: str):  # noqa: ANN201
    user = api_user()
    client = visible_client(user, client_id)
    if client is None:
        return problem(404, "Not Found", PERSON_NOT_FOUND)
    record_client_read(client, user, via="api")
    return jsonify(conditions_json(client))


@bp.put("/clients/<client_id>/conditions")
@token_required("client.edit")
def client_conditions_put(client_id: str):  # noqa: ANN201
    """Record or replace the person's conditions, as the conditions form does (the same
    checks, audited by field names only). Every member is the whole new value: one left out
    is cleared."""
    user = api_user()
    client = visible_client(user, client_id)
    if client is None:
        return problem(404, "Not Found", PERSON_NOT_FOUND)
    data = _conditions_data(json_body())
    on_domain_error(_fields_problem)
    set_conditions(client, data, user)
    return jsonify(conditions_json(client))


def _clock(value: Any, name: str) -> time:
    if not isinstance(value, str) or not HHMM.fullmatch(value):
        raise BadInput(name, f"{name} must be a local time like 21:00.")
    hours, minutes = (int(part) for part in value.split(":"))
    if hours > 23:
        raise BadInput(name, f"{name} must be a local time like 21:00.")
    return time(hours, minutes)


def _places(body: dict[str, Any], name: str) -> list[str]:
    value = body.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadInput(name, f"{name} must be a list of town or county names.")
    return value


def _conditions_data(body: dict[str, Any]) -> ConditionsData:
    curfew = body.get("curfew")
    start = end = None
    if curfew is not None:
        if not isinstance(curfew, dict):
            raise BadInput("curfew", "curfew must be {start, end} or null.")
        start = _clock(curfew.get("start"), "curfew.start")
        end = _clock(curfew.get("end"), "curfew.end")
    monitoring = body.get("electronic_monitoring")
    if monitoring is not None and not isinstance(monitoring, bool):
        raise BadInput(
            "electronic_monitoring", "electronic_monitoring must be true, false or null."
        )
    return ConditionsData(
        curfew_start=start,
        curfew_end=end,
        allowed_area=_places(body, "allowed_area"),
        excluded_area=_places(body, "excluded_area"),
        electronic_monitoring=monitoring,
        no_contact_places=string(body, "no_contact_places", max_length=MAX_NO_CONTACT),
        district=choice(body, "reporting_office", tuple(d.value for d in District)),
    )


# the service's field names, as the API names them
API_FIELD = {
    "curfew_start": "curfew.start",
    "curfew_end": "curfew.end",
    "district": "reporting_office",
}


def _fields_problem(error: DomainError) -> Any:
    if not isinstance(error, FieldErrors):
        return None
    errors = {API_FIELD.get(str(k), str(k)): [v] for k, v in error.problems.items()}
    return problem(
        422, "Unprocessable Content", error.message, field=next(iter(errors)), errors=errors
    )


HHMM = re.compile(r"[0-9]{2}:[0-5][0-9]", re.ASCII)
TIME = {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}
CLOCK = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}
CONDITIONS = {
    "type": "object",
    "required": ["client_id", "recorded"],
    "properties": {
        "client_id": {"type": "string"},
        "recorded": {"type": "boolean", "description": "False: no conditions recorded yet"},
        "curfew": {
            "type": ["object", "null"],
            "description": "Daily, local time; an end before the start runs overnight",
            "properties": {"start": TIME, "end": TIME},
        },
        "allowed_area": {"type": "array", "items": {"type": "string"},
                         "description": "Towns or counties the person may not leave"},
        "excluded_area": {"type": "array", "items": {"type": "string"},
                          "description": "Towns or counties the person may not enter"},
        "electronic_monitoring": {"type": ["boolean", "null"]},
        "no_contact_places": {"type": ["string", "null"]},
        "reporting_office": {
            "type": ["object", "null"],
            "properties": {"code": {"type": "string", "enum": [d.value for d in District]},
                           "name": {"type": "string"}},
        },
        "updated": {"type": "string", "format": "date-time"},
    },
}  # fmt: skip


CHANGE = {
    "type": "object",
    "description": "The whole new record: a member left out or null is cleared.",
    "properties": {
        "curfew": {"type": ["object", "null"], "required": ["start", "end"],
                   "description": "Daily, local time; an end before the start runs overnight",
                   "properties": {"start": CLOCK, "end": CLOCK}},
        "allowed_area": {"type": "array", "items": {"type": "string"}, "maxItems": 20},
        "excluded_area": {"type": "array", "items": {"type": "string"}, "maxItems": 20},
        "electronic_monitoring": {"type": ["boolean", "null"]},
        "no_contact_places": {"type": ["string", "null"], "maxLength": MAX_NO_CONTACT},
        "reporting_office": {"anyOf": [{"type": "string", "enum": [d.value for d in District]},
                                       {"type": "null"}],
                             "description": "The district office's code"},
    },
}  # fmt: skip


def _conditions(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/SupervisionConditions"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


@register
def conditions_fragment() -> dict[str, Any]:
    path = {
        "parameters": [{"name": "client_id", "in": "path", "required": True,
                        "schema": {"type": "string", "maxLength": 36}}],
        "get": {
            "tags": ["Clients"], "security": [{"bearerToken": []}],
            "operationId": "getSupervisionConditions",
            "summary": "A person's supervision conditions (care team and administrators only)",
            "responses": {
                "200": _conditions("The conditions"),
                "401": problem_response("No token, or the token is not valid."),
                "403": problem_response("Your role cannot see people's records."),
                "404": problem_response(PERSON_NOT_FOUND),
            },
        },
    }  # fmt: skip
    path["put"] = {
        "tags": ["Clients"], "security": [{"bearerToken": []}],
        "operationId": "putSupervisionConditions",
        "summary": "Record or replace a person's supervision conditions (care team and "
                   "administrators; audited)",
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/SupervisionConditionsChange"}}}},
        "responses": {
            "200": _conditions("The conditions as recorded"),
            "401": problem_response("No token, or the token is not valid."),
            "403": problem_response("Your role cannot change people's records."),
            "404": problem_response(PERSON_NOT_FOUND),
            "422": problem_response("Bad input; `field` names the member at fault and `errors` "
                                    "lists every message (both curfew times or neither; a "
                                    "place both allowed and excluded; at most 20 places)."),
        },
    }  # fmt: skip
    return {
        "paths": {"/clients/{client_id}/conditions": path},
        "components": {
            "schemas": {"SupervisionConditions": CONDITIONS, "SupervisionConditionsChange": CHANGE}
        },
        "tags": [{"name": "Clients", "description": "A person's record (care team, token auth)"}],
    }
