"""The inbox (provider staff: referrals to their organizations; counselors: their teams' sent
referrals) and the in-app notification list.

Provider staff start their day here: the open referrals lead in groups (new, overdue, awaiting
an outcome, waitlisted) and, below them, the capacity figures about to go stale with a one-click
"Still accurate" (the capacity page's own action, which comes back here)."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.accounts.models import Role
from app.common import utcnow
from app.directory.capacity_due import figures_going_stale
from app.directory.capacity_forms import version_form_for
from app.extensions import db
from app.notify.models import Notification
from app.permissions import can, requires
from app.referrals import services
from app.referrals.inbox import GROUPS, grouped
from app.referrals.models import Client, Referral
from app.referrals.routes import bp

STATUS_FILTERS = {
    "open": "Open",
    "waitlisted": "Waitlisted",
    "closed": "Closed",
    "all": "All",
}


@bp.get("/inbox")
@requires("inbox.view")
def inbox():  # noqa: ANN201
    status_filter = request.args.get("status", "open")
    if status_filter not in STATUS_FILTERS:
        abort(404)
    query = services.inbox_query(
        current_user, status_filter=None if status_filter == "all" else status_filter
    ).options(
        selectinload(Referral.service),
        selectinload(Referral.organization),
        selectinload(Referral.client).selectinload(Client.team),
    )
    referrals = db.session.scalars(query).unique().all()
    now = utcnow()
    is_provider = current_user.role == Role.PROVIDER
    leading = is_provider and status_filter == "open"  # the provider's start page
    return render_template(
        "referrals/inbox.html",
        referrals=referrals,
        status_filter=status_filter,
        filters=STATUS_FILTERS,
        is_provider=is_provider,
        overdue={r.id for r in referrals if services.is_overdue(r, now)},
        client_names={
            r.id: r.client.full_name if can(current_user, "client.view", r.client) else None
            for r in referrals
        },
        groups=grouped(referrals, now) if leading else None,
        group_labels=GROUPS,
        due_figures=figures_going_stale(current_user.organization_ids, now=now) if leading else [],
        version_form=version_form_for,
    )


def mark_all_read(user_id: str, now: datetime) -> int:
    """Mark every unread notification of this user read; flush only (the request commits)."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now)
    )
    db.session.flush()
    return result.rowcount or 0


@bp.get("/notifications")
@requires("notifications.view")
def notifications():  # noqa: ANN201
    items = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id)
        .limit(200)
    ).all()
    unread = sum(1 for n in items if n.read_at is None)
    return render_template("notifications/list.html", items=items, unread=unread)


@bp.post("/notifications/read")
@requires("notifications.view")
def notifications_read():  # noqa: ANN201
    count = mark_all_read(current_user.id, utcnow())
    flash("All notifications marked as read." if count else "Nothing new to mark.", "success")
    return redirect(url_for("referrals.notifications"))
