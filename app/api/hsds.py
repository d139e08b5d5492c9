"""HSDS 3.1 read API: services, organizations, service_at_locations, taxonomies, taxonomy terms.

Public open data (`@requires(PUBLIC)`): only what the HSDS serializers put out, never site
visits, users, clients or referrals. Lists use the HSDS Page envelope; `format=ndjson` streams
every result unpaginated. Each list also answers POST with its parameters in a JSON body (HSDS
3.1; app/api/list_query.py). Bad parameters answer 400 with a problem body naming the parameter.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flask import (
    Response,
    current_app,
    jsonify,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)

from app.api import bp, openapi
from app.api.list_query import list_parameters, query_in_body
from app.api.pagination import page_envelope
from app.api.params import boolean, integer, metres, moment, output_format, text
from app.api.params import uuid as uuid_param
from app.common import utcnow
from app.directory.models import Organization, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from app.errors import problem
from app.interop import catalog_query as q
from app.interop import hsds_json as hj
from app.interop.csv_export import export_zip
from app.interop.ids import is_uuid
from app.permissions import PUBLIC, requires
from app.unit_of_work import on_domain_error

HSDS_VERSION = openapi.HSDS_VERSION
MAX_PAGE = 1_000_000
Serialise = Callable[[Any, float | None], dict]


def _bad(parameter: str, message: str) -> Response:
    return problem(400, "Bad Request", message, parameter=parameter)


def _parameter_errors_are_400() -> None:
    """HSDS readers expect 400 naming the parameter (the write API answers bad input with 422)."""
    on_domain_error(lambda error: _bad(error.field or "", error.message))


def _not_found(kind: str) -> Response:
    return problem(404, "Not Found", f"No {kind} with this id.")


def _filters(args: Mapping[str, str], *names: str) -> q.Filters:
    """Parse the named filter parameters (others are ignored, as HSDS allows)."""
    f = q.Filters(search=text(args, "search"))
    for name in ("taxonomy_term_id", "taxonomy_id", "organization_id", "parent_id"):
        if name in names:
            setattr(f, name, uuid_param(args, name))
    if "modified_after" in names:
        f.modified_after = moment(args, "modified_after")
    if "postcode" in names:
        f.postcode = text(args, "postcode", max_length=10)
        f.proximity_m = metres(args, "proximity", q.MAX_PROXIMITY_M)
    if "top_only" in names:
        f.top_only = boolean(args, "top_only")
    return f


def _respond(
    args: Mapping[str, str], build_plan: Callable[[], Any], serialise: Serialise
) -> Response:
    """Page or stream a listing; every parameter error becomes a 400 naming the parameter."""
    _parameter_errors_are_400()
    fmt = output_format(args)
    page = integer(args, "page", 1, 1, MAX_PAGE)
    per_page = integer(args, "per_page", 50, 1, current_app.config["API_MAX_PER_PAGE"])
    plan = build_plan()
    if fmt == "ndjson":
        rows = q.run_stream(plan)

        def lines():  # noqa: ANN202
            for obj, distance in rows:
                yield json.dumps(serialise(obj, distance), ensure_ascii=False) + "\n"

        return Response(stream_with_context(lines()), mimetype="application/x-ndjson")
    listing = q.run_page(plan, page, per_page)
    contents = [serialise(obj, listing.distances.get(obj.id)) for obj in listing.items]
    return jsonify(page_envelope(contents, total=listing.total, page=page, per_page=per_page))


def _one(model: type, kind: str, id_: str, options: list[Any], serialise: Callable) -> Response:
    if not is_uuid(id_):
        return _not_found(kind)
    obj = q.get_by_published_id(model, id_.lower(), options)
    if obj is None:
        return _not_found(kind)
    return jsonify(serialise(obj))


# --- about --------------------------------------------------------------------------------------


@bp.get("/")
@requires(PUBLIC)
def api_root() -> Response:
    return jsonify(
        version=HSDS_VERSION,
        profile=url_for("api.hsds_profile", _external=True),
        openapi_url=url_for("api.openapi_document", _external=True),
    )


def profile_fields() -> list[dict[str, str]]:
    """The profile's x_partners_ fields as rows (object, field, meaning) for the readable page."""
    rows = []
    for key, meaning in openapi.PROFILE["extensions"].items():
        if "." in key:
            obj, field = key.split(".", 1)
            rows.append({"object": obj, "field": field, "meaning": meaning})
    return rows


@bp.get("/profile")
@requires(PUBLIC)
def hsds_profile() -> Response:
    """JSON for API clients (the default), a readable page for a browser that prefers HTML."""
    accept = request.accept_mimetypes  # "*/*" or no Accept at all: JSON
    if accept["text/html"] > accept["application/json"]:
        page = render_template("api/profile.html", profile=openapi.PROFILE, fields=profile_fields())
        response = Response(page, mimetype="text/html")
    else:
        response = jsonify(openapi.PROFILE)
    response.vary.add("Accept")
    return response


# --- services -----------------------------------------------------------------------------------


