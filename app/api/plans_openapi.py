"""OpenAPI paths and schemas of the release plan API, registered into /api/openapi.json."""

from __future__ import annotations

from typing import Any

from app.api.jsonbody import INT32_MAX
from app.api.openapi import problem_response, register
from app.directory.vocabulary import Document
from app.plans.vocabulary import (
    MAX_NOTES,
    MAX_REASON,
    MAX_TITLE,
    ItemKind,
    ItemStatus,
    Juncture,
    PlanPhase,
)
from app.referrals.vocabulary import ReferralStatus

SECURITY = [{"bearerToken": []}]
TEXT = {"type": ["string", "null"]}
NULL_DATE = {"type": ["string", "null"], "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
NULL_DATETIME = {"type": ["string", "null"], "format": "date-time"}
STATUSES = [s.value for s in ItemStatus]
PERSON = {"type": ["object", "null"], "required": ["id", "name"],
          "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}  # fmt: skip


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(schema)}}}


UNAUTHORIZED = problem_response(
    "No token, or the token is unknown, expired, revoked or deactivated."
)
FORBIDDEN = problem_response(
    "Your role cannot do this (analysts read aggregates only; provider staff never change a "
    "plan: an item follows their referral)."
)
NOT_FOUND = problem_response(
    "No person with this id whose plan you can see (for provider staff: none of the plan's "
    "items is served by your organization's referrals), or the person has no plan yet."
)
ITEM_NOT_FOUND = problem_response("No plan item with this id that you can see.")
CONFLICT = problem_response(
    "Someone changed the item since you read it (stale `version`; `current` holds the version "
    "and status now), or the person already has a plan."
)
UNPROCESSABLE = problem_response("Bad input; `field` names the member and `errors` lists messages.")
CLIENT_PARAM = {
    "name": "client_id", "in": "path", "required": True,
    "schema": {"type": "string", "maxLength": 36},
    "description": "The person's `client_id` as the referral API gives it to you: the client "
                   "id for the care team and admins; for provider staff, the client id while "
                   "the referral's consent shares identity, else that referral's opaque "
                   "reference (which reaches only the items that referral serves).",
}  # fmt: skip
ITEM_PARAM = {"name": "item_id", "in": "path", "required": True,
              "schema": {"type": "string", "maxLength": 36}}  # fmt: skip

OWNER = {
    "type": ["string", "null"],
    "maxLength": 36,
    "description": "A care team member's user id, `person` or `provider`; null: nobody.",
}
DUE_ON = {**NULL_DATE, "description": "Within 5 years back and 10 ahead of today."}
NOTES = {"type": ["string", "null"], "maxLength": MAX_NOTES}

ITEM = {
    "type": "object",
    "description": "Provider staff get only id, kind, status, due_on, arranged_at and referral: "
    "what the item is and how it stands, never the staff's title, reason, notes or owner.",
    "required": ["id", "kind", "kind_label", "status", "status_label", "due_on", "arranged_at",
                 "referral"],
    "properties": {
        "id": {"type": "string"},
        "kind": {"type": "string", "enum": [k.value for k in ItemKind]},
        "kind_label": {"type": "string"},
        "status": {"type": "string", "enum": STATUSES},
        "status_label": {"type": "string"},
        "due_on": NULL_DATE,
        "arranged_at": {**NULL_DATETIME, "description": "When it last became arranged."},
        "referral": {"type": ["object", "null"], "required": ["id", "status"], "properties": {
            "id": {"type": "string"},
            "status": {"type": "string", "enum": [s.value for s in ReferralStatus]}}},
        "title": {"type": "string"},
        "reason": {**TEXT, "description": "Why it is not needed or could not be arranged."},
        "owner": TEXT,
        "owner_name": TEXT,
        "notes": TEXT,
        "version": {"type": "integer", "description": "Send it back with a change."},
        "updated_at": DATETIME,
        "links": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}  # fmt: skip

VERSION = {
    "type": "object",
    "required": ["number", "juncture", "juncture_label", "phase", "recorded_at", "changes"],
    "properties": {
        "number": {"type": "integer", "minimum": 1},
        "juncture": {"type": "string", "enum": [j.value for j in Juncture]},
        "juncture_label": {"type": "string"},
        "phase": {"type": "string", "enum": [p.value for p in PlanPhase]},
        "recorded_at": DATETIME,
        "recorded_by": PERSON,
        "note": TEXT,
        "changes": {"type": "array", "items": {"type": "string"}},
    },
}

PLAN = {
    "type": "object",
    "description": "`scope` whole: the care team's and admins' full plan. `scope` served_items "
    "(provider staff): only `client_id` (as you sent it) and the items your organization's "
    "referrals serve; nothing else about the person or the plan.",
    "required": ["client_id", "scope", "items"],
    "properties": {
        "client_id": {"type": "string"},
        "scope": {"type": "string", "enum": ["whole", "served_items"]},
        "id": {"type": "string"},
        "phase": {"type": "string", "enum": [p.value for p in PlanPhase]},
        "phase_label": {"type": "string"},
        "coordinator": PERSON,
        "projected_release_date": NULL_DATE,
        "released_on": NULL_DATE,
        "destination_town": TEXT,
        "started_at": DATETIME,
        "readiness": {"type": "object", "required": ["essential_arranged", "essential_counted"],
                      "description": "Essential items arranged, of those not marked not needed.",
                      "properties": {"essential_arranged": {"type": "integer", "minimum": 0},
                                     "essential_counted": {"type": "integer", "minimum": 0}}},
        "items": {"type": "array", "items": _ref("PlanItem")},
        "versions": {"type": "array", "items": _ref("PlanVersion")},
        "links": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}  # fmt: skip

CHANGE = {
    "type": "object",
    "required": ["version"],
    "description": "Members left out keep their current values; null clears a member.",
    "properties": {
        "version": {"type": "integer", "minimum": 0, "maximum": INT32_MAX,
                    "description": "The item's version you last read (optimistic lock)."},
        "status": {"type": "string", "enum": STATUSES},
        "reason": {"type": ["string", "null"], "maxLength": MAX_REASON,
                   "description": "Required for not_needed and could_not_arrange."},
        "owner": OWNER,
        "due_on": DUE_ON,
        "notes": NOTES,
    },
}  # fmt: skip

NEW_ITEM = {
    "type": "object",
    "required": ["title"],
    "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": MAX_TITLE,
                  "description": "What needs to be arranged."},
        "owner": OWNER,
        "due_on": DUE_ON,
        "notes": NOTES,
    },
}  # fmt: skip


