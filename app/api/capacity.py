"""Provider write API: keep capacity current and confirm a listing from another system.

`PUT /api/services/{id}/capacity` and `POST /api/services/{id}/verify`, with a provider's
API token, for their own organizations only (admins: any). The same rules as the capacity
page: validation, a history row for every change, and the version check — send back the
`version` you last read, or get 409 with the figure as it is now.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from sqlalchemy import select

from app.api import bp
from app.api.auth import api_user, token_required
from app.api.jsonbody import (
    INT32_MAX,
    BadInput,
    choice,
    json_body,
    string,
    whole_number,
)
from app.api.openapi import problem_response, register
from app.api.params import usable_id
from app.directory.capacity import (
    COUNT_LIMIT,
    WAIT_LENGTH,
    add_capacity,
    confirm_capacity,
    is_stale,
    mark_full,
    update_capacity,
)
from app.directory.models import Service, ServiceCapacity, Unit
from app.directory.services import verify_service
from app.directory.vocabulary import CapacityStatus
from app.errors import problem
from app.extensions import db
from app.permissions import can

ACTIONS = ("update", "mark_full", "confirm")


def capacity_json(capacity: ServiceCapacity) -> dict[str, Any]:
    return {
        "id": capacity.id,
        "service_id": capacity.service_id,
        "unit": capacity.unit.identifier,
        "available": capacity.available,
        "maximum": capacity.maximum,
        "status": capacity.status.value,
        "waitlist_length": capacity.waitlist_length,
        "expected_wait": capacity.expected_wait,
        "updated": capacity.updated.isoformat(),
        "stale": is_stale(capacity),
        "version": capacity.version,
    }


def _own_service(service_id: str, action: str) -> Service | None:
    if not usable_id(service_id):
        return None
    service = db.session.get(Service, service_id)
    if service is None or not can(api_user(), action, service):
        return None
    return service


def _count(body: dict[str, Any], name: str) -> int | None:
    if body.get(name) is None:
        return None
    return whole_number(body, name)


def _unit_for(service: Service, body: dict[str, Any]) -> tuple[Unit, ServiceCapacity | None]:
    """The unit named in the body, or the service's only figure when it has exactly one."""
    identifier = string(body, "unit", max_length=100)
    if identifier is None:
        if len(service.capacities) == 1:
            return service.capacities[0].unit, service.capacities[0]
        raise BadInput("unit", "Name the unit (bed, program_slot, job_opening, appointment).")
    unit = db.session.scalar(select(Unit).where(Unit.identifier == identifier))
    if unit is None:
        raise BadInput("unit", f"Unknown unit {identifier!r}.")
    current = next((c for c in service.capacities if c.unit_id == unit.id), None)
    return unit, current


@bp.put("/services/<service_id>/capacity")
@token_required("capacity.update")
def capacity_put(service_id: str):  # noqa: ANN201
    """Bad input 422, a stale version 409 with the current figure: the registered handlers."""
    service = _own_service(service_id, "capacity.update")
    if service is None:
        return problem(404, "Not Found", "No service with this id that you can update.")
    body = json_body()
    action = choice(body, "action", ACTIONS) or "update"
    unit, capacity = _unit_for(service, body)
    status = choice(body, "status", {s.value for s in CapacityStatus})
    available, maximum = _count(body, "available"), _count(body, "maximum")
    waitlist_length = _count(body, "waitlist_length")
    expected_wait = string(body, "expected_wait", max_length=1000)
    version = whole_number(body, "version") if capacity is not None else None
    if capacity is None and action != "update":
        raise BadInput("unit", "This service has no figure for that unit yet.")
    user, created = api_user(), capacity is None
    if capacity is None:
        capacity = add_capacity(
            service, unit=unit, available=available, maximum=maximum, status=status, actor=user
        )
    elif action == "mark_full":
        mark_full(capacity, actor=user, expected_version=version)
    elif action == "confirm":
        confirm_capacity(capacity, actor=user, expected_version=version)
    else:
        update_capacity(
            capacity,
            actor=user,
            expected_version=version,
            available=available,
            maximum=maximum,
            status=status,
            waitlist_length=waitlist_length,
            expected_wait=expected_wait,
        )
    response = jsonify(capacity_json(capacity))
    response.status_code = 201 if created else 200
    return response


