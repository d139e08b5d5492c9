"""Reads of the resources a Task, ServiceRequest or Consent refers to, so each reference resolves:
Organization, HealthcareService, Location (directory data), Practitioner and PractitionerRole
(staff, app.fhir.visibility), and Patient (only as the referral API would show the person).

Same token auth as the rest of the facade; what the reader may not see answers 404 like an id
that does not exist (an OperationOutcome).
"""

from __future__ import annotations

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


def _get(model: type, id_: str):  # noqa: ANN202
    return db.session.get(model, id_) if params.usable_id(id_) else None


@bp.get("/Organization/<org_id>")
@token_required("referral.view")
def organization(org_id: str) -> Response:
    """A provider organization of the directory, or a correctional facility."""
    org = _get(Organization, org_id)
    if org is not None:
        return _fhir(resources.organization(org))
    facility = _get(Facility, org_id)
    if facility is not None:
        return _fhir(resources.facility_organization(facility))
    return _not_found("Organization")


@bp.get("/HealthcareService/<service_id>")
@token_required("referral.view")
def healthcare_service(service_id: str) -> Response:
    service = _get(Service, service_id)
    if service is None:
        return _not_found("HealthcareService")
    return _fhir(resources.healthcare_service(service))


@bp.get("/Location/<location_id>")
@token_required("referral.view")
def location(location_id: str) -> Response:
    found = _get(Location, location_id)
    if found is None:
        return _not_found("Location")
    return _fhir(resources.location(found))


@bp.get("/Practitioner/<user_id>")
@token_required("referral.view")
def practitioner(user_id: str) -> Response:
    staff = visible_staff(api_user(), user_id) if params.usable_id(user_id) else None
    if staff is None:
        return _not_found("Practitioner")
    return _fhir(resources.practitioner(staff))


@bp.get("/PractitionerRole/<user_id>")
@token_required("referral.view")
def practitioner_role(user_id: str) -> Response:
    staff = visible_staff(api_user(), user_id) if params.usable_id(user_id) else None
    if staff is None:
        return _not_found("PractitionerRole")
    return _fhir(resources.practitioner_role(staff))


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
