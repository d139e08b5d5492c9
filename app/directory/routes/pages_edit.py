"""Provider and admin editing of organizations, services, locations and weekly hours.

Each view: load or 404, authorize on the object, validate the form, call one service
function, redirect with a message (the request commits). Bad input re-renders with 422 and
saves nothing.
"""

from __future__ import annotations

from collections.abc import Callable
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
from app.directory.translations import translation
from app.domain_errors import DomainError
from app.permissions import authorize, requires
from app.unit_of_work import on_domain_error

FORM_ERROR = 422


def _save(
    form: Any,
    page: Callable[[], str],
    apply: Callable[[], Any],
    message: str | Callable[[Any], str],
    to: Callable[[Any], str],
) -> Any:
    """The shared shape of every edit: on a valid POST call one service function (`apply`),
    flash the message and redirect to `to(result)`; otherwise show `page` (422 after a POST).
    An EditError from `apply` is shown at its field after the request's rollback."""
    if not form.validate_on_submit():
        return (page(), FORM_ERROR) if request.method == "POST" else page()

    def failed(error: DomainError) -> Any:
        if error.status in {403, 404}:
            return None
        form.attach(error)
        return page(), FORM_ERROR

    on_domain_error(failed)
    result = apply()
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
    return _save(
        form,
        lambda: render_template("directory/organization_form.html", form=form, org=None),
        lambda: services.create_organization(form.to_data()),
        lambda org: f"Organization “{org.name}” added.",
        _to_organization,
    )


@bp.route("/organizations/<organization_id>/edit", methods=["GET", "POST"])
@requires("organization.edit")
def organization_edit(organization_id: str):  # noqa: ANN201
    org = load_or_404(Organization, organization_id)
    authorize("organization.edit", org)
    form = OrganizationForm(data=OrganizationForm.initial(org))
    return _save(
        form,
        lambda: render_template("directory/organization_form.html", form=form, org=org),
        lambda: services.update_organization(org, form.to_data()),
        "Organization details saved.",
        lambda _: _to_organization(org),
    )


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
    return _save(
        form,
        lambda: render_template("directory/service_form.html", form=form, org=org, service=None),
        lambda: services.create_service(org, form.to_data(), current_user),
        lambda service: f"Service “{service.name}” added. Add its opening hours next.",
        _to_service,
    )


@bp.route("/services/<service_id>/edit", methods=["GET", "POST"])
@requires("service.edit")
def service_edit(service_id: str):  # noqa: ANN201
    service = load_or_404(Service, service_id)
    authorize("service.edit", service)
    org = service.organization
    initial = ServiceForm.initial(service) | ServiceForm.spanish_initial(translation(service))
    form = _service_form(org, initial)
    return _save(
        form,
        lambda: render_template("directory/service_form.html", form=form, org=org, service=service),
        lambda: services.update_service(service, form.to_data(), current_user),
        "Service details saved.",
        lambda _: _to_service(service),
    )


@bp.route("/services/<service_id>/hours", methods=["GET", "POST"])
@requires("service.edit")
def service_hours(service_id: str):  # noqa: ANN201
    service = load_or_404(Service, service_id)
    authorize("service.edit", service)
    current, split = form_days(service.schedules)
    form = HoursForm(data=HoursForm.initial(current))
    days = [(code.lower(), DAY_NAMES[code]) for code in WEEKDAYS]
    return _save(
        form,
        lambda: render_template(
            "directory/hours_form.html",
            form=form,
            service=service,
            days=days,
            split_days=split,
        ),
        lambda: services.set_weekly_hours(service, form.days()),
        "Opening hours saved.",
        lambda _: _to_service(service),
    )


# Locations ---------------------------------------------------------------------------------


@bp.route("/organizations/<organization_id>/locations/new", methods=["GET", "POST"])
@requires("location.edit")
def location_new(organization_id: str):  # noqa: ANN201
    org = load_or_404(Organization, organization_id)
    authorize("location.edit", org)
    form = LocationForm()
    return _save(
        form,
        lambda: render_template("directory/location_form.html", form=form, org=org, location=None),
        lambda: services.create_location(org, form.to_data()),
        lambda location: f"Location “{location.display_name}” added.",
        lambda _: _to_organization(org),
    )


@bp.route("/locations/<location_id>/edit", methods=["GET", "POST"])
@requires("location.edit")
def location_edit(location_id: str):  # noqa: ANN201
    location = load_or_404(Location, location_id)
    authorize("location.edit", location)
    org = location.organization
    form = LocationForm(data=LocationForm.initial(location))
    return _save(
        form,
        lambda: render_template(
            "directory/location_form.html", form=form, org=org, location=location
        ),
        lambda: services.update_location(location, form.to_data()),
        "Location saved.",
        lambda _: _to_organization(org),
    )
