"""GET /api/referrals/check: what the referral form and the service page opened for the person
show before sending them to a service (eligibility, documents with the help nearby, supervision
curfew and area at the chosen location, room, consent; a housing service's residency verdicts
for a person on the registry; who really accepts people like them), for the care team; it sends
nothing. POST /api/referrals answers with the same warnings (`warnings_for`)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from app.api import bp, params
from app.api.auth import api_user, token_required
from app.api.search_person import acceptance_json, residency_json
from app.clock import local_today
from app.conditions.documents import document_help
from app.directory.eligibility import match
from app.directory.models import Service
from app.directory.vocabulary import ServiceStatus
from app.errors import problem
from app.extensions import db
from app.permissions import can
from app.referrals import services
from app.referrals.acceptance import acceptance_evidence, person_flags
from app.referrals.models import Client
from app.residency import staff as residency


def warnings_for(client: Client, service: Any, location_id: str | None) -> list[dict[str, Any]]:
    found = services.referral_warnings(client, service, local_today(), location_id)
    return [{"code": w.code, "message": w.message, "details": list(w.details)} for w in found]


@bp.get("/referrals/check")
@token_required("referral.create")
def referral_check():  # noqa: ANN201
    """What the referral form and the service page opened for the person would show before
    sending them to this service (see the module docstring); sends nothing."""
    user = api_user()
    client_id = params.present(request.args, "client_id")
    service_id = params.present(request.args, "service_id")
    location_id = params.present(request.args, "location_id")
    for name, value in (("client_id", client_id), ("service_id", service_id)):
        if not value:
            raise params.ParameterError(name, f"{name} is required")
    # a read: ids that lead nowhere answer 404 (unknown and not-yours read the same)
    client = db.session.get(Client, client_id)
    if client is None or not can(user, "referral.create", client):
        return problem(404, "Not Found", "No person with this id on your care teams.")
    service = db.session.get(Service, service_id)
    if service is None or service.status != ServiceStatus.ACTIVE:
        return problem(404, "Not Found", "No service with this id is taking referrals now.")
    if location_id and location_id not in {loc.id for loc in service.locations}:
        return problem(404, "Not Found", "This service has no location with this id.")
    profile = services.client_profile(client, local_today())
    return jsonify(
        {
            "client_id": client.id,
            "service_id": service.id,
            "location_id": location_id,
            "warnings": warnings_for(client, service, location_id),
            "documents": _documents(client, service, profile),
            "residency": _residency(service, user, profile),
            "acceptance": _acceptance(client, service, user),
        }
    )


def _residency(service: Any, user: Any, profile: Any) -> list[dict[str, Any]] | None:
    """A housing service's residency verdict at each of its places, for staff who may see it
    and a person on the registry (None otherwise), as on the service page."""
    if not residency.applies(user, profile):
        return None
    found = residency.for_service(service, user)
    if found is None:
        return None
    return [
        {"location_id": location.id, "name": location.name, **residency_json(verdict)}
        for location, verdict in found
    ]


def _acceptance(client: Client, service: Any, user: Any) -> list[dict[str, Any]] | None:
    """Who really accepts people like this one here (counselors, administrators; None for
    anyone else): the figures of the service page opened for the person."""
    if not can(user, "acceptance.view"):
        return None
    found = acceptance_evidence([service.id], person_flags(client)).get(service.id, [])
    return acceptance_json(found)


def _documents(client: Client, service: Any, profile: Any) -> dict[str, Any]:
    """What the referral form shows under "Needs: …": each document the person lacks for this
    service, with the open plan item that tracks getting it, and services nearby that help."""
    found = document_help(client, match(profile, service))
    if found is None:
        return {"needs": [], "help": []}
    return {
        "needs": [
            {
                "code": doc.value,
                "name": doc.label,
                "plan_item_id": item.id if (item := found.items.get(doc)) else None,
            }
            for doc in found.needs
        ],
        "help": [
            {"service_id": svc.id, "name": svc.name, "organization": svc.organization.name}
            for svc in found.services
        ],
    }
