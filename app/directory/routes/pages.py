"""Browse the catalog, read a service or an organization, mark a service verified.

The editing views live in pages_edit.py (imported at the bottom so both register on the
blueprint).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.directory import queries
from app.directory.blueprint import bp
from app.directory.hours import NOT_LISTED, weekly_hours
from app.directory.models import OPEN_ELIGIBILITY_TAXONOMY, Organization, Service
from app.directory.services import verify_service
from app.directory.taxonomy import need_areas
from app.extensions import db
from app.permissions import authorize, requires
from app.referrals.acceptance_view import service_page_evidence
from app.residency.staff import for_service as residency_for_service
from app.search.staff import results_url


def load_or_404(model: type, id_: str):  # noqa: ANN201
    obj = db.session.get(model, id_)
    if obj is None:
        abort(404)
    return obj


@bp.get("/")
@requires("directory.browse")
def browse():  # noqa: ANN201
    filters = queries.BrowseFilters.from_args(request.args)
    result = queries.browse_services(filters)
    return render_template(
        "directory/browse.html",
        result=result,
        filters=filters,
        areas=need_areas(),
        counts=queries.need_area_counts(filters),
        towns=queries.towns(),
    )


@bp.get("/services/<service_id>")
@requires("service.view")
def service(service_id: str):  # noqa: ANN201
    service = load_or_404(Service, service_id)
    authorize("service.view", service)
    oe_terms = [t for t in service.taxonomy_terms if t.taxonomy == OPEN_ELIGIBILITY_TAXONOMY]
    return render_template(
        "directory/service.html",
        service=service,
        hours=weekly_hours(service.schedules),
        not_listed=NOT_LISTED,
        oe_terms=oe_terms,
        back=results_url(request.args.get("back")),
        acceptance=service_page_evidence(service),
        residency=residency_for_service(service, current_user),
    )


@bp.post("/services/<service_id>/verify")
@requires("service.verify")
def service_verify(service_id: str):  # noqa: ANN201
    service = load_or_404(Service, service_id)
    authorize("service.verify", service)
    verify_service(service, current_user._get_current_object())
    flash(f"Thank you. “{service.name}” is marked as checked and still accurate today.", "success")
    return redirect(url_for("directory.service", service_id=service.id))


@bp.get("/organizations/<organization_id>")
@requires("organization.view")
def organization(organization_id: str):  # noqa: ANN201
    org = load_or_404(Organization, organization_id)
    authorize("organization.view", org)
    return render_template("directory/organization.html", org=org)


from app.directory.routes import pages_edit  # noqa: E402,F401
