"""My caseload: the counselor's landing page (registered on the plans blueprint)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from app.permissions import requires
from app.plans import caseload as service
from app.plans.forms_caseload import CaseloadFilterForm
from app.plans.routes import bp


@bp.get("/caseload")
@requires("caseload.view")
def caseload():  # noqa: ANN201
    form = CaseloadFilterForm(formdata=request.args)
    form.set_facilities(service.facility_options(current_user))
    valid = form.validate()
    result = service.my_caseload(current_user, **form.filters())
    page = render_template(
        "plans/caseload.html", caseload=result, form=form, soon_days=service.SOON_DAYS
    )
    return page, 200 if valid else 422
