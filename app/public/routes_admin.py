"""The admins' queue of public problem reports: list, assign to the provider, resolve, dismiss."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.extensions import db
from app.permissions import authorize, requires
from app.public.models import ProblemReport
from app.public.problems import (
    ASSIGNED,
    DISMISSED,
    KIND_LABELS,
    RESOLVED,
    STATUSES,
    assign_report,
    close_report,
    queue,
)
from app.public.routes import bp
from app.unit_of_work import on_domain_error


@bp.get("/admin/problem-reports")
@requires("user.manage")
def problem_queue():  # noqa: ANN201
    status = request.args.get("status", "active")
    if status not in (*STATUSES, "active", "all"):
        status = "active"
    return render_template(
        "public/admin_problems.html",
        reports=queue(status),
        status=status,
        kind_labels=KIND_LABELS,
    )


@bp.post("/admin/problem-reports/<report_id>/close")
@requires("user.manage")
def problem_close(report_id: str):  # noqa: ANN201
    report = db.session.get(ProblemReport, report_id)
    if report is None:
        abort(404)
    authorize("user.manage", report)
    outcome = request.form.get("outcome")
    if outcome not in (ASSIGNED, RESOLVED, DISMISSED):
        return _refused("Choose Assign, Resolved or Dismissed.")
    actor = current_user._get_current_object()
    on_domain_error(lambda error: _refused(error.message))
    if outcome == ASSIGNED:
        assign_report(report, actor, request.form.get("note"))
    else:
        close_report(report, outcome, actor, request.form.get("note"))
    flash(f"Report marked {outcome}.", "success")
    return redirect(url_for("public.problem_queue"))


def _refused(message: str):  # noqa: ANN202
    """Back to the queue with the reason; nothing of this request was saved."""
    flash(message, "error")
    return redirect(url_for("public.problem_queue")), 303