@bp.post("/services/<service_id>/verify")
@token_required("service.verify")
def service_verify(service_id: str):  # noqa: ANN201
    service = _own_service(service_id, "service.verify")
    if service is None:
        return problem(404, "Not Found", "No service with this id that you can verify.")
    verify_service(service, api_user())
    return jsonify({"id": service.id, "last_verified_at": service.last_verified_at.isoformat()})


# --- OpenAPI ------------------------------------------------------------------------------------

_SERVICE_ID = {"name": "service_id", "in": "path", "required": True, "schema": {"type": "string"}}
_COMMON_ERRORS = {
    "401": problem_response("No token, or the token is unknown, expired, revoked or deactivated."),
    "403": problem_response("Your role cannot change capacity or verify listings."),
    "404": problem_response("No service with this id that you can change."),
}
_COUNT = {"type": ["integer", "null"], "minimum": 0, "maximum": COUNT_LIMIT}
_WAIT = {"type": ["string", "null"], "maxLength": WAIT_LENGTH}


@register
def capacity_fragment() -> dict[str, Any]:
    common = {"tags": ["Provider updates"], "security": [{"bearerToken": []}]}
    figure = {
        "type": "object",
        "required": ["id", "service_id", "unit", "status", "updated", "stale", "version"],
        "properties": {
            "id": {"type": "string"},
            "service_id": {"type": "string"},
            "unit": {"type": "string"},
            "available": _COUNT,
            "maximum": _COUNT,
            "status": {"type": "string", "enum": [s.value for s in CapacityStatus]},
            "waitlist_length": _COUNT,
            "expected_wait": _WAIT,
            "updated": {"type": "string", "format": "date-time"},
            "stale": {"type": "boolean"},
            "version": {"type": "integer"},
        },
    }
    update = {
        "type": "object",
        "properties": {
            "action": {"type": "string", "enum": list(ACTIONS), "default": "update"},
            "unit": {
                "type": "string",
                "description": "Unit identifier; optional when the "
                "service has exactly one figure. A new unit creates a figure.",
            },
            "available": _COUNT,
            "maximum": _COUNT,
            "status": {"type": "string", "enum": [s.value for s in CapacityStatus]},
            "waitlist_length": _COUNT,
            "expected_wait": _WAIT,
            "version": {
                "type": "integer",
                "minimum": 0,
                "maximum": INT32_MAX,
                "description": "The version you last read.",
            },
        },
    }
    ok = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Capacity"}}}}
    return {
        "paths": {
            "/services/{service_id}/capacity": {
                "put": {
                    **common,
                    "operationId": "updateCapacity",
                    "summary": "Update, mark full or confirm one capacity figure of your service",
                    "parameters": [_SERVICE_ID],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": update}},
                    },
                    "responses": {
                        "200": {"description": "The figure as saved.", **ok},
                        "201": {"description": "A new figure for that unit.", **ok},
                        **_COMMON_ERRORS,
                        "409": problem_response(
                            "Someone changed the figure first; `current` holds it now."
                        ),
                        "422": problem_response("Bad input; `field` names the member."),
                    },
                }
            },
            "/services/{service_id}/verify": {
                "post": {
                    **common,
                    "operationId": "verifyService",
                    "summary": "Confirm the listing is still accurate",
                    "parameters": [_SERVICE_ID],
                    "responses": {
                        "200": {
                            "description": "Verified now.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["id", "last_verified_at"],
                                        "properties": {
                                            "id": {"type": "string"},
                                            "last_verified_at": {
                                                "type": "string",
                                                "format": "date-time",
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        **_COMMON_ERRORS,
                    },
                }
            },
        },
        "components": {"schemas": {"Capacity": figure}},
    }
