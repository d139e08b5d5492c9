"""Provider and admin editing of organizations, services, locations and weekly hours.

Each view: load or 404, authorize on the object, validate the form, call one service
function, commit once, redirect with a message. Bad input re-renders with 422 and saves nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

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


def _save(
    form: Any,
    apply: Callable[[], Any],
    message: str | Callable[[Any], str],
    to: Callable[[Any], str],
) -> Response | None:
    """The shared shape of every edit: on a valid POST call one service function (`apply`),
    commit once, flash the message and redirect to `to(result)`. None means: show the form
    (first visit, or a field error attached from the service function's EditError)."""
    if not form.validate_on_submit():
        return None
    try:
        result = apply()
    except services.EditError as error:
        form.attach(error)
        return None
    db.session.commit()
    flash(message(result) if callable(message) else message, "success")
    return redirect(to(result))


def _to_organization(org: Organization) -> str:
    return url_for("directory.organization", organization_id=org.id)


def _to_service(service: Service) -> str:
    return url_for("directory.service", service_id=service.id)


# Organizations -----------------------------------------------------------------------------


@bp.route("/organizations/new", methods=["GET", "POST"])
@requires("organization.create")
def organization_new():  # noqa: ANN201
    form = OrganizationForm()
    saved = _save(
        form,
        lambda: services.create_organization(form.to_data()),
        lambda org: f"Organization “{org.name}” added.",
        _to_organization,
    )
    return saved or _render("directory/organization_form.html", form=form, org=None)


@bp.route("/organizations/<organization_id>/edit", methods=["GET", "POST"])
@requires("organization.edit")
def organization_edit(organization_id: str):  # noqa: ANN201
    org = load_or_404(Organization, organization_id)
    authorize("organization.edit", org)
    form = OrganizationForm(data=OrganizationForm.initial(org))
    saved = _save(
        form,
        lambda: services.update_organization(org, form.to_data()),
        "Organization details saved.",
        lambda _: _to_organization(org),
    )
    return saved or _render("directory/organization_form.html", form=form, org=org)


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
    saved = _save(
        form,
        lambda: services.create_service(org, form.to_data(), current_user),
        lambda service: f"Service “{service.name}” added. Add its opening hours next.",
        _to_service,
    )
    return saved or _render("directory/service_form.html", form=form, org=org, service=None)


@bp.route("/services/<service_id>/edit", methods=["GET", "POST"])
@requires("service.edit")
def service_edit(service_id: str):  # noqa: ANN201
    service = load_or_404(Service, service_id)
    authorize("service.edit", service)
    org = service.organization
    form = _service_form(org, ServiceForm.initial(service))
    saved = _save(
        form,
        lambda: services.update_service(service, form.to_data(), current_user),
        "Service details saved.",
        lambda _: _to_service(service),
    )
    return saved or _render("directory/service_form.html", form=form, org=org, service=service)


@bp.route("/services/<service_id>/hours", methods=["GET", "POST"])
@requires("service.edit")
def service_hours(service_id: str):  # noqa: ANN201
    service = load_or_404(Service, service_id)
    authorize("service.edit", service)
    current, split_days = form_days(service.schedules)
    form = HoursForm(data=HoursForm.initial(current))
    saved = _save(
        form,
        lambda: services.set_weekly_hours(service, form.days()),
        "Opening hours saved.",
        lambda _: _to_service(service),
    )
    if saved:
        return saved
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
    saved = _save(
        form,
        lambda: services.create_location(org, form.to_data()),
        lambda location: f"Location “{location.display_name}” added.",
        lambda _: _to_organization(org),
    )
    return saved or _render("directory/location_form.html", form=form, org=org, location=None)


@bp.route("/locations/<location_id>/edit", methods=["GET", "POST"])
@requires("location.edit")
def location_edit(location_id: str):  # noqa: ANN201
    location = load_or_404(Location, location_id)
    authorize("location.edit", location)
    org = location.organization
    form = LocationForm(data=LocationForm.initial(location))
    saved = _save(
        form,
        lambda: services.update_location(location, form.to_data()),
        "Location saved.",
        lambda _: _to_organization(org),
    )
    return saved or _render("directory/location_form.html", form=form, org=org, location=location)