@bp.route("/services", methods=["GET", "POST"])
@requires(PUBLIC)
@query_in_body
def services() -> Response:
    now = utcnow()
    _parameter_errors_are_400()
    args = list_parameters()
    minimal, full = boolean(args, "minimal"), boolean(args, "full")
    filters = _filters(args, "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after")
    if minimal:
        options, serialise = q.minimal_service_options(), hj.service_minimal_json
    elif full:
        options = q.service_options(full=True)
        serialise = lambda s: hj.service_full_json(s, now=now)  # noqa: E731
    else:
        options = q.service_options()
        serialise = lambda s: hj.service_list_json(s, now=now)  # noqa: E731
    return _respond(args, lambda: q.services_plan(filters, options), lambda s, _d: serialise(s))


@bp.get("/services/<id>")
@requires(PUBLIC)
def service(id: str) -> Response:  # noqa: A002 - the HSDS path parameter
    return _one(Service, "service", id, q.service_options(full=True), hj.service_full_json)


# --- organizations ------------------------------------------------------------------------------


@bp.route("/organizations", methods=["GET", "POST"])
@requires(PUBLIC)
@query_in_body
def organizations() -> Response:
    _parameter_errors_are_400()
    args = list_parameters()
    full = boolean(args, "full")
    full_service = boolean(args, "full_service")
    filters = _filters(args, "taxonomy_term_id", "taxonomy_id")
    full = full or full_service
    options = q.organization_options(full=full, full_service=full_service)

    def serialise(org: Organization, _distance: float | None) -> dict:
        if full:
            return hj.organization_full_json(org, full_service=full_service)
        return hj.organization_list_json(org)

    return _respond(args, lambda: q.organizations_plan(filters, options), serialise)


@bp.get("/organizations/<id>")
@requires(PUBLIC)
def organization(id: str) -> Response:  # noqa: A002 - the HSDS path parameter
    _parameter_errors_are_400()
    full_service = boolean(request.args, "full_service")
    options = q.organization_options(full=True, full_service=full_service)
    return _one(
        Organization,
        "organization",
        id,
        options,
        lambda org: hj.organization_full_json(org, full_service=full_service),
    )


# --- service at locations -----------------------------------------------------------------------


@bp.route("/service_at_locations", methods=["GET", "POST"])
@requires(PUBLIC)
@query_in_body
def service_at_locations() -> Response:
    now = utcnow()
    _parameter_errors_are_400()
    args = list_parameters()
    full = boolean(args, "full")
    filters = _filters(
        args,
        "taxonomy_term_id",
        "taxonomy_id",
        "organization_id",
        "modified_after",
        "postcode",
    )
    options = q.sal_options(full=full)

    def serialise(sal: ServiceAtLocation, distance: float | None) -> dict:
        return hj.service_at_location_json(sal, full=full, distance_m=distance, now=now)

    return _respond(args, lambda: q.service_at_locations_plan(filters, options), serialise)


@bp.get("/service_at_locations/<id>")
@requires(PUBLIC)
def service_at_location(id: str) -> Response:  # noqa: A002 - the HSDS path parameter
    return _one(
        ServiceAtLocation,
        "service_at_location",
        id,
        q.sal_options(full=True),
        lambda sal: hj.service_at_location_json(sal, full=True),
    )


# --- taxonomies ---------------------------------------------------------------------------------


@bp.route("/taxonomies", methods=["GET", "POST"])
@requires(PUBLIC)
@query_in_body
def taxonomies() -> Response:
    _parameter_errors_are_400()
    args = list_parameters()
    filters = _filters(args)
    return _respond(args, lambda: q.taxonomies_plan(filters), lambda t, _d: hj.taxonomy_json(t))


@bp.get("/taxonomies/<id>")
@requires(PUBLIC)
def taxonomy(id: str) -> Response:  # noqa: A002 - the HSDS path parameter
    return _one(Taxonomy, "taxonomy", id, [], hj.taxonomy_json)


@bp.route("/taxonomy_terms", methods=["GET", "POST"])
@requires(PUBLIC)
@query_in_body
def taxonomy_terms() -> Response:
    _parameter_errors_are_400()
    args = list_parameters()
    filters = _filters(args, "taxonomy_id", "parent_id", "top_only")
    plan = lambda: q.taxonomy_terms_plan(filters)  # noqa: E731
    return _respond(args, plan, lambda t, _d: hj.taxonomy_term_json(t))


@bp.get("/taxonomy_terms/<id>")
@requires(PUBLIC)
def taxonomy_term(id: str) -> Response:  # noqa: A002 - the HSDS path parameter
    return _one(TaxonomyTerm, "taxonomy_term", id, q.term_options(), hj.taxonomy_term_json)


# --- admin download (not part of the public document) -------------------------------------------


@bp.get("/admin/hsds-export.zip")
@requires("user.manage")
def hsds_export_download() -> Response:
    """The whole datapackage as a zip, for administrators (same as `flask hsds export`)."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as workdir:
        export_zip(buffer, Path(workdir))
    buffer.seek(0)
    name = f"partners-hsds-{utcnow():%Y-%m-%d}.zip"
    return send_file(buffer, mimetype="application/zip", as_attachment=True, download_name=name)
