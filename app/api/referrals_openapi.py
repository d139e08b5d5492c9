"""OpenAPI paths and schemas of the referral API, registered into /api/openapi.json."""

from __future__ import annotations

from typing import Any

from app.api.jsonbody import INT32_MAX
from app.api.openapi import page_of, problem_response, register
from app.referrals.vocabulary import (
    FHIR_STATUS,
    DeclineReason,
    NotEnrolledReason,
    Priority,
    ReferralStatus,
)

STATUSES = [s.value for s in ReferralStatus]
FHIR_CODES = list(FHIR_STATUS.values())
STATUS_FILTERS = sorted({*STATUSES, *FHIR_CODES, "open", "closed", "awaiting", "overdue"})
TRANSITION_TARGETS = sorted({*STATUSES[1:], *FHIR_CODES[1:]})


def status_enum(values: list[str]) -> dict[str, Any]:
    """A string enum of our status names and FHIR codes. `entered_in_error` and the FHIR code
    `entered-in-error` (one status, two spellings) would get the same constant name in a
    generated client; x-enum-varnames names each FHIR-only code FHIR_... instead."""
    names = [v.upper() if v in STATUSES or v not in FHIR_CODES
             else "FHIR_" + v.upper().replace("-", "_") for v in values]  # fmt: skip
    return {"type": "string", "enum": values, "x-enum-varnames": names}


DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
TEXT = {"type": ["string", "null"]}
NULL_DATE = {"type": ["string", "null"], "format": "date"}
NULL_DATETIME = {"type": ["string", "null"], "format": "date-time"}
SECURITY = [{"bearerToken": []}]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


UNAUTHORIZED = problem_response(
    "No token, or the token is unknown, expired, revoked or deactivated."
)
FORBIDDEN = problem_response("Your role, or your side of this referral, cannot do this.")
NOT_FOUND = problem_response("No referral with this id that you can see.")
CONFLICT = problem_response(
    "The step cannot happen from the current status, or someone changed the referral first "
    "(stale version); `current` holds the status and version now."
)
UNPROCESSABLE = problem_response(
    "Bad input; `field` names the body member or query parameter at fault (an empty `status` "
    "or `since` included) and `errors` lists messages."
)
ID_PARAM = {"name": "referral_id", "in": "path", "required": True, "schema": {"type": "string"}}

