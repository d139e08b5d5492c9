"""Admin views of the e-mail outbox: the list (with "Try again") and one message in full.

A message page shows the recipient, subject, body, attempts, last error and when it was sent.
E-mail bodies carry no client personal data (app.notify), but a password e-mail carries a
one-time sign-in link: the page hides it, so no administrator can use someone else's link.
"""

from __future__ import annotations

import re
from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import Select, select
from wtforms import SelectChoice, SelectField

from app.accounts.routes import bp
from app.common import utcnow
from app.extensions import db
from app.notify.models import OutboxMessage
from app.pagination import EMPTY, page_args, page_number, paginate
from app.permissions import requires

PER_PAGE = 50

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


# A link that signs someone in (password reset, "set your password"): /account/reset/<token>.
SIGN_IN_LINK = re.compile(r"(\S*/account/reset/)\S+")
HIDDEN_LINK = r"\1… (one-time link hidden)"


def readable_body(body: str) -> str:
    """The body as the recipient got it, minus any one-time sign-in link."""
    return SIGN_IN_LINK.sub(HIDDEN_LINK, body or "")


# --- views ---------------------------------------------------------------------------------------


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


@bp.get("/outbox/<message_id>")
@requires("user.manage")
def outbox_message(message_id: str):  # noqa: ANN201
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    return render_template(
        "accounts/outbox_message.html", message=message, body=readable_body(message.body)
    )


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
