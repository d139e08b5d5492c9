"""Record and read internal site visits (counselors and admins only)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.clock import local_today
from app.directory.blueprint import bp
from app.directory.models import Location, Service, ServiceAtLocation, SiteVisit
from app.directory.site_visit_forms import SiteVisitForm
from app.directory.site_visits import record_site_visit
from app.extensions import db
from app.permissions import authorize, requires


@bp.route("/services/<service_id>/visits/new", methods=["GET", "POST"])
@requires("site_visit.create")
def site_visit_new(service_id: str):  # noqa: ANN201
    service = db.session.get(
        Service,
        service_id,
        options=[
            selectinload(Service.service_at_locations)
            .selectinload(ServiceAtLocation.location)
            .selectinload(Location.addresses)
        ],
    )
    if service is None:
        abort(404)
    authorize("site_visit.create", service)
    form = SiteVisitForm()
    form.set_locations(service.locations)
    if request.method == "GET":
        form.visitor_name.data = current_user.name
        form.visited_on.data = local_today()
    elif form.validate_for(service):
        visit = record_site_visit(service, form.visit_data(), current_user)
        flash("Site visit recorded.", "success")
        return redirect(url_for("directory.site_visit", visit_id=visit.id))
    status = 422 if request.method == "POST" else 200
    return render_template("directory/site_visit_new.html", form=form, service=service), status


@bp.get("/visits/<visit_id>")
@requires("site_visit.view")
def site_visit(visit_id: str):  # noqa: ANN201
    visit = db.session.get(SiteVisit, visit_id)
    if visit is None:
        abort(404)
    authorize("site_visit.view", visit)
    return render_template("directory/site_visit.html", visit=visit)