SUMMARY = {
    "type": "object",
    "required": ["id", "version", "status", "fhir_status", "priority", "client_id", "service",
                 "organization", "sent_at", "overdue", "links"],
    "properties": {
        "id": {"type": "string"},
        "version": {"type": "integer", "description": "Send it back with a transition."},
        "status": {"type": "string", "enum": STATUSES},
        "fhir_status": {"type": "string", "enum": FHIR_CODES},
        "priority": {"type": "string", "enum": [p.value for p in Priority]},
        "client_id": {"type": "string", "description": (
            "The person's id for the care team and admins, and for provider staff while the "
            "referral's consent shares identity. Otherwise provider staff get an opaque "
            "reference made for this referral alone: the same on every read of it, different "
            "for every referral, so it cannot link one referral to another.")},
        "service": {"type": "object", "properties": {"id": {"type": "string"},
                                                     "name": {"type": "string"}}},
        "organization": {"type": "object", "properties": {"id": {"type": "string"},
                                                          "name": {"type": "string"}}},
        "location_id": TEXT, "need_area_code": TEXT, "needed_by": NULL_DATE,
        "sent_at": DATETIME, "due_at": NULL_DATETIME, "overdue": {"type": "boolean"},
        "received_at": NULL_DATETIME, "first_response_at": NULL_DATETIME,
        "intake_at": NULL_DATETIME, "what_to_bring": TEXT, "expected_date": NULL_DATE,
        "reason_code": TEXT, "reason_text": TEXT, "outcome": TEXT, "closed_at": NULL_DATETIME,
        "updated_at": DATETIME,
        "links": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}  # fmt: skip

DETAIL = {
    "allOf": [
        _ref("ReferralSummary"),
        {
            "type": "object",
            "properties": {
                "client": {
                    "type": "object",
                    "description": "The care team sees id, name, date of birth and release "
                    "date. Provider staff see only what the consent shares, and only while it "
                    "is active (`client_details_withheld` is then false); their `id` is "
                    "`client_id` as above (opaque unless identity is shared).",
                    "required": ["id"],
                    "additionalProperties": True,
                },
                "client_details_withheld": {"type": "boolean"},
                "note_to_provider": TEXT,
                "available_transitions": {"type": "array", "items": {"enum": STATUSES}},
                "events": {"type": "array", "items": {"type": "object", "properties": {
                    "at": DATETIME, "action": {"type": "string"}, "from": TEXT,
                    "to": {"type": "string"}, "reason_code": TEXT, "reason_text": TEXT,
                    "note": TEXT, "actor_id": TEXT}}},
            },
        },
    ]
}  # fmt: skip

WARNING_CODES = [
    "not_eligible",
    "unknown_eligibility",
    "needs_documents",
    "curfew",
    "outside_area",
    "no_fresh_capacity",
    "no_consent",
]
WARNING = {
    "type": "object",
    "required": ["code", "message", "details"],
    "properties": {
        "code": {"type": "string", "description": "What kind of warning: "
                 + ", ".join(WARNING_CODES) + " (the list may grow)."},
        "message": {"type": "string", "description": "In words, as the referral form says it."},
        "details": {"type": "array", "items": {"type": "string"},
                    "description": "The eligibility rules' reasons or questions, one each."},
    },
}  # fmt: skip
WARNINGS = {"type": "array", "items": _ref("ReferralWarning")}
SENT = {"allOf": [_ref("Referral"), {"type": "object", "required": ["warnings"],
                                      "properties": {"warnings": WARNINGS}}]}  # fmt: skip
DOCUMENTS = {
    "type": "object",
    "description": "The documents the person lacks for this service (`needs_documents`), each "
                   "with the open plan item that tracks getting it (add one with POST "
                   "/clients/{client_id}/plan/documents), and up to three services nearest "
                   "where the person is going that help get them.",
    "required": ["needs", "help"],
    "properties": {
        "needs": {"type": "array", "items": {"type": "object",
                  "required": ["code", "name", "plan_item_id"],
                  "properties": {"code": {"type": "string"}, "name": {"type": "string"},
                                 "plan_item_id": TEXT}}},
        "help": {"type": "array", "items": {"type": "object",
                 "required": ["service_id", "name", "organization"],
                 "properties": {"service_id": {"type": "string"}, "name": {"type": "string"},
                                "organization": {"type": "string"}}}},
    },
}  # fmt: skip
RESIDENCY = {
    "type": ["array", "null"],
    "description": "A housing service's residency verdict at each of its places, for a person "
                   "on the registry and a token that may see residency (null otherwise).",
    "items": {"type": "object", "required": ["location_id", "outcome", "barred", "message"],
              "properties": {"location_id": {"type": "string"}, "name": TEXT,
                             "outcome": {"type": "string",
                                         "enum": ["barred", "clear", "no_rule", "no_position"]},
                             "barred": {"type": "boolean"}, "message": {"type": "string"}}},
}  # fmt: skip
CHECK = {
    "type": "object",
    "required": ["client_id", "service_id", "location_id", "warnings", "documents",
                 "residency", "acceptance"],
    "properties": {"client_id": {"type": "string"}, "service_id": {"type": "string"},
                   "location_id": TEXT, "warnings": WARNINGS, "documents": DOCUMENTS,
                   "residency": RESIDENCY,
                   "acceptance": {"type": ["array", "null"],
                                  "description": "Who really accepts people like this one "
                                                 "here (counselors and administrators; null "
                                                 "for anyone else).",
                                  "items": {"$ref": "#/components/schemas/AcceptanceFigure"}}},
}  # fmt: skip

NEW_REFERRAL = {
    "type": "object",
    "required": ["client_id", "service_id"],
    "properties": {
        "client_id": {"type": "string"}, "service_id": {"type": "string"},
        "location_id": {"type": "string"},
        "priority": {"type": "string", "enum": [p.value for p in Priority], "default": "routine"},
        "needed_by": {**DATE, "description": "Default: the projected release date."},
        "need_area_code": {"type": "string"},
        "note_to_provider": {"type": "string"},
        "eligibility_override_reason": {"type": "string",
                                        "description": "Required when the client is not eligible."},
        "acknowledge_no_capacity": {"type": "boolean", "default": False,
                                    "description": "Required when the service has no fresh room."},
    },
}  # fmt: skip

REASONS = sorted({c.value for c in DeclineReason} | {c.value for c in NotEnrolledReason})
TRANSITION = {
    "type": "object",
    "required": ["to", "version"],
    "properties": {
        "to": {**status_enum(TRANSITION_TARGETS),
               "description": "Target status, by our name or its FHIR Task code."},
        "version": {"type": "integer", "minimum": 0, "maximum": INT32_MAX,
                    "description": "The version you last read (optimistic "
                    "lock): a stale one answers 409."},
        "reason": {"type": "string", "description": "Declined / not enrolled: a reason code ("
                   + ", ".join(REASONS) + "). Waitlisted, cancelled, entered in error: the "
                   "reason in words. Anything that is not a code of the step is taken as words."},
        "reason_code": {"type": "string"}, "reason_text": {"type": "string",
                                                           "description": "Words for 'other'."},
        "note": {"type": "string"},
        "outcome": {"type": "string", "description": "Required to complete."},
        "intake_at": {**DATETIME, "description": "Accept: intake date and time, with offset."},
        "what_to_bring": {"type": "string"},
        "expected_date": {**DATE, "description": "Waitlist: when a place is expected."},
        "over_capacity": {"type": "boolean", "default": False,
                          "description": "Accept: take the person although the service has no "
                                         "place left. Without it, accepting with none left "
                                         "answers 409 (no_room_left)."},
    },
}  # fmt: skip

FHIR_TASK = {
    "type": "object",
    "description": "HL7 FHIR R4 Task (application/fhir+json); references only, no "
    "demographics. `for` is `Patient/<client_id>` (readable at /fhir/Patient/<client_id>) "
    "when the reader may see the person; for provider staff without shared identity it is an "
    "identifier-only reference holding the opaque per-referral `client_id` of "
    "ReferralSummary. `requester` is the sending counselor's PractitionerRole.",
    "required": ["resourceType", "id", "status", "intent"],
    "properties": {
        "resourceType": {"const": "Task"},
        "id": {"type": "string"},
        "status": {"type": "string", "enum": FHIR_CODES},
        "intent": {"const": "order"},
        "priority": {"type": "string", "enum": [p.value for p in Priority]},
    },
    "additionalProperties": True,
}


@register
def referrals_fragment() -> dict[str, Any]:
    common = {"tags": ["Referrals"], "security": SECURITY}
    paths = {
        "/referrals": {
            "get": {**common, "operationId": "listReferrals",
                    "summary": "Referrals you may see (provider: your organizations'; "
                               "counselor: your care teams'); urgent and overdue first",
                    "parameters": [
                        {"name": "status", "in": "query",
                         "schema": status_enum(STATUS_FILTERS),
                         "description": "A status name or FHIR code, or a group: open, "
                                        "closed, awaiting (a reply), overdue."},
                        {"name": "since", "in": "query",
                         "schema": DATETIME,
                         "description": "Only referrals changed at or after this moment."},
                        {"name": "page", "in": "query", "allowEmptyValue": True,
                         "schema": {"type": "integer", "minimum": 1, "maximum": 1_000_000}},
                        {"name": "per_page", "in": "query", "allowEmptyValue": True,
                         "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
                    ],
                    "responses": {
                        "200": _json(page_of(_ref("ReferralSummary")), "A page of referrals"),
                        "401": UNAUTHORIZED, "403": FORBIDDEN, "422": UNPROCESSABLE}},
            "post": {**common, "operationId": "createReferral", "summary": "Send a referral",
                     "requestBody": {"required": True, "content": {
                         "application/json": {"schema": _ref("NewReferral")}}},
                     "responses": {"201": _json(_ref("SentReferral"),
                                                "The referral, as sent, with what the "
                                                "referral form would still warn about"),
                                   "401": UNAUTHORIZED, "403": FORBIDDEN,
                                   "422": UNPROCESSABLE}},
        },
        "/referrals/check": {
            "get": {**common, "operationId": "checkReferral",
                    "summary": "What the referral form would warn about before sending this "
                               "person to this service (sends nothing)",
                    "parameters": [
                        {"name": "client_id", "in": "query", "required": True,
                         "schema": {"type": "string", "minLength": 1}},
                        {"name": "service_id", "in": "query", "required": True,
                         "schema": {"type": "string", "minLength": 1}},
                        {"name": "location_id", "in": "query",
                         "schema": {"type": "string", "minLength": 1},
                         "description": "The location the person would go to: the "
                                        "supervision area is checked there."},
                    ],
                    "responses": {"200": _json(_ref("ReferralCheck"), "The warnings"),
                                  "401": UNAUTHORIZED, "403": FORBIDDEN,
                                  "404": problem_response(
                                      "No person with this id on your care teams, no service "
                                      "with this id taking referrals, or no such location at "
                                      "the service."),
                                  "422": UNPROCESSABLE}},
        },
        "/referrals/{referral_id}": {
            "parameters": [ID_PARAM],
            "get": {**common, "operationId": "getReferral",
                    "summary": "One referral with its timeline (provider staff opening a sent "
                               "referral marks it received)",
                    "responses": {"200": _json(_ref("Referral"), "The referral"),
                                  "401": UNAUTHORIZED, "403": FORBIDDEN, "404": NOT_FOUND}},
        },
        "/referrals/{referral_id}/transitions": {
            "parameters": [ID_PARAM],
            "post": {**common, "operationId": "transitionReferral",
                     "summary": "Move the referral to another status",
                     "requestBody": {"required": True, "content": {
                         "application/json": {"schema": _ref("ReferralTransition")}}},
                     "responses": {"200": _json(_ref("Referral"), "The referral after the step"),
                                   "401": UNAUTHORIZED, "403": FORBIDDEN, "404": NOT_FOUND,
                                   "409": CONFLICT, "422": UNPROCESSABLE}},
        },
        "/referrals/{referral_id}/fhir": {
            "parameters": [ID_PARAM],
            "get": {**common, "operationId": "getReferralFhirTask",
                    "summary": "The referral as an HL7 FHIR R4 Task",
                    "responses": {"200": {"description": "FHIR Task", "content": {
                        "application/fhir+json": {"schema": _ref("FhirTask")}}},
                        "401": UNAUTHORIZED, "403": FORBIDDEN, "404": NOT_FOUND}},
        },
    }  # fmt: skip
    return {
        "paths": paths,
        "components": {
            "schemas": {
                "ReferralSummary": SUMMARY,
                "Referral": DETAIL,
                "SentReferral": SENT,
                "ReferralWarning": WARNING,
                "ReferralCheck": CHECK,
                "NewReferral": NEW_REFERRAL,
                "ReferralTransition": TRANSITION,
                "FhirTask": FHIR_TASK,
            },
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token from 'API tokens' on your account "
                    "page, or `flask users token EMAIL`. A token expires (90 days unless chosen "
                    "otherwise when made) and is revoked when its owner's password changes.",
                }
            },
        },
        "tags": [{"name": "Referrals", "description": "Closed-loop referrals (token auth)"}],
    }
