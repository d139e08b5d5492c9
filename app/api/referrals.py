"""Referral API (token auth): send, list, read, move along the workflow, and read as a FHIR Task.

Same rules as the pages: `can(user, action, obj)` decides, the referral services do the work, the
view commits once. A referral the token's user may not see answers 404, exactly like an id that
does not exist, so ids of other organizations' referrals do not leak; 403 is kept for "you can
see it but your side cannot take this step" (and for roles that can never use an endpoint).
Domain errors become problem bodies: NotAllowed 403, InvalidTransition/StaleReferral 409,
MissingField/ReferralValidationError/ConsentRequired 422 (with `field` and `errors`).

Provider staff get the client only as provider_view_of_client allows (consent shares, while the
consent is active); opening a sent referral marks it received and is audited, like the inbox page.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import jsonify, request, url_for
from sqlalchemy import func, select

from app.api import bp, params
from app.api.auth import api_user, token_required
from app.api.jsonbody import BadInput, plausible, unprocessable, whole_number
from app.api.jsonbody import json_body as _body
from app.api.pagination import page_envelope
from app.api.referral_check import warnings_for
from app.clock import local_today
from app.common import utcnow
from app.domain_errors import DomainError
from app.errors import problem
from app.extensions import db
from app.permissions import can
from app.referrals import services
from app.referrals.client_reference import client_reference
from app.referrals.data import ReferralData
from app.referrals.fhir import to_fhir_task
from app.referrals.models import Client, Referral
from app.referrals.permissions import is_provider_staff_of, sides_of
from app.referrals.vocabulary import FHIR_STATUS, Priority, ReferralStatus
from app.referrals.workflow import (
    ACTION_FOR_TARGET,
    STEPS,
    MissingField,
    NoRoomLeft,
    Side,
)
from app.unit_of_work import on_domain_error

MAX_PER_PAGE = 200
STATUS_BY_NAME = {s.value: s for s in ReferralStatus} | {v: k for k, v in FHIR_STATUS.items()}
# Groups the inbox understands besides single statuses.
STATUS_GROUPS = ("open", "closed", "awaiting", "overdue")
# check_transition names the form fields; the API body has one `reason` member for both.
API_FIELD = {"reason_code": "reason", "reason_text": "reason"}


def not_found():  # noqa: ANN201
    return problem(404, "Not Found", "No referral with this id that you can see.")


# --- reading the JSON body ------------------------------------------------------------------------


def _text(body: dict, name: str, *, required: bool = False, max_length: int = 5000) -> str | None:
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise BadInput(name, f"{name} is required.")
        return None
    if not isinstance(value, str):
        raise BadInput(name, f"{name} must be a string.")
    if len(value) > max_length:
        raise BadInput(name, f"{name} must be at most {max_length} characters.")
    return value.strip()


def _given(body: dict, name: str, max_length: int = 40) -> str | None:
    """A member that may be left out (or null) but, when given, is not empty: a date, a moment
    or a choice from a list. `"priority": ""` is refused, not read as the default."""
    value = body.get(name)
    if isinstance(value, str) and not value.strip():
        raise BadInput(name, f"{name} must not be empty (leave it out instead).")
    return _text(body, name, max_length=max_length)


def _date(body: dict, name: str) -> date | None:
    value = _given(body, name)
    if value is None:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise BadInput(name, f"{name} must be a date like 2026-03-31.") from None
    return plausible(parsed, name)


def _datetime(body: dict, name: str) -> datetime | None:
    value = _given(body, name)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(name, f"{name} must be an ISO 8601 date-time with a UTC offset.") from None
    if parsed.tzinfo is None:
        raise BadInput(name, f"{name} needs a UTC offset, e.g. 2026-03-31T09:30:00-04:00.")
    plausible(parsed.date(), name)  # also keeps astimezone clear of year 1 and 9999
    return parsed.astimezone(UTC)


def _flag(body: dict, name: str) -> bool:
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise BadInput(name, f"{name} must be true or false.")
    return value


def _version(body: dict) -> int:
    if body.get("version") is None:
        raise BadInput("version", "version is required: the referral's version you last read.")
    return whole_number(body, "version")


def _status(value: str | None, field: str) -> ReferralStatus:
    status = STATUS_BY_NAME.get((value or "").strip().lower())
    if status is None:
        names = ", ".join(sorted(STATUS_BY_NAME))
        raise BadInput(field, f"{field} must be one of: {names}.")
    return status


# --- JSON out -------------------------------------------------------------------------------------


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _iso(v) if isinstance(v, date | datetime) else v for k, v in values.items()}


def _links(referral: Referral) -> dict[str, str]:
    return {
        "self": url_for("api.referral", referral_id=referral.id),
        "transitions": url_for("api.referral_transition", referral_id=referral.id),
        "fhir": url_for("api.referral_fhir", referral_id=referral.id),
    }


def referral_summary(referral: Referral, user: Any, now: datetime) -> dict[str, Any]:
    """What any side may see: the referral itself, no personal data (list items). `client_id`
    is an opaque per-referral reference for providers not told who the person is."""
    return {
        "id": referral.id,
        "version": referral.version,
        "status": referral.status.value,
        "fhir_status": referral.status.fhir,
        "priority": referral.priority.value,
        "client_id": client_reference(referral, user, local_today(now)),
        "service": {"id": referral.service_id, "name": referral.service.name},
        "organization": {"id": referral.organization_id, "name": referral.organization.name},
        "location_id": referral.location_id,
        "need_area_code": referral.need_area_code,
        "needed_by": _iso(referral.needed_by),
        "sent_at": _iso(referral.sent_at),
        "due_at": _iso(referral.due_at),
        "overdue": services.is_overdue(referral, now),
        "received_at": _iso(referral.received_at),
        "first_response_at": _iso(referral.first_response_at),
        "intake_at": _iso(referral.intake_at),
        "what_to_bring": referral.what_to_bring,
        "expected_date": _iso(referral.expected_date),
        "reason_code": referral.reason_code,
        "reason_text": referral.reason_text,
        "outcome": referral.outcome,
        "closed_at": _iso(referral.closed_at),
        "updated_at": _iso(referral.updated_at),
        "links": _links(referral),
    }


def referral_detail(referral: Referral, user: Any, now: datetime) -> dict[str, Any]:
    """The summary plus the client as this user's side may see it, and the shared timeline."""
    data = referral_summary(referral, user, now)
    sides = sides_of(user, referral)
    if Side.REFERRER in sides:
        client = referral.client
        data["client"] = {
            "id": client.id,
            "first_name": client.first_name,
            "last_name": client.last_name,
            "date_of_birth": _iso(client.date_of_birth),
            "projected_release_date": _iso(client.projected_release_date),
        }
        data["note_to_provider"] = referral.note_to_provider
        data["eligibility_override_reason"] = referral.eligibility_override_reason
    else:
        shared = _jsonable(services.provider_view_of_client(referral, local_today(now)))
        data["note_to_provider"] = shared.pop("note_to_provider", None)
        data["client"] = {"id": data["client_id"], **shared}
        data["client_details_withheld"] = not shared
    data["available_transitions"] = [
        STEPS[action].target.value for action in services.actions_for(referral, user)
    ]
    data["events"] = [
        {
            "at": _iso(event.at),
            "action": event.action,
            "from": event.from_status,
            "to": event.to_status,
            "reason_code": event.reason_code,
            "reason_text": event.reason_text,
            "note": event.note,
            "actor_id": event.actor_id,
        }
        for event in referral.events
    ]
    return data


