"""Edit a service's eligibility rules; check a person against them (nothing is stored)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload

from app.directory.blueprint import bp
from app.directory.eligibility import match
from app.directory.eligibility_forms import CheckForm, EligibilityForm
from app.directory.eligibility_rules import set_eligibility
from app.directory.models import Service
from app.directory.vocabulary import Criterion
from app.extensions import db
from app.permissions import authorize, requires


def _service_or_404(service_id: str) -> Service:
    service = db.session.get(Service, service_id, options=[selectinload(Service.eligibility_rules)])
    if service is None:
        abort(404)
    return service


def _service_page(service: Service) -> str:
    if "directory.service" in current_app.view_functions:
        return url_for("directory.service", service_id=service.id)
    return url_for("directory.eligibility_edit", service_id=service.id)


@bp.route("/services/<service_id>/eligibility", methods=["GET", "POST"])
@requires("service.edit")
def eligibility_edit(service_id: str):  # noqa: ANN201
    service = _service_or_404(service_id)
    authorize("service.edit", service)
    form = EligibilityForm()
    if request.method == "GET":
        form.fill_from(service)
    elif form.validate_on_submit():
        set_eligibility(service, form.answers(), form.eligibility_description.data)
        flash("Eligibility rules saved.", "success")
        return redirect(_service_page(service))
    status = 422 if request.method == "POST" else 200
    return (
        render_template(
            "directory/eligibility_edit.html", form=form, service=service, criteria=list(Criterion)
        ),
        status,
    )


@bp.get("/services/<service_id>/eligibility/check")
@requires("service.view")
def eligibility_check(service_id: str):  # noqa: ANN201
    service = _service_or_404(service_id)
    authorize("service.view", service)
    form = CheckForm(formdata=request.args if request.args else None)
    verdict = None
    status = 200
    if "check" in request.args:
        if form.validate():
            verdict = match(form.profile(), service)
        else:
            status = 422
    return (
        render_template(
            "directory/eligibility_check.html", form=form, service=service, verdict=verdict
        ),
        status,
    )
