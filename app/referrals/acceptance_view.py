"""Who really accepts, for the two staff pages that show it: a page of search results for a
person, and a service page opened for a person (?client=<id>). Both check `client.view` on the
person and `acceptance.view` (counselors, administrators) before reading anything."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, request
from flask_login import current_user

from app.extensions import db
from app.permissions import can
from app.referrals.acceptance import (
    Evidence,
    acceptance_evidence,
    person_flags,
    search_boosts,
)
from app.referrals.models import Client


def rank_by_acceptance(search_request: Any, client: Client) -> None:
    """Before the search: who really accepts people like this one joins its ranking (every
    page, not just the one shown). The caller has checked `acceptance.view`."""
    search_request.acceptance = search_boosts(person_flags(client))


def page_evidence(results: Any, client: Client) -> dict[str, list[Evidence]]:
    """The figures for the services on this page (one query)."""
    return acceptance_evidence([r.service_id for r in results.results], person_flags(client))


@dataclass(frozen=True)
class ServiceEvidence:
    client: Client
    flags: list[str]
    evidence: list[Evidence]


def service_page_evidence(service: Any) -> ServiceEvidence | None:
    """For ?client=<id> on a service page: None without it or for anyone who may not see it."""
    client_id = (request.args.get("client") or "").strip()
    if not client_id or not can(current_user, "acceptance.view"):
        return None
    client = db.session.get(Client, client_id)
    if client is None:
        abort(404)
    if not can(current_user, "client.view", client):
        abort(403)
    flags = person_flags(client)
    found = acceptance_evidence([service.id], flags).get(service.id, [])
    return ServiceEvidence(client, flags, found)
