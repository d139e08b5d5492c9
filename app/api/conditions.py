"""A person's supervision conditions for their care team (token auth), read-only.

Only the care team and administrators (client.view on the person) get them; anyone else,
provider staff included, gets 404 exactly as for an unknown id, so ids do not leak. Consent
never shares conditions with a provider. Each read is recorded like a page view.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify

from app.api import bp
from app.api.auth import PERSON_NOT_FOUND, api_user, token_required, visible_client
from app.api.openapi import problem_response, register
from app.conditions.districts import District
from app.conditions.services import conditions_of
from app.errors import problem
from app.referrals.models import Client
from app.referrals.reads import record_client_read


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


TIME = {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}
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
                "200": {"description": "The conditions",
                        "content": {"application/json": {"schema": {
                            "$ref": "#/components/schemas/SupervisionConditions"}}}},
                "401": problem_response("No token, or the token is not valid."),
                "403": problem_response("Your role cannot see people's records."),
                "404": problem_response(PERSON_NOT_FOUND),
            },
        },
    }  # fmt: skip
    return {
        "paths": {"/clients/{client_id}/conditions": path},
        "components": {"schemas": {"SupervisionConditions": CONDITIONS}},
        "tags": [{"name": "Clients", "description": "A person's record (care team, token auth)"}],
    }
