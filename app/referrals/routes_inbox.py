"""The inbox (provider staff: referrals to their organizations; counselors: their teams' sent
referrals) and the in-app notification list."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.accounts.models import Role
from app.common import utcnow
from app.extensions import db
from app.notify.models import Notification
from app.permissions import can, requires
from app.referrals import services
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
    rows = [
        {
            "referral": r,
            "overdue": services.is_overdue(r, now),
            "client_name": r.client.full_name
            if can(current_user, "client.view", r.client)
            else None,
        }
        for r in referrals
    ]
    return render_template(
        "referrals/inbox.html",
        rows=rows,
        status_filter=status_filter,
        filters=STATUS_FILTERS,
        is_provider=current_user.role == Role.PROVIDER,
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
