"""Capacity views: the one-screen update page, its three one-click actions, add, history.

Each POST loads the figure (404), checks the user may change it (403), calls one rule from
app.directory.capacity and commits once. Whenever a rule raises, the view rolls back (the rules
never do) and re-renders the page: 422 for bad input, 409 when someone else saved first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from app.accounts.models import Role
from app.directory import capacity as rules
from app.directory.blueprint import bp
from app.directory.capacity_forms import (
    CapacityRowForm,
    NewCapacityForm,
    VersionForm,
    row_form_for,
    version_form_for,
)
from app.directory.models import CapacityHistory, Organization, Service, ServiceCapacity, Unit
from app.domain_errors import DomainError
from app.extensions import db
from app.permissions import authorize, requires
from app.unit_of_work import form_renderer, on_domain_error


def _actor():  # noqa: ANN202
    return current_user._get_current_object()


def _is_admin() -> bool:
    return current_user.role == Role.ADMIN


def _organizations_with_capacity(organization_ids: list[str]) -> list[Organization]:
    """Organizations with their services, figures, units and who updated them: four queries."""
    return list(
        db.session.scalars(
            select(Organization)
            .where(Organization.id.in_(organization_ids))
            .order_by(Organization.name)
            .options(
                selectinload(Organization.services)
                .selectinload(Service.capacities)
                .options(
                    selectinload(ServiceCapacity.unit), selectinload(ServiceCapacity.updated_by)
                )
            )
        )
    )


def _render_overview(
    organization_id: str | None = None,
    rows: dict[str, dict[str, Any]] | None = None,
    status: int = 200,
):  # noqa: ANN202
    """The page; after a POST, `rows` gives one row its entered form or its conflict message."""
    rows = rows or {}
    chooser: list[Organization] = []
    selected: Organization | None = None
    if _is_admin():
        chooser = list(db.session.scalars(select(Organization).order_by(Organization.name)))
        if organization_id:
            selected = db.session.get(Organization, organization_id)
            if selected is None:
                abort(404)
        organization_ids = [selected.id] if selected else []
    else:
        own = sorted(current_user.organizations, key=lambda o: o.name)
        if organization_id:
            selected = next((o for o in own if o.id == organization_id), None)
            if selected is None:
                abort(404)
        organization_ids = [selected.id] if selected else [o.id for o in own]
    organizations = _organizations_with_capacity(organization_ids) if organization_ids else []

    def row_form(capacity: ServiceCapacity) -> CapacityRowForm:
        return rows.get(capacity.id, {}).get("form") or row_form_for(capacity)

    def row_message(capacity: ServiceCapacity) -> str | None:
        return rows.get(capacity.id, {}).get("message")

    body = render_template(
        "directory/capacity_overview.html",
        organizations=organizations,
        chooser=chooser,
        selected=selected,
        is_admin=_is_admin(),
        row_form=row_form,
        row_message=row_message,
        version_form=version_form_for,
    )
    return body, status


@bp.get("/capacity")
@requires("capacity.update")
def capacity_overview():  # noqa: ANN201
    return _render_overview(request.args.get("organization") or None)


def _load(capacity_id: str) -> ServiceCapacity:
    capacity = db.session.get(ServiceCapacity, capacity_id)
    if capacity is None:
        abort(404)
    authorize("capacity.update", capacity)
    return capacity


# Pages a one-click action may return to (a fixed list, never a URL from the form).
RETURN_TO = {"inbox": ("referrals.inbox", "capacity-due")}


def _back_to_page(capacity: ServiceCapacity, message: str):  # noqa: ANN202
    flash(message, "success")
    back = RETURN_TO.get(request.form.get("return_to", ""))
    if back is not None:
        return redirect(url_for(back[0], _anchor=back[1]), code=303)
    organization = capacity.service.organization_id if _is_admin() else None
    target = url_for(
        "directory.capacity_overview", organization=organization, _anchor=f"cap-{capacity.id}"
    )
    return redirect(target, code=303)


def _change(
    capacity: ServiceCapacity,
    form: CapacityRowForm | VersionForm,
    change: Callable[[], object],
    done: str,
):  # noqa: ANN202
    """Run one rule; a refused change comes back as the row's problem on the page."""
    capacity_id = capacity.id
    organization_id = capacity.service.organization_id if _is_admin() else None
    service_name = capacity.service.name
    on_domain_error(lambda error: _row_failed(organization_id, capacity_id, form, error))
    change()
    return _back_to_page(capacity, f"{service_name}: {done}.")


