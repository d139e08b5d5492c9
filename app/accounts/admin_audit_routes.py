"""Admin read-only views: the audit trail and the e-mail outbox (with a "try again" button).

The audit page is read-only on purpose: AuditEntry refuses updates and deletes at the ORM level and
in the database (a trigger), and no route here offers either. The outbox page never shows bodies.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import Select, func, select
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional

from app.accounts.models import User
from app.accounts.routes import bp
from app.audit.models import AuditEntry
from app.common import utcnow
from app.extensions import db
from app.notify.models import OutboxMessage
from app.pagination import EMPTY, page_args, page_number, paginate
from app.permissions import requires

PER_PAGE = 50


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only reads

    action = SelectField("Action", choices=[], default="", validate_choice=True)
    actor = StringField(
        "Who (e-mail contains)", filters=[_strip], validators=[Optional(), Length(max=254)]
    )
    object_id = StringField("Object id", filters=[_strip], validators=[Optional(), Length(max=36)])


OUTBOX_STATES = [
    SelectChoice("", "Not sent yet (pending or failed)"),
    SelectChoice("pending", "Pending"),
    SelectChoice("failed", "Failed"),
    SelectChoice("sent", "Sent"),
]


class OutboxFilterForm(FlaskForm):
    class Meta:
        csrf = False

    state = SelectField("Show", choices=OUTBOX_STATES, default="", validate_choice=True)


# --- rules the views call (no request in here) ---------------------------------------------------


def audit_actions() -> list[str]:
    """The distinct actions recorded so far, for the filter's select."""
    return list(
        db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    )


def filtered_audit(action: str = "", actor: str = "", object_id: str = "") -> Select:
    """Audit entries newest first, narrowed by exact action, actor e-mail fragment, object id."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    if actor:
        pattern = "%" + actor.lower().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
        matching = select(User.id).where(func.lower(User.email).like(pattern + "%", escape="\\"))
        query = query.where(AuditEntry.actor_id.in_(matching))
    if object_id:
        query = query.where(AuditEntry.object_id == object_id)
    return query


def actors_of(entries: list[AuditEntry]) -> dict[str, User]:
    """The people behind a page of entries, in one query."""
    ids = {e.actor_id for e in entries if e.actor_id}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def filtered_outbox(state: str = "") -> Select:
    """Outbox messages newest first: unsent (default), pending, failed or sent."""
    query = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id)
    unsent = OutboxMessage.sent_at.is_(None)
    if state == "pending":
        return query.where(unsent, OutboxMessage.failed.is_(False))
    if state == "failed":
        return query.where(unsent, OutboxMessage.failed.is_(True))
    if state == "sent":
        return query.where(OutboxMessage.sent_at.is_not(None))
    return query.where(unsent)


def retry_message(message: OutboxMessage, now: datetime | None = None) -> bool:
    """Put an unsent message back in the queue for the next `flask outbox send` (flush only).

    Returns False for a message that was already sent: sending it twice would help no one.
    """
    if message.sent_at is not None:
        return False
    message.failed = False
    message.next_attempt_at = now or utcnow()
    db.session.flush()
    return True


# --- views ---------------------------------------------------------------------------------------


@bp.get("/audit")
@requires("audit.view")
def audit():  # noqa: ANN201
    form = AuditFilterForm(formdata=request.args)
    form.action.choices = [SelectChoice("", "Any action")] + [
        SelectChoice(a, a) for a in audit_actions()
    ]
    status = 200
    if request.args and not form.validate():
        status, page = 422, EMPTY
    else:
        query = filtered_audit(
            form.action.data or "", form.actor.data or "", form.object_id.data or ""
        )
        page = paginate(query, page_number(), PER_PAGE)
    return render_template(
        "accounts/audit.html",
        form=form,
        page=page,
        actors=actors_of(page.items),
        page_args=page_args(),
    ), status


@bp.get("/outbox")
@requires("user.manage")
def outbox():  # noqa: ANN201
    form = OutboxFilterForm(formdata=request.args)
    status = 200
    if request.args and not form.validate():
        status, page = 422, EMPTY
    else:
        page = paginate(filtered_outbox(form.state.data or ""), page_number(), PER_PAGE)
    return render_template(
        "accounts/outbox.html", form=form, page=page, page_args=page_args(), now=utcnow()
    ), status


@bp.post("/outbox/<message_id>/retry")
@requires("user.manage")
def outbox_retry(message_id: str):  # noqa: ANN201
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    recipient = message.recipient
    if retry_message(message):
        flash(
            f"The message to {recipient} will be sent on the next outbox run.",
            "success",
        )
    else:
        flash(f"The message to {recipient} was already sent; nothing to retry.", "info")
    return redirect(url_for("accounts.outbox", state=request.args.get("state") or None))
