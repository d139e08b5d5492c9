"""Release plan API (token auth): read a person's plan, change an item, add an item, start a plan.

The person is named by the same `client_id` the referral API hands out (app.referrals.
client_reference): the client id for the care team and admins, and for provider staff while the
referral's consent shares identity, else that referral's opaque reference. The care team and
admins read the whole plan; provider staff read only the items their organization's referrals
serve (app.plans.reading) and change nothing: an item follows its referral. Anything the token's
user may not see answers 404, exactly like an id that does not exist, so ids do not leak.
Bad input is a 422 problem naming the member; a stale `version` a 409 with the item as it is now.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask import jsonify, url_for

from app.api import bp
from app.api.auth import api_user, token_required
from app.api.jsonbody import BadInput, choice, json_body, string, whole_number
from app.api.params import usable_id
from app.clock import local_today
from app.conditions import documents
from app.directory.vocabulary import Document
from app.domain_errors import DomainError, FieldErrors
from app.errors import problem
from app.extensions import db
from app.permissions import can
from app.plans import services
from app.plans.models import PlanItem, ReleasePlan
from app.plans.reading import PlanReading, reading_for, record_plan_read
from app.plans.vocabulary import MAX_NOTES, MAX_REASON, MAX_TITLE, ItemStatus
from app.referrals.models import Client
from app.unit_of_work import on_domain_error

STATUSES = tuple(s.value for s in ItemStatus)
DOCUMENTS = tuple(d.value for d in Document)
MAX_OWNER = 36  # a user id, or "person" / "provider"
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)  # RFC 3339 full-date, nothing looser


def not_found(detail: str = "No person with this id whose release plan you can see."):  # noqa: ANN201
    return problem(404, "Not Found", detail)


NO_PLAN = "This person has no release plan yet; start one with POST to this address."


# --- JSON out ---------------------------------------------------------------------------------


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _person(user: Any) -> dict[str, str] | None:
    return {"id": user.id, "name": user.name} if user is not None else None


def item_json(item: PlanItem, owners: dict[str, str] | None) -> dict[str, Any]:
    """An item; `owners` None is a provider's view: what the item is, its state, its due date
    and their referral, but no title (free text for "other" items), reason, notes, owner or
    version (staff's words and staff ids; a provider cannot change an item anyway)."""
    data: dict[str, Any] = {
        "id": item.id,
        "kind": item.kind.value,
        "kind_label": item.kind.label,
        "status": item.status.value,
        "status_label": item.status.label,
        "due_on": _iso(item.due_on),
        "arranged_at": _iso(item.arranged_at),
        "referral": (
            {"id": item.referral.id, "status": item.referral.status.value}
            if item.referral is not None
            else None
        ),
    }
    if owners is not None:
        data.update(
            title=item.title,
            reason=item.reason,
            owner=item.owner,
            owner_name=owners.get(item.owner) if item.owner else None,
            notes=item.notes,
            version=item.version,
            updated_at=_iso(item.updated_at),
            links={"self": url_for("api.plan_item_update", item_id=item.id)},
        )
    return data


def _owners(plan: ReleasePlan) -> dict[str, str]:
    return dict(services.owner_choices(plan))


def plan_json(reading: PlanReading, key: str) -> dict[str, Any]:
    """The whole plan for the care team; for a provider only the key they used and their items."""
    plan = reading.plan
    assert plan is not None
    if not reading.whole:
        items = [item_json(item, None) for item in reading.items]
        return {"client_id": key, "scope": "served_items", "items": items}
    client = reading.client
    owners = _owners(plan)
    arranged, counted = services.readiness(plan)
    return {
        "client_id": client.id,
        "scope": "whole",
        "id": plan.id,
        "phase": plan.phase.value,
        "phase_label": plan.phase.label,
        "coordinator": _person(plan.coordinator),
        "projected_release_date": _iso(client.projected_release_date),
        "released_on": _iso(client.released_on),
        "destination_town": client.destination_town,
        "started_at": _iso(plan.started_at),
        "readiness": {"essential_arranged": arranged, "essential_counted": counted},
        "items": [item_json(item, owners) for item in plan.items],
        "versions": [
            {
                "number": v.number,
                "juncture": v.juncture.value,
                "juncture_label": v.juncture.label,
                "phase": v.phase.value,
                "recorded_at": _iso(v.recorded_at),
                "recorded_by": _person(v.recorded_by),
                "note": v.note,
                "changes": list(v.changes or []),
            }
            for v in plan.versions
        ],
        "links": {
            "self": url_for("api.client_plan", client_id=client.id),
            "items": url_for("api.plan_item_add", client_id=client.id),
        },
    }


# --- JSON in ----------------------------------------------------------------------------------


def _day(body: dict[str, Any], name: str) -> date | None:
    """A calendar day (YYYY-MM-DD) or null; how plausible it is, the plan's rules say."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not DAY.fullmatch(value):
        raise BadInput(name, f"{name} must be a date like 2026-03-31, or null.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadInput(name, f"{name} must be a date like 2026-03-31, or null.") from None


def _item_fields(body: dict[str, Any]) -> dict[str, Any]:
    """The owner, due date and notes members that were sent (PATCH: absent = unchanged)."""
    fields: dict[str, Any] = {}
    if "owner" in body:
        fields["owner"] = string(body, "owner", max_length=MAX_OWNER)
    if "due_on" in body:
        fields["due_on"] = _day(body, "due_on")
    if "notes" in body:
        fields["notes"] = string(body, "notes", max_length=MAX_NOTES)
    return fields


def _changes(body: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if "status" in body:
        if body["status"] is None:
            raise BadInput("status", f"status must be one of: {', '.join(sorted(STATUSES))}.")
        changes["status"] = choice(body, "status", STATUSES)
    if "reason" in body:
        changes["reason"] = string(body, "reason", max_length=MAX_REASON)
    return changes | _item_fields(body)


def _version(body: dict[str, Any]) -> int:
    if body.get("version") is None:
        raise BadInput("version", "version is required: the item's version you last read.")
    return whole_number(body, "version")


def _field_problem(error: DomainError) -> Any:
    """Several fields wrong at once: `field` names the first, `errors` lists them all."""
    if not isinstance(error, FieldErrors):
        return None
    errors = {str(k): [v] for k, v in error.problems.items()}
    return problem(
        422, "Unprocessable Content", error.message, field=next(iter(errors)), errors=errors
    )


# --- routes -----------------------------------------------------------------------------------


def _team_client(client_id: str) -> Client | None:
    """The person, when the token's user may see (and so work on) their plan."""
    if not usable_id(client_id):
        return None
    client = db.session.get(Client, client_id)
    if client is None or not can(api_user(), "plan.view", client):
        return None
    return client


@bp.get("/clients/<client_id>/plan")
@token_required("plan.item.view")
def client_plan(client_id: str):  # noqa: ANN201
    user = api_user()
    reading = reading_for(user, client_id, local_today())
    if reading is None:
        return not_found()
    if reading.plan is None:
        return not_found(NO_PLAN)
    record_plan_read(reading, user, via="api")
    return jsonify(plan_json(reading, client_id))


@bp.post("/clients/<client_id>/plan")
@token_required("plan.edit")
def client_plan_start(client_id: str):  # noqa: ANN201
    """Start the plan with the default checklist (no body needed); 409 when one exists."""
    client = _team_client(client_id)
    if client is None:
        return not_found()
    plan = services.start_plan(client, api_user())
    reading = PlanReading(client, plan, list(plan.items), whole=True)
    response = jsonify(plan_json(reading, client.id))
    response.status_code = 201
    response.headers["Location"] = url_for("api.client_plan", client_id=client.id)
    return response


@bp.post("/clients/<client_id>/plan/items")
@token_required("plan.edit")
def plan_item_add(client_id: str):  # noqa: ANN201
    """{title, owner, due_on, notes}: a free-text item at the end of the checklist."""
    client = _team_client(client_id)
    if client is None:
        return not_found()
    plan = services.plan_for(client)
    if plan is None:
        return not_found(NO_PLAN)
    body = json_body()
    title = string(body, "title", max_length=MAX_TITLE)
    on_domain_error(_field_problem)
    item = services.add_item(plan, api_user(), title, **_item_fields(body))
    response = jsonify(item_json(item, _owners(plan)))
    response.status_code = 201
    return response


@bp.post("/clients/<client_id>/plan/documents")
@token_required("plan.edit")
def plan_document_item(client_id: str):  # noqa: ANN201
    """{document}: the item for getting a document the person lacks (the "Add to plan" of the
    referral form): the open one already on the plan (200), else a new one of its kind (201)."""
    client = _team_client(client_id)
    if client is None:
        return not_found()
    if services.plan_for(client) is None:
        return not_found(NO_PLAN)
    code = choice(json_body(), "document", DOCUMENTS)
    if code is None:
        raise BadInput("document", f"document is required: one of {', '.join(DOCUMENTS)}.")
    item, added = documents.add_document_item(client, Document(code), api_user())
    response = jsonify(item_json(item, _owners(item.plan)))
    response.status_code = 201 if added else 200
    return response


@bp.patch("/plan-items/<item_id>")
@token_required("plan.edit")
def plan_item_update(item_id: str):  # noqa: ANN201
    """{version, status, reason, owner, due_on, notes}: members left out stay as they are."""
    item = db.session.get(PlanItem, item_id) if usable_id(item_id) else None
    if item is None or not can(api_user(), "plan.view", item):
        return problem(404, "Not Found", "No plan item with this id that you can see.")
    body = json_body()
    version = _version(body)
    changes = _changes(body)

    def refused(error: DomainError) -> Any:
        if isinstance(error, services.StalePlanItem):  # after the rollback: the item now
            now = {"version": item.version, "status": item.status.value}
            return problem(409, "Conflict", error.message, current=now)
        return _field_problem(error)

    on_domain_error(refused)
    services.change_item(item, api_user(), expected_version=version, **changes)
    return jsonify(item_json(item, _owners(item.plan)))


from app.api import plans_openapi  # noqa: E402, F401  registers the OpenAPI paths
