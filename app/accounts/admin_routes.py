"""Administrators manage user accounts and facilities (permission "user.manage")."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.accounts import management
from app.accounts.forms import FacilityForm, NewUserForm, UserForm
from app.accounts.models import Facility, User
from app.accounts.routes import bp, form_status
from app.directory.models import Organization
from app.extensions import db
from app.notify.services import send_pending
from app.pagination import page_args, page_number, paginate
from app.permissions import authorize, requires
from app.unit_of_work import flash_and_redirect, form_renderer, on_domain_error


def _choices(form: UserForm) -> None:
    facilities = db.session.scalars(select(Facility).order_by(Facility.name)).all()
    organizations = db.session.scalars(select(Organization).order_by(Organization.name)).all()
    form.set_choices(facilities, organizations)


def _memberships(form: UserForm) -> dict:
    """Turn the chosen ids into objects (the form has already checked they are offered)."""
    facility = db.session.get(Facility, form.facility.data) if form.facility.data else None
    ids = list(form.organizations.data or [])
    organizations = (
        db.session.scalars(select(Organization).where(Organization.id.in_(ids))).all()
        if ids
        else []
    )
    return {"facility": facility, "organizations": organizations}


USERS_PER_PAGE = 50


@bp.get("/admin")
@requires("user.manage")
def admin_home():  # noqa: ANN201
    """Every administration page on one page, with what is waiting on each."""
    from app.notify.models import OutboxMessage
    from app.public.models import ProblemReport

    def count(query: Any) -> int:
        return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0

    waiting = {
        "users": count(select(User.id).where(User.active.is_(True))),
        "problems": count(select(ProblemReport.id).where(ProblemReport.status == "open")),
        "failed_mail": count(
            select(OutboxMessage.id).where(
                OutboxMessage.sent_at.is_(None), OutboxMessage.failed.is_(True)
            )
        ),
    }
    return render_template("accounts/admin.html", waiting=waiting)


@bp.get("/users/")
@requires("user.manage")
def users():  # noqa: ANN201
    """Accounts by name, 50 a page; `q` finds a name or e-mail address."""
    q = (request.args.get("q") or "").strip()[:200]
    query = (
        select(User)
        .options(selectinload(User.organizations), selectinload(User.facility))
        .order_by(func.lower(User.name), User.email)
    )
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(
            or_(func.lower(User.name).like(pattern), func.lower(User.email).like(pattern))
        )
    page = paginate(query, page_number(), USERS_PER_PAGE)
    return render_template("accounts/users.html", page=page, q=q, page_args=page_args())


@bp.route("/users/new", methods=["GET", "POST"])
@requires("user.manage")
def user_new():  # noqa: ANN201
    form = NewUserForm()
    _choices(form)

    def page() -> str:
        return render_template("accounts/user_form.html", form=form, user=None)

    if not form.validate_on_submit():
        return page(), form_status(form)
    on_domain_error(form_renderer(form, page, fallback="email"))
    created = management.create_user(
        email=form.email.data,
        name=form.name.data,
        role=form.role.data,
        password=form.password.data or None,
        **_memberships(form),
    )
    flash(f"Account created for {created.user.name}.", "success")
    if created.invitation is not None:
        # The sender commits this request's work with the message, then sends it at once.
        sent, _failed = send_pending(ids=[created.invitation.id])
        if sent:
            flash("We e-mailed them a link to set their password.", "info")
        else:
            flash(
                "The e-mail with their password link could not be sent yet; "
                "it will be retried automatically.",
                "warning",
            )
    return redirect(url_for("accounts.users"))


@bp.route("/users/<user_id>/edit", methods=["GET", "POST"])
@requires("user.manage")
def user_edit(user_id: str):  # noqa: ANN201
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    authorize("user.manage", user)
    if request.method == "POST":
        form = UserForm()
    else:
        form = UserForm(
            data={
                "name": user.name,
                "email": user.email,
                "role": user.role.value,
                "facility": user.facility_id or "",
                "organizations": sorted(user.organization_ids),
            }
        )
    _choices(form)

    def page() -> str:
        return render_template("accounts/user_form.html", form=form, user=user)

    if not form.validate_on_submit():
        return page(), form_status(form)
    on_domain_error(form_renderer(form, page, fallback="email"))
    management.update_user(
        user,
        email=form.email.data,
        name=form.name.data,
        role=form.role.data,
        actor=current_user._get_current_object(),
        **_memberships(form),
    )
    flash(f"Saved the changes to {user.name}'s account.", "success")
    return redirect(url_for("accounts.users"))


@bp.post("/users/<user_id>/toggle-active")
@requires("user.manage")
def user_toggle_active(user_id: str):  # noqa: ANN201
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    authorize("user.manage", user)
    on_domain_error(flash_and_redirect(url_for("accounts.users")))
    management.set_active(user, not user.active, actor=current_user._get_current_object())
    state = "active again" if user.active else "deactivated and can no longer sign in"
    flash(f"{user.name}'s account is {state}.", "success")
    return redirect(url_for("accounts.users"))


@bp.get("/facilities/")
@requires("user.manage")
def facilities():  # noqa: ANN201
    rows = db.session.execute(
        select(Facility, func.count(User.id))
        .outerjoin(User, User.facility_id == Facility.id)
        .group_by(Facility.id)
        .order_by(Facility.name)
    ).all()
    return render_template("accounts/facilities.html", rows=rows)


@bp.route("/facilities/new", methods=["GET", "POST"])
@requires("user.manage")
def facility_new():  # noqa: ANN201
    form = FacilityForm()

    def page() -> str:
        return render_template("accounts/facility_form.html", form=form)

    if not form.validate_on_submit():
        return page(), form_status(form)
    on_domain_error(form_renderer(form, page, fallback="name"))
    facility = management.create_facility(
        name=form.name.data, town=form.town.data, kind=form.kind.data
    )
    flash(f"Facility {facility.name} added.", "success")
    return redirect(url_for("accounts.facilities"))