# --- routes ---------------------------------------------------------------------------------------


def _load_visible(referral_id: str) -> Referral | None:
    if not params.usable_id(referral_id):
        return None
    referral = db.session.get(Referral, referral_id)
    if referral is None or not can(api_user(), "referral.view", referral):
        return None
    return referral


def _referral_problem(error: DomainError, referral: Referral, other: bool, **extra: Any) -> Any:
    """After the rollback: a 409 carries the referral as it is now; a 422 names the API member."""
    now = {"status": referral.status.value, "version": referral.version}
    if isinstance(error, NoRoomLeft):
        return problem(
            409,
            "No place left",
            f'{error.message} Resend with "over_capacity": true to accept anyway, or move '
            "the referral to waitlisted.",
            code="no_room_left",
            current=now,
        )
    if error.status == 409:
        return problem(409, "Conflict", error.message, current=now)
    if isinstance(error, MissingField) and other and error.field == "reason_text":
        return unprocessable("reason_text", error.message)
    if isinstance(error, MissingField):
        return unprocessable(
            API_FIELD.get(error.field or "", error.field or "body"), error.message, **extra
        )
    return None


@bp.post("/referrals")
@token_required("referral.create")
def referrals_create():  # noqa: ANN201
    user = api_user()
    body = _body()
    client_id = _text(body, "client_id", required=True, max_length=36)
    service_id = _text(body, "service_id", required=True, max_length=36)
    client = db.session.get(Client, client_id)
    # Unknown and not-yours read the same, so client ids do not leak.
    if client is None or not can(user, "referral.create", client):
        raise BadInput("client_id", "No person with this id on your care teams.")
    priority = _given(body, "priority", max_length=20) or Priority.ROUTINE.value
    if priority not in {p.value for p in Priority}:
        raise BadInput("priority", "priority must be routine or urgent.")
    data = ReferralData(
        service_id=service_id,
        location_id=_text(body, "location_id", max_length=36),
        priority=Priority(priority),
        needed_by=_date(body, "needed_by"),
        need_area_code=_text(body, "need_area_code", max_length=100),
        note_to_provider=_text(body, "note_to_provider"),
        eligibility_override_reason=_text(body, "eligibility_override_reason"),
        acknowledge_no_capacity=_flag(body, "acknowledge_no_capacity"),
    )
    referral = services.send_referral(client, data, user)
    body = referral_detail(referral, user, utcnow())
    # what the referral form shows the counselor, as it stands now the referral is sent
    body["warnings"] = warnings_for(client, referral.service, referral.location_id)
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = url_for("api.referral", referral_id=referral.id)
    return response


