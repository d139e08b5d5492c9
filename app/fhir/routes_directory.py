"""Search of the directory resources: GET /fhir/HealthcareService, /fhir/Organization and
/fhir/Location answer a searchset Bundle (parameters in app.fhir.directory_search), with the same
token and visibility as their reads (the directory is open to every token holder)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from flask import Response, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.api.auth import token_required
from app.directory.models import Location, Service, ServiceAtLocation
from app.extensions import db
from app.fhir import resources
from app.fhir.directory_search import Search, search
from app.fhir.routes import _fhir, bp


def strict_handling() -> bool:
    """`Prefer: handling=strict` (FHIR): an unknown parameter is an error, not ignored."""
    prefer = request.headers.get("Prefer", "")
    tokens = {t.strip().lower().replace(" ", "") for part in prefer.split(",")
              for t in part.split(";")}  # fmt: skip
    return "handling=strict" in tokens


def _link(relation: str, endpoint: str, found: Search, page: int) -> dict[str, str]:
    pairs = [*found.used]
    if "_count" in request.args:
        pairs.append(("_count", str(found.count)))
    if page > 1 or "page" in request.args:
        pairs.append(("page", str(page)))
    base = url_for(endpoint, _external=True)
    return {"relation": relation, "url": f"{base}?{urlencode(pairs)}" if pairs else base}


def _bundle(kind: str, endpoint: str, read: str, build: Callable[[Any], dict[str, Any]],
            options: list[Any]) -> Response:  # fmt: skip
    found = search(kind, request.args, strict_handling())
    total = db.session.scalar(
        select(func.count()).select_from(found.query.order_by(None).subquery())
    )
    offset = (found.page - 1) * found.count
    rows = db.session.scalars(found.query.options(*options).limit(found.count).offset(offset))
    entries = [
        {
            "fullUrl": url_for(read, _external=True, **{kind_arg(kind): row.id}),
            "resource": build(row),
            "search": {"mode": "match"},
        }
        for row in rows.all()
    ]
    links = [_link("self", endpoint, found, found.page)]
    if found.page > 1:
        links.append(_link("previous", endpoint, found, found.page - 1))
    if found.page * found.count < (total or 0):
        links.append(_link("next", endpoint, found, found.page + 1))
    return _fhir({"resourceType": "Bundle", "type": "searchset", "total": total or 0,
                  "link": links, "entry": entries})  # fmt: skip


def kind_arg(kind: str) -> str:
    return {"HealthcareService": "service_id", "Organization": "org_id",
            "Location": "location_id"}[kind]  # fmt: skip


@bp.get("/HealthcareService")
@token_required("referral.view")
def healthcare_service_search() -> Response:
    """HealthcareService?name=&service-category=&organization=&location=&active="""
    options = [
        selectinload(Service.organization),
        selectinload(Service.taxonomy_terms),
        selectinload(Service.service_at_locations).selectinload(ServiceAtLocation.location),
    ]
    return _bundle("HealthcareService", "fhir.healthcare_service_search",
                   "fhir.healthcare_service", resources.healthcare_service, options)  # fmt: skip


@bp.get("/Organization")
@token_required("referral.view")
def organization_search() -> Response:
    """Organization?name=&active= (provider organizations of the directory)."""
    return _bundle("Organization", "fhir.organization_search", "fhir.organization",
                   resources.organization, [])  # fmt: skip


@bp.get("/Location")
@token_required("referral.view")
def location_search() -> Response:
    """Location?address-city="""
    return _bundle("Location", "fhir.location_search", "fhir.location", resources.location,
                   [selectinload(Location.addresses)])  # fmt: skip
