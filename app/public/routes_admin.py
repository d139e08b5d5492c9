"""The admins' queue of public problem reports: list, resolve, dismiss."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.extensions import db
from app.permissions import authorize, requires
from app.public.models import ProblemReport
from app.public.problems import (
    DISMISSED,
    KIND_LABELS,
    OPEN,
    RESOLVED,
    STATUSES,
    ProblemError,
    close_report,
    queue,
)
from app.public.routes import bp


@bp.get("/admin/problem-reports")
@requires("user.manage")
def problem_queue():  # noqa: ANN201
    status = request.args.get("status", OPEN)
    if status not in (*STATUSES, "all"):
        status = OPEN
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
    if outcome not in (RESOLVED, DISMISSED):
        flash("Choose Resolved or Dismissed.", "error")
        return redirect(url_for("public.problem_queue")), 303
    try:
        close_report(report, outcome, current_user._get_current_object(), request.form.get("note"))
    except ProblemError as error:
        flash(str(error), "error")
        return redirect(url_for("public.problem_queue")), 303
    db.session.commit()
    flash(f"Report marked {outcome}.", "success")
    return redirect(url_for("public.problem_queue"))