@bp.get("/referrals")
@token_required("referral.view")
def referrals_list():  # noqa: ANN201
    user = api_user()
    params.present(request.args, "status")
    raw_status = (params.text(request.args, "status", max_length=40) or "").lower()
    status: Any = raw_status if raw_status in STATUS_GROUPS else None
    if raw_status and status is None:
        status = _status(raw_status, "status")
    since = params.moment(request.args, "since")
    page = params.integer(request.args, "page", 1, 1, 1_000_000)
    per_page = params.integer(request.args, "per_page", 50, 1, MAX_PER_PAGE)
    query = services.inbox_query(user, status_filter=status)
    if since is not None:
        query = query.where(Referral.updated_at >= since)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    # inbox_query already loads service and organization for every row (no N+1).
    rows = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    now = utcnow()
    items = [referral_summary(r, user, now) for r in rows]
    return jsonify(page_envelope(items, total=total or 0, page=page, per_page=per_page))


@bp.get("/referrals/<referral_id>")
@token_required("referral.view")
def referral(referral_id: str):  # noqa: ANN201
    user = api_user()
    found = _load_visible(referral_id)
    if found is None:
        return not_found()
    if is_provider_staff_of(user, found):
        # The provider opening it: sent -> received, and the client view is audited. If a
        # colleague opened it at the same moment, theirs won: record only this view.
        services.open_referral_as_provider(found, user, via="api")
    else:
        services.record_referral_read(found, user, via="api")
    return jsonify(referral_detail(found, user, utcnow()))


@bp.post("/referrals/<referral_id>/transitions")
@token_required("referral.view")
def referral_transition(referral_id: str):  # noqa: ANN201
    """{to, version, reason, note, outcome, intake_at, what_to_bring, expected_date}.

    `to` is a status name or its FHIR code. `reason` becomes the reason code when the step has a
    code list and it is one of its codes, else the free-text reason; for the code "other" send the
    words in `reason_text` (explicit `reason_code` / `reason_text` members win over `reason`).
    """
    user = api_user()
    found = _load_visible(referral_id)
    if found is None:
        return not_found()
    body = _body()
    target = _status(_text(body, "to", required=True, max_length=40), "to")
    action = ACTION_FOR_TARGET.get(target)
    if action is None:
        raise BadInput("to", f"No step leads to {target.value}.")
    version = _version(body)
    reason = _text(body, "reason", max_length=2000)
    reason_code = _text(body, "reason_code", max_length=40)
    reason_text = _text(body, "reason_text", max_length=2000)
    codes = {c.value for c in STEPS[action].reason_codes or ()}
    if reason is not None:
        if reason in codes and reason_code is None:
            reason_code = reason
        elif reason_text is None:
            reason_text = reason
    kwargs = {
        "expected_version": version,
        "reason_code": reason_code,
        "reason_text": reason_text,
        "note": _text(body, "note"),
        "outcome": _text(body, "outcome"),
        "intake_at": _datetime(body, "intake_at"),
        "what_to_bring": _text(body, "what_to_bring"),
        "expected_date": _date(body, "expected_date"),
        "over_capacity": _flag(body, "over_capacity"),
    }
    other = reason_code == "other"  # then only the words for "other" can be missing
    allowed = None if other or not codes else sorted(codes)
    on_domain_error(lambda error: _referral_problem(error, found, other, allowed_reasons=allowed))
    services.transition(found, action, user, **kwargs)
    services.record_referral_read(found, user, via="api")  # the answer shows the person
    return jsonify(referral_detail(found, user, utcnow()))


@bp.get("/referrals/<referral_id>/fhir")
@token_required("referral.view")
def referral_fhir(referral_id: str):  # noqa: ANN201
    found = _load_visible(referral_id)
    if found is None:
        return not_found()
    user = api_user()
    services.record_referral_read(found, user, via="fhir")
    patient = client_reference(found, user, local_today())
    task = to_fhir_task(found, patient_id=patient)
    response = jsonify(task)
    response.mimetype = "application/fhir+json"
    return response


from app.api import referrals_openapi  # noqa: E402, F401  registers the OpenAPI paths
