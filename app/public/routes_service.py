"""The public service page and "Report a problem with this listing"."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.directory.models import Service
from app.extensions import db, limiter
from app.permissions import PUBLIC, requires
from app.public.forms import ProblemReportForm
from app.public.listing import service_view
from app.public.problems import report_problem
from app.public.routes import bp, public_not_found


def _report_limit() -> str:
    return current_app.config.get("PROBLEM_REPORT_RATE_LIMIT", "5 per hour; 20 per day")


def _service_or_none(service_id: str) -> Service | None:
    return db.session.get(Service, service_id)


@bp.get("/services/<service_id>")
@requires(PUBLIC)
def service(service_id: str):  # noqa: ANN201
    found = _service_or_none(service_id)
    if found is None:
        return public_not_found()
    return render_template("public/service.html", view=service_view(found))


@bp.route("/services/<service_id>/report", methods=["GET", "POST"])
@requires(PUBLIC)
@limiter.limit(_report_limit, methods=["POST"])
def report(service_id: str):  # noqa: ANN201
    found = _service_or_none(service_id)
    if found is None:
        return public_not_found()
    form = ProblemReportForm()
    if form.validate_on_submit():
        # A filled honeypot is a bot: thank it the same way and keep nothing.
        if not (form.website.data or "").strip():
            report_problem(found, form.kind.data, form.description.data)
        flash(_("Thank you. We will check this listing."), "success")
        return redirect(url_for("public.service", service_id=found.id))
    status = 422 if form.is_submitted() else 200
    return render_template("public/report.html", form=form, view=service_view(found)), status
