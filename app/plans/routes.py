"""Release plan pages: the plan of one person, starting it, updating and adding items.

Views stay thin: parse, load or 404, authorize or 403, call one service, redirect or render.
The request commits (app.unit_of_work); refusals come back as DomainErrors.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.clock import local_today
from app.domain_errors import DomainError
from app.extensions import db
from app.permissions import authorize, requires
from app.plans import printing, services
from app.plans.forms import AddItemForm, ItemForm, ReleaseForm, StartPlanForm, item_form
from app.plans.history import lifecycle_context
from app.plans.models import PlanItem, ReleasePlan
from app.plans.places import can_find_place
from app.plans.vocabulary import OWNER_LABELS
from app.referrals.models import CareTeamMember, Client
from app.unit_of_work import form_renderer, on_domain_error

bp = Blueprint("plans", __name__)


def _load_client(client_id: str, action: str) -> Client:
    client = db.session.get(
        Client, client_id, options=[selectinload(Client.team).selectinload(CareTeamMember.user)]
    )
    if client is None:
        abort(404)
    authorize(action, client)
    return client


def _load(model: type, object_id: str, action: str) -> Any:
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    authorize(action, obj)
    return obj


def _plan_url(client_id: str) -> str:
    return url_for("plans.plan", client_id=client_id)


def _render_plan(
    client: Client,
    *,
    posted: ItemForm | None = None,
    posted_item_id: str | None = None,
    add_form: AddItemForm | None = None,
    release_form: ReleaseForm | None = None,
    error: str | None = None,
    lifecycle: dict[str, Any] | None = None,
) -> str:
    plan = services.plan_for(client)
    today = local_today()
    context: dict[str, Any] = {
        "client": client,
        "plan": plan,
        "today": today,
        "days_left": services.days_to_release(client, today),
        "error": error,
        "start_form": StartPlanForm(formdata=None),
        "release_form": release_form,
    }
    if plan is not None:
        owners = services.owner_choices(plan)
        forms = {
            item.id: posted if item.id == posted_item_id and posted else item_form(item, owners)
            for item in plan.items
        }
        if add_form is None:
            add_form = AddItemForm(formdata=None)
        add_form.set_owners(owners)
        context.update(
            groups=services.grouped_by_status(plan),
            readiness=services.readiness(plan),
            forms=forms,
            add_form=add_form,
            owner_names=dict(owners) | OWNER_LABELS,
            is_overdue=services.is_overdue,
            can_find_place=can_find_place,
        )
        context.update(lifecycle_context(plan, **(lifecycle or {})))
    return render_template("plans/plan.html", **context)


@bp.get("/referrals/clients/<client_id>/plan")
@requires("plan.view")
def plan(client_id: str):  # noqa: ANN201
    client = _load_client(client_id, "plan.view")
    return _render_plan(client)


@bp.post("/referrals/clients/<client_id>/plan/start")
@requires("plan.edit")
def plan_start(client_id: str):  # noqa: ANN201
    client = _load_client(client_id, "plan.edit")
    if not StartPlanForm().validate():
        return _render_plan(client, error="This page was out of date. Please try again."), 400

    def refused(error: DomainError) -> Any:
        if error.status in {403, 404}:
            return None
        return _render_plan(client, error=error.message), error.status

    on_domain_error(refused)
    services.start_plan(client, current_user)
    flash("Release plan started with the usual checklist.", "success")
    return redirect(_plan_url(client.id), code=303)


@bp.post("/plans/items/<item_id>")
@requires("plan.edit")
def item_update(item_id: str):  # noqa: ANN201
    item: PlanItem = _load(PlanItem, item_id, "plan.edit")
    client = item.plan.client
    form = item_form(item, services.owner_choices(item.plan), formdata=request.form)

    def page() -> str:
        return _render_plan(client, posted=form, posted_item_id=item.id)

    if not form.validate():
        return page(), 422

    def refused(error: DomainError) -> Any:
        if isinstance(error, services.StalePlanItem):  # show the item as it is now
            return _render_plan(client, error=error.message), error.status
        return form_renderer(form, page)(error)

    on_domain_error(refused)
    services.update_item(
        item, current_user, **form.change(), expected_version=form.expected_version()
    )
    flash("Item saved.", "success")
    return redirect(f"{_plan_url(client.id)}#item-{item.id}", code=303)


@bp.post("/plans/<plan_id>/items")
@requires("plan.edit")
def item_add(plan_id: str):  # noqa: ANN201
    plan: ReleasePlan = _load(ReleasePlan, plan_id, "plan.edit")
    form = AddItemForm()
    form.set_owners(services.owner_choices(plan))

    def page() -> str:
        return _render_plan(plan.client, add_form=form)

    if not form.validate():
        return page(), 422
    on_domain_error(form_renderer(form, page))
    item = services.add_item(plan, current_user, form.title.data, **form.fields())
    flash("Item added.", "success")
    return redirect(f"{_plan_url(plan.client_id)}#item-{item.id}", code=303)


def _plan_or_404(client: Client) -> ReleasePlan:
    plan = services.plan_for(client)
    if plan is None:
        abort(404)
    return plan


@bp.get("/referrals/clients/<client_id>/plan/print/person")
@requires("plan.view")
def print_person(client_id: str):  # noqa: ANN201
    """One page for the person, in their preferred language."""
    copy = printing.person_copy(_plan_or_404(_load_client(client_id, "plan.view")))
    with force_locale(copy.language):
        return render_template("plans/print_person.html", copy=copy)


@bp.get("/referrals/clients/<client_id>/plan/print/staff")
@requires("plan.view")
def print_staff(client_id: str):  # noqa: ANN201
    """The whole checklist on paper, for counselors without internet inside the facility."""
    copy = printing.staff_copy(_plan_or_404(_load_client(client_id, "plan.view")))
    return render_template("plans/print_staff.html", copy=copy)


# More views on this blueprint, registered by importing them: released today, my caseload,
# the plan's life (reviews, phase hand-off), referring from an item.
from app.plans import (  # noqa: E402, F401
    routes_caseload,
    routes_lifecycle,
    routes_refer,
    routes_release,
)