DOCUMENT_ITEM = {
    "type": "object",
    "required": ["document"],
    "properties": {
        "document": {"type": "string", "enum": [d.value for d in Document],
                     "description": "The document to get (the codes of `needs` in eligibility "
                                    "verdicts and of the referral check's `documents`)."},
    },
}  # fmt: skip


@register
def plans_fragment() -> dict[str, Any]:
    common = {"tags": ["Release plans"], "security": SECURITY}
    paths = {
        "/clients/{client_id}/plan": {
            "parameters": [CLIENT_PARAM],
            "get": {**common, "operationId": "getReleasePlan",
                    "summary": "A person's release plan (provider staff: only the items your "
                               "referrals serve)",
                    "responses": {"200": _json(_ref("ReleasePlan"), "The plan"),
                                  "401": UNAUTHORIZED, "403": FORBIDDEN, "404": NOT_FOUND}},
            "post": {**common, "operationId": "startReleasePlan",
                     "summary": "Start the plan with the default checklist (no body needed)",
                     "responses": {"201": _json(_ref("ReleasePlan"), "The new plan"),
                                   "401": UNAUTHORIZED, "403": FORBIDDEN, "404": NOT_FOUND,
                                   "409": CONFLICT}},
        },
        "/clients/{client_id}/plan/items": {
            "parameters": [CLIENT_PARAM],
            "post": {**common, "operationId": "addReleasePlanItem",
                     "summary": "Add a free-text item at the end of the checklist",
                     "requestBody": _body("NewPlanItem"),
                     "responses": {"201": _json(_ref("PlanItem"), "The new item"),
                                   "401": UNAUTHORIZED, "403": FORBIDDEN, "404": NOT_FOUND,
                                   "422": UNPROCESSABLE}},
        },
        "/clients/{client_id}/plan/documents": {
            "parameters": [CLIENT_PARAM],
            "post": {**common, "operationId": "addReleasePlanDocumentItem",
                     "summary": "The item for getting a document the person lacks: the open "
                                "one already on the plan (200), else a new one (201)",
                     "requestBody": _body("PlanDocumentItem"),
                     "responses": {"200": _json(_ref("PlanItem"), "The item already there"),
                                   "201": _json(_ref("PlanItem"), "The new item"),
                                   "401": UNAUTHORIZED, "403": FORBIDDEN, "404": NOT_FOUND,
                                   "422": UNPROCESSABLE}},
        },
        "/plan-items/{item_id}": {
            "parameters": [ITEM_PARAM],
            "patch": {**common, "operationId": "updateReleasePlanItem",
                      "summary": "Change an item's status, reason, owner, due date or notes "
                                 "(care team and admins)",
                      "requestBody": _body("PlanItemChange"),
                      "responses": {"200": _json(_ref("PlanItem"), "The item after the change"),
                                    "401": UNAUTHORIZED, "403": FORBIDDEN, "404": ITEM_NOT_FOUND,
                                    "409": CONFLICT, "422": UNPROCESSABLE}},
        },
    }  # fmt: skip
    schemas = {
        "ReleasePlan": PLAN,
        "PlanItem": ITEM,
        "PlanVersion": VERSION,
        "PlanItemChange": CHANGE,
        "NewPlanItem": NEW_ITEM,
        "PlanDocumentItem": DOCUMENT_ITEM,
    }
    tags = [{"name": "Release plans", "description": "A person's release plan (token auth)"}]
    return {"paths": paths, "components": {"schemas": schemas}, "tags": tags}
