"""Provider and admin editing of organizations, services, locations and weekly hours.

Each view: load or 404, authorize on the object, validate the form, call one service
function, commit once, redirect with a message. Bad input re-renders with 422 and saves nothing.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.directory import services
from app.directory.blueprint import bp
from app.directory.forms import HoursForm, LocationForm, OrganizationForm, ServiceForm
from app.directory.hours import DAY_NAMES, form_days
from app.directory.models import WEEKDAYS, Location, Organization, Service
from app.directory.routes.pages import load_or_404
from app.directory.taxonomy import need_areas
from app.extensions import db
from app.permissions import authorize, requires

FORM_ERROR = 422


def _invalid(template: str, **context: Any):  # noqa: ANN202
    """Re-render a form that failed; nothing of this request is kept."""
    db.session.rollback()
    return render_template(template, **context), FORM_ERROR


def _render(template: str, **context: Any):  # noqa: ANN202
    if request.method == "POST":
        return _invalid(template, **context)
    return render_template(template, **context)


# Organizations -----------------------------------------------------------------------------


@bp.route("/organizations/new", methods=["GET", "POST"])
@requires("organization.create")
def organization_new():  # noqa: ANN201
    form = OrganizationForm()
    if form.validate_on_submit():
        try:
            org = services.create_organization(form.to_data())
        except services.EditError as error:
            form.attach(error)
        else:
            db.session.commit()
            flash(f"Organization “{org.name}” added.", "success")
            return redirect(url_for("directory.organization", organization_id=org.id))
    return _render("directory/organization_form.html", form=form, org=None)


@bp.route("/organizations/<organization_id>/edit", methods=["GET", "POST"])
@requires("organization.edit")
def organization_edit(organization_id: str):  # noqa: ANN201
    org = load_or_404(Organization, organization_id)
    authorize("organization.edit", org)
    form = OrganizationForm(data=OrganizationForm.initial(org))
    if form.validate_on_submit():
        try:
            services.update_organization(org, form.to_data())
        except services.EditError as error:
            form.attach(error)
        else:
            db.session.commit()
            flash("Organization details saved.", "success")
            return redirect(url_for("directory.organization", organization_id=org.id))
    return _render("directory/organization_form.html", form=form, org=org)


# Services ----------------------------------------------------------------------------------


def _service_form(org: Organization, initial: dict[str, Any] | None = None) -> ServiceForm:
    form = ServiceForm(data=initial or {})
    return form.set_choices(need_areas(), list(org.locations))


@bp.route("/organizations/<organization_id>/services/new", methods=["GET", "POST"])
@requires("service.create")
def service_new(organization_id: str):  # noqa: ANN201
    org = load_or_404(Organization, organization_id)
    authorize("service.create", org)
    form = _service_form(org)
    if form.validate_on_submit():
        try:
            service = services.create_service(org, form.to_data(), current_user)
        except services.EditError as error:
            form.attach(error)
        else:
            db.session.commit()
            flash(f"Service “{service.name}” added. Add its opening hours next.", "success")
            return redirect(url_for("directory.service", service_id=service.id))
    return _render("directory/service_form.html", form=form, org=org, service=None)


@bp.route("/services/<service_id>/edit", methods=["GET", "POST"])
@requires("service.edit")
def service_edit(service_id: str):  # noqa: ANN201
    service = load_or_404(Service, service_id)
    authorize("service.edit", service)
    org = service.organization
    form = _service_form(org, ServiceForm.initial(service))
    if form.validate_on_submit():
        try:
            services.update_service(service, form.to_data(), current_user)
        except services.EditError as error:
            form.attach(error)
        else:
            db.session.commit()
            flash("Service details saved.", "success")
            return redirect(url_for("directory.service", service_id=service.id))
    return _render("directory/service_form.html", form=form, org=org, service=service)


@bp.route("/services/<service_id>/hours", methods=["GET", "POST"])
@requires("service.edit")
def service_hours(service_id: str):  # noqa: ANN201
    service = load_or_404(Service, service_id)
    authorize("service.edit", service)
    current, split_days = form_days(service.schedules)
    form = HoursForm(data=HoursForm.initial(current))
    if form.validate_on_submit():
        try:
            services.set_weekly_hours(service, form.days())
        except services.EditError as error:
            form.attach(error)
        else:
            db.session.commit()
            flash("Opening hours saved.", "success")
            return redirect(url_for("directory.service", service_id=service.id))
    days = [(code.lower(), DAY_NAMES[code]) for code in WEEKDAYS]
    return _render(
        "directory/hours_form.html", form=form, service=service, days=days, split_days=split_days
    )


# Locations ---------------------------------------------------------------------------------


@bp.route("/organizations/<organization_id>/locations/new", methods=["GET", "POST"])
@requires("location.edit")
def location_new(organization_id: str):  # noqa: ANN201
    org = load_or_404(Organization, organization_id)
    authorize("location.edit", org)
    form = LocationForm()
    if form.validate_on_submit():
        try:
            location = services.create_location(org, form.to_data())
        except services.EditError as error:
            form.attach(error)
        else:
            db.session.commit()
            flash(f"Location “{location.display_name}” added.", "success")
            return redirect(url_for("directory.organization", organization_id=org.id))
    return _render("directory/location_form.html", form=form, org=org, location=None)


@bp.route("/locations/<location_id>/edit", methods=["GET", "POST"])
@requires("location.edit")
def location_edit(location_id: str):  # noqa: ANN201
    location = load_or_404(Location, location_id)
    authorize("location.edit", location)
    org = location.organization
    form = LocationForm(data=LocationForm.initial(location))
    if form.validate_on_submit():
        try:
            services.update_location(location, form.to_data())
        except services.EditError as error:
            form.attach(error)
        else:
            db.session.commit()
            flash("Location saved.", "success")
            return redirect(url_for("directory.organization", organization_id=org.id))
    return _render("directory/location_form.html", form=form, org=org, location=location)
