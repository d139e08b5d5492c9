"""Reads of the resources a Task, ServiceRequest or Consent refers to, so each reference resolves:
Organization, HealthcareService, Location (directory data), Practitioner and PractitionerRole
(staff, app.fhir.visibility), and Patient (only as the referral API would show the person).

Same token auth as the rest of the facade; what the reader may not see answers 404 like an id
that does not exist (an OperationOutcome).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response

from app.accounts.models import Facility
from app.api import params
from app.api.auth import api_user, token_required
from app.clock import local_today
from app.directory.models import Location, Organization, Service
from app.extensions import db
from app.fhir import resources
from app.fhir.routes import _fhir, _not_found, bp
from app.fhir.visibility import patient_view, visible_staff
from app.referrals.reads import record_client_read


def _organization(id_: str) -> dict[str, Any] | None:
    """A provider organization of the directory, or a correctional facility."""
    org = db.session.get(Organization, id_)
    if org is not None:
        return resources.organization(org)
    facility = db.session.get(Facility, id_)
    return resources.facility_organization(facility) if facility is not None else None


Reader = Callable[[str], "dict[str, Any] | None"]


def _built(load: Callable[[str], Any], build: Callable[[Any], dict[str, Any]]) -> Reader:
    def read(id_: str) -> dict[str, Any] | None:
        found = load(id_)
        return build(found) if found is not None else None

    return read


# What each read loads and builds; what the token's user may not see loads as None (404).
READS: dict[str, Reader] = {
    "Organization": _organization,
    "HealthcareService": _built(lambda i: db.session.get(Service, i), resources.healthcare_service),
    "Location": _built(lambda i: db.session.get(Location, i), resources.location),
    "Practitioner": _built(lambda i: visible_staff(api_user(), i), resources.practitioner),
    "PractitionerRole": _built(
        lambda i: visible_staff(api_user(), i), resources.practitioner_role
    ),  # fmt: skip
}


def _read(kind: str, id_: str) -> Response:
    """Load, authorize (by loading only what the user may see) and build one resource."""
    resource = READS[kind](id_) if params.usable_id(id_) else None
    return _fhir(resource) if resource is not None else _not_found(kind)


@bp.get("/Organization/<org_id>")
@token_required("referral.view")
def organization(org_id: str) -> Response:
    return _read("Organization", org_id)


@bp.get("/HealthcareService/<service_id>")
@token_required("referral.view")
def healthcare_service(service_id: str) -> Response:
    return _read("HealthcareService", service_id)


@bp.get("/Location/<location_id>")
@token_required("referral.view")
def location(location_id: str) -> Response:
    return _read("Location", location_id)


@bp.get("/Practitioner/<user_id>")
@token_required("referral.view")
def practitioner(user_id: str) -> Response:
    return _read("Practitioner", user_id)


@bp.get("/PractitionerRole/<user_id>")
@token_required("referral.view")
def practitioner_role(user_id: str) -> Response:
    return _read("PractitionerRole", user_id)


@bp.get("/Patient/<patient_id>")
@token_required("referral.view")
def patient(patient_id: str) -> Response:
    """The person, only for readers who may see them; the read is audited like the referral
    API's."""
    user = api_user()
    view = patient_view(user, patient_id, local_today()) if params.usable_id(patient_id) else None
    if view is None:
        return _not_found("Patient")
    record_client_read(view.client, user, via="fhir", referral=view.referral,
                       fields=view.fields if view.referral is not None else None)  # fmt: skip
    return _fhir(resources.patient(view.client.id, view.fields))
