"""/fhir/: a read-only FHIR R4 facade over referrals and consents (SDOH Clinical Care profiles).

Same bearer-token auth and visibility as the referral API (app.api.auth, can(...)): a resource the
token's user may not see answers 404 like one that does not exist. Answers are
application/fhir+json; a request that accepts only other formats (e.g. application/fhir+xml, or
_format=xml) gets 406. Every error under /fhir/ is an OperationOutcome (see outcome.py).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, request, url_for
from sqlalchemy import func, select

from app.api import params
from app.api.auth import api_user, token_required
from app.clock import local_today
from app.extensions import db
from app.fhir import search
from app.fhir.capability import capability_statement
from app.fhir.outcome import FHIR_JSON, operation_outcome
from app.permissions import PUBLIC, can, requires
from app.referrals import services
from app.referrals.client_reference import client_reference
from app.referrals.fhir import to_fhir_task
from app.referrals.fhir_consent import to_fhir_consent
from app.referrals.fhir_request import to_fhir_service_request
from app.referrals.models import Consent, Referral
from app.referrals.permissions import is_provider_staff_of
from app.referrals.reads import record_client_read

bp = Blueprint("fhir", __name__, url_prefix="/fhir")


def _fhir(resource: dict[str, Any], status: int = 200) -> Response:
    response = jsonify(resource)
    response.status_code = status
    response.mimetype = FHIR_JSON
    return response


# media types that mean FHIR JSON (R4's, plain JSON, and DSTU2's older spelling), and wildcards
JSON_TYPES = frozenset({FHIR_JSON, "application/json", "application/json+fhir"})
TAKES_JSON = JSON_TYPES | {"*/*", "application/*"}


def _media_type(value: str) -> str:
    """The type without its parameters: `application/fhir+json; fhirVersion=4.0` and
    `...; charset=utf-8` are FHIR JSON too."""
    return value.split(";", 1)[0].strip().lower()


@bp.before_request
def _negotiate() -> Response | None:
    """406 unless the client takes JSON (fhir+json, json, or any type)."""
    fmt = _media_type(request.args.get("_format") or "")
    if fmt and fmt != "json" and fmt not in JSON_TYPES:
        return operation_outcome(406, "not-supported", "This server answers JSON only.")
    accept = request.accept_mimetypes
    if accept and not any(_media_type(value) in TAKES_JSON for value, q in accept if q > 0):
        return operation_outcome(
            406, "not-supported", "This server answers application/fhir+json only."
        )
    return None


def _not_found(kind: str) -> Response:
    return operation_outcome(404, "not-found", f"No {kind} with this id that you can see.")


def _referral(id_: str) -> Referral | None:
    if not params.usable_id(id_):
        return None
    referral = db.session.get(Referral, id_)
    if referral is None or not can(api_user(), "referral.view", referral):
        return None
    return referral


@bp.get("/metadata")
@requires(PUBLIC)
def metadata() -> Response:
    return _fhir(capability_statement(url_for("fhir.metadata", _external=True)))


def _referral_resource(referral_id: str, kind: str, build) -> Response:  # noqa: ANN001
    """A referral the token's user may see, read (and audited) as the resource `build` makes."""
    found = _referral(referral_id)
    if found is None:
        return _not_found(kind)
    user = api_user()
    services.record_referral_read(found, user, via="fhir")
    patient = client_reference(found, user, local_today())
    return _fhir(build(found, patient_id=patient))


@bp.get("/Task/<task_id>")
@token_required("referral.view")
def task(task_id: str) -> Response:
    return _referral_resource(task_id, "Task", to_fhir_task)


@bp.get("/ServiceRequest/<request_id>")
@token_required("referral.view")
def service_request(request_id: str) -> Response:
    return _referral_resource(request_id, "ServiceRequest", to_fhir_service_request)


def _consent_referral(consent: Consent) -> Referral | None:
    """A referral made under this consent that the token's provider staff user may see."""
    user = api_user()
    rows = db.session.scalars(select(Referral).where(Referral.consent_id == consent.id))
    return next((r for r in rows if is_provider_staff_of(user, r)), None)


@bp.get("/Consent/<consent_id>")
@token_required("referral.view")
def consent(consent_id: str) -> Response:
    """The care team and admins see every consent of their clients; provider staff see a consent
    a referral to their organization was sent under (its ServiceRequest points to it)."""
    user = api_user()
    found = db.session.get(Consent, consent_id) if params.usable_id(consent_id) else None
    if found is None:
        return _not_found("Consent")
    if can(user, "consent.manage", found.client):
        patient = found.client_id
        record_client_read(found.client, user, via="fhir")  # audited like the other reads
    else:
        referral = _consent_referral(found)
        if referral is None:
            return _not_found("Consent")
        services.record_referral_read(referral, user, via="fhir")
        patient = client_reference(referral, user, local_today())
    return _fhir(to_fhir_consent(found, local_today(), patient_id=patient))


@bp.get("/Task")
@token_required("referral.view")
def task_search() -> Response:
    """Task?status=&owner=&_lastUpdated=&_count=&page= as a searchset Bundle."""
    user = api_user()
    query, count, page = search.task_query(user, request.args)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(query.limit(count).offset((page - 1) * count)).all()
    today = local_today()
    entries = [
        {
            "fullUrl": url_for("fhir.task", task_id=r.id, _external=True),
            "resource": to_fhir_task(r, patient_id=client_reference(r, user, today)),
            "search": {"mode": "match"},
        }
        for r in rows
    ]
    links = [{"relation": "self", "url": request.url}]
    if page * count < (total or 0):
        args = request.args.to_dict() | {"page": str(page + 1)}
        links.append(
            {"relation": "next", "url": url_for("fhir.task_search", _external=True, **args)}
        )
    return _fhir(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": total or 0,
            "link": links,
            "entry": entries,
        }  # fmt: skip
    )


@bp.route("/<path:rest>", methods=["GET"])
@requires(PUBLIC)
def unknown(rest: str) -> Response:
    """Any other path under /fhir/: an OperationOutcome, never a page."""
    abort(404)


# The resources Task, ServiceRequest and Consent refer to, and the directory's searches
# (each registers its routes on bp).
from app.fhir import routes_directory, routes_references  # noqa: E402,F401
