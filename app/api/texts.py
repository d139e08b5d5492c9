"""A person's consent to texts and the texts sent to them, for their care team (token auth),
read-only: what the person's page shows under "Text messages".

Only the care team and administrators (client.view on the person) get them; anyone else gets
404 exactly as for an unknown id. The number is given by its last four digits and a text by its
kind and delivery status, never its words (a text carries the card link). Recording or ending
consent stays on the person's page, where the person's agreement is asked for. Each read is
recorded like a page view.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from sqlalchemy import select

from app.api import bp
from app.api.auth import PERSON_NOT_FOUND, api_user, token_required, visible_client
from app.api.openapi import problem_response, register
from app.errors import problem
from app.extensions import db
from app.referrals.models import Client
from app.referrals.reads import record_client_read
from app.sms.models import KIND_LABELS, SmsMessage, TextConsent
from app.sms.outbox import messages_for

SHOWN = 20  # as on the person's page


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def latest_consent(client: Client) -> TextConsent | None:
    """The person's latest consent to texts, ended or not (the page shows only a live or
    stopped one; the API also says when staff revoked it)."""
    return db.session.scalar(
        select(TextConsent)
        .where(TextConsent.client_id == client.id)
        .order_by(TextConsent.given_at.desc(), TextConsent.id)
        .limit(1)
    )


def consent_json(consent: TextConsent | None) -> dict[str, Any] | None:
    if consent is None:
        return None
    ended, ended_at = None, None
    if consent.revoked_at is not None:
        ended, ended_at = "revoked", consent.revoked_at
    elif consent.stopped_at is not None:
        ended, ended_at = "stopped", consent.stopped_at
    return {
        "active": consent.is_active,
        "phone_last4": consent.phone[-4:],
        "given_at": _iso(consent.given_at),
        "ended": ended,
        "ended_at": _iso(ended_at),
    }


def message_json(message: SmsMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "kind": message.kind,
        "kind_label": message.kind_label,
        "language": message.language,
        "status": message.status,
        "status_label": message.status_label,
        "queued_at": _iso(message.created_at),
        "sent_at": _iso(message.sent_at),
        "status_at": _iso(message.status_at),
        "error_code": message.error_code,
    }


@bp.get("/clients/<client_id>/texts")
@token_required("client.view")
def client_texts(client_id: str):  # noqa: ANN201
    user = api_user()
    client = visible_client(user, client_id)
    if client is None:
        return problem(404, "Not Found", PERSON_NOT_FOUND)
    record_client_read(client, user, via="api")
    return jsonify(
        {
            "client_id": client.id,
            "consent": consent_json(latest_consent(client)),
            "messages": [message_json(m) for m in messages_for(client, limit=SHOWN)],
        }
    )


STAMP = {"type": ["string", "null"], "format": "date-time"}
TEXTS = {
    "type": "object",
    "required": ["client_id", "consent", "messages"],
    "properties": {
        "client_id": {"type": "string"},
        "consent": {
            "type": ["object", "null"],
            "description": "The latest consent to texts; null when none was ever recorded",
            "required": ["active", "phone_last4", "given_at", "ended", "ended_at"],
            "properties": {
                "active": {"type": "boolean"},
                "phone_last4": {"type": "string", "pattern": "^[0-9]{4}$"},
                "given_at": {"type": "string", "format": "date-time"},
                "ended": {"type": ["string", "null"], "enum": ["revoked", "stopped", None],
                          "description": "revoked by staff, or stopped by the person (STOP)"},
                "ended_at": STAMP,
            },
        },
        "messages": {
            "type": "array", "maxItems": SHOWN,
            "description": "The newest texts first; never their words",
            "items": {
                "type": "object",
                "required": ["id", "kind", "status", "queued_at"],
                "properties": {
                    "id": {"type": "string"},
                    "kind": {"type": "string", "enum": sorted(KIND_LABELS)},
                    "kind_label": {"type": "string"},
                    "language": {"type": "string"},
                    "status": {"type": "string",
                               "description": "pending, cancelled, or the provider's word "
                                              "(queued, sent, delivered, undelivered, failed "
                                              "…); status_label says it in plain words"},
                    "status_label": {"type": "string"},
                    "queued_at": {"type": "string", "format": "date-time"},
                    "sent_at": STAMP, "status_at": STAMP,
                    "error_code": {"type": ["string", "null"]},
                },
            },
        },
    },
}  # fmt: skip


@register
def texts_fragment() -> dict[str, Any]:
    path = {
        "parameters": [{"name": "client_id", "in": "path", "required": True,
                        "schema": {"type": "string", "maxLength": 36}}],
        "get": {
            "tags": ["Clients"], "security": [{"bearerToken": []}],
            "operationId": "getTextMessages",
            "summary": "A person's consent to texts and the texts sent (care team and "
                       "administrators only)",
            "responses": {
                "200": {"description": "The consent and the newest texts",
                        "content": {"application/json": {"schema": {
                            "$ref": "#/components/schemas/TextMessages"}}}},
                "401": problem_response("No token, or the token is not valid."),
                "403": problem_response("Your role cannot see people's records."),
                "404": problem_response(PERSON_NOT_FOUND),
            },
        },
    }  # fmt: skip
    return {
        "paths": {"/clients/{client_id}/texts": path},
        "components": {"schemas": {"TextMessages": TEXTS}},
    }