def _row_failed(
    organization_id: str | None,
    capacity_id: str,
    form: CapacityRowForm | VersionForm,
    error: DomainError,
):  # noqa: ANN202
    """After the rollback: a stale or invalid figure shown at its row (a deleted one is a 404)."""
    if error.status in {403, 404}:
        return None
    if isinstance(error, rules.CapacityError) and isinstance(form, CapacityRowForm):
        target = form._fields.get(error.field, form.available)
        target.errors = [*target.errors, error.message]
        return _render_overview(organization_id, {capacity_id: {"form": form}}, 422)
    # A conflict, or a one-click action (no fields to mark).
    return _render_overview(
        organization_id, {capacity_id: {"message": error.message}}, error.status
    )


def _bind(form: CapacityRowForm | VersionForm, capacity_id: str) -> bool:
    form.use_row_ids(capacity_id)
    return form.validate()


@bp.post("/capacity/<capacity_id>")
@requires("capacity.update")
def capacity_update(capacity_id: str):  # noqa: ANN201
    capacity = _load(capacity_id)
    form = CapacityRowForm()
    if not _bind(form, capacity.id):
        organization_id = capacity.service.organization_id if _is_admin() else None
        return _render_overview(organization_id, {capacity.id: {"form": form}}, 422)
    return _change(
        capacity,
        form,
        lambda: rules.update_capacity(
            capacity,
            actor=_actor(),
            expected_version=form.version.data,
            available=form.available.data,
            maximum=form.maximum.data,
            status=form.status.data or None,
            waitlist_length=form.waitlist_length.data,
            expected_wait=form.expected_wait.data,
        ),
        "capacity saved",
    )


@bp.post("/capacity/<capacity_id>/full")
@requires("capacity.update")
def capacity_full(capacity_id: str):  # noqa: ANN201
    capacity = _load(capacity_id)
    form = VersionForm()
    _bind(form, capacity.id)  # a missing or broken version becomes a conflict in the rule
    return _change(
        capacity,
        form,
        lambda: rules.mark_full(capacity, actor=_actor(), expected_version=form.version.data),
        "marked full",
    )


@bp.post("/capacity/<capacity_id>/confirm")
@requires("capacity.update")
def capacity_confirm(capacity_id: str):  # noqa: ANN201
    capacity = _load(capacity_id)
    form = VersionForm()
    _bind(form, capacity.id)  # a missing or broken version becomes a conflict in the rule
    return _change(
        capacity,
        form,
        lambda: rules.confirm_capacity(
            capacity, actor=_actor(), expected_version=form.version.data
        ),
        "capacity confirmed as still accurate",
    )


@bp.route("/services/<service_id>/capacity/new", methods=["GET", "POST"])
@requires("capacity.update")
def capacity_new(service_id: str):  # noqa: ANN201
    service = db.session.get(Service, service_id)
    if service is None:
        abort(404)
    authorize("capacity.update", service)
    form = NewCapacityForm()
    units = db.session.scalars(select(Unit).order_by(Unit.name))
    form.unit.choices = [SelectChoice(u.id, u.name) for u in units]

    def page() -> str:
        return render_template("directory/capacity_new.html", form=form, service=service)

    if not form.validate_on_submit():
        return page(), 422 if form.errors else 200
    on_domain_error(form_renderer(form, page))
    capacity = rules.add_capacity(
        service,
        unit=db.session.get(Unit, form.unit.data),
        available=form.available.data,
        maximum=form.maximum.data,
        status=form.status.data or None,
        actor=_actor(),
    )
    return _back_to_page(capacity, f"{service.name}: capacity figure added.")


@bp.get("/capacity/<capacity_id>/history")
@requires("capacity.history")
def capacity_history(capacity_id: str):  # noqa: ANN201
    capacity = db.session.get(ServiceCapacity, capacity_id)
    if capacity is None:
        abort(404)
    authorize("capacity.history", capacity)
    history = db.session.scalars(
        select(CapacityHistory)
        .where(CapacityHistory.capacity_id == capacity.id)
        .order_by(CapacityHistory.changed_at.desc())
        .options(selectinload(CapacityHistory.changed_by))
    ).all()
    return render_template("directory/capacity_history.html", capacity=capacity, history=history)
