"""Plan page actions over the plan's life: record a review (a juncture) and move the plan to
the next phase, handing the coordinator role. Thin views: parse, load, authorize, one service."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request
from flask_login import current_user

from app.domain_errors import DomainError
from app.permissions import requires
from app.plans.forms_lifecycle import phase_form, review_form
from app.plans.handoff import StalePlan, advance_phase
from app.plans.junctures import record_juncture
from app.plans.models import ReleasePlan
from app.plans.routes import _load, _plan_url, _render_plan, bp
from app.unit_of_work import form_renderer, on_domain_error


@bp.post("/plans/<plan_id>/reviews")
@requires("plan.edit")
def plan_review(plan_id: str):  # noqa: ANN201
    plan: ReleasePlan = _load(ReleasePlan, plan_id, "plan.edit")
    form = review_form(plan, formdata=request.form)

    def page() -> str:
        return _render_plan(plan.client, lifecycle={"review": form})

    if not form.validate():
        return page(), 422
    on_domain_error(form_renderer(form, page))
    version = record_juncture(plan, form.juncture.data, current_user, form.note_text())
    flash(f"Review {version.number} recorded.", "success")
    return redirect(f"{_plan_url(plan.client_id)}#history", code=303)


@bp.post("/plans/<plan_id>/phase")
@requires("plan.edit")
def plan_phase(plan_id: str):  # noqa: ANN201
    plan: ReleasePlan = _load(ReleasePlan, plan_id, "plan.edit")
    form = phase_form(plan, formdata=request.form)

    def page() -> str:
        return _render_plan(plan.client, lifecycle={"phase": form})

    if not form.validate():
        return page(), 422

    def refused(error: DomainError) -> Any:
        if isinstance(error, StalePlan):  # show the plan as it is now, with a fresh form
            return _render_plan(plan.client, error=error.message), error.status
        return form_renderer(form, page)(error)

    on_domain_error(refused)
    version = advance_phase(
        plan, current_user, **form.change(), expected_version=form.expected_version()
    )
    flash(f"The plan moved to “{plan.phase.label}”. Review {version.number} recorded.", "success")
    return redirect(f"{_plan_url(plan.client_id)}#history", code=303)
