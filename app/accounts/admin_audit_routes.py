"""Admin read-only view of the audit trail: filter by day (network-local), actor and action, in
pages; actions shown in plain words (app.audit.actions).

The page is read-only on purpose: AuditEntry refuses updates and deletes at the ORM level and in
the database (a trigger), and no route here offers either.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import render_template, request
from flask_wtf import FlaskForm
from sqlalchemy import Select, func, select
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional

from app.accounts.models import User
from app.accounts.routes import bp
from app.audit.actions import action_words
from app.audit.models import AuditEntry
from app.clock import local_midnight
from app.extensions import db
from app.pagination import EMPTY, page_args, page_number, paginate
from app.permissions import requires
from app.plausible import DateKind, PlausibleDate

PER_PAGE = 25


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only reads

    since = DateField("From (day)", validators=[Optional(), PlausibleDate(DateKind.REPORT)])
    until = DateField("To (day)", validators=[Optional(), PlausibleDate(DateKind.REPORT)])
    actor = StringField(
        "Who (e-mail contains)", filters=[_strip], validators=[Optional(), Length(max=254)]
    )
    action = SelectField("Action", choices=[], default="", validate_choice=True)
    object_id = StringField("Object id", filters=[_strip], validators=[Optional(), Length(max=36)])

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.since.data and self.until.data and self.until.data < self.since.data:
            self.until.errors = [*self.until.errors, "The last day cannot be before the first."]
            return False
        return True


# --- rules the views call (no request in here) ---------------------------------------------------


def audit_actions() -> list[SelectChoice]:
    """The actions recorded so far, in words, for the filter's select (alphabetical by words)."""
    recorded = db.session.scalars(select(AuditEntry.action).distinct())
    return sorted(
        (SelectChoice(action, action_words(action)) for action in recorded),
        key=lambda choice: choice.label.lower(),
    )


def filtered_audit(
    action: str = "",
    actor: str = "",
    object_id: str = "",
    since: date | None = None,
    until: date | None = None,
) -> Select:
    """Audit entries newest first, narrowed by exact action, actor e-mail fragment, object id and
    network-local days (`since` and `until` both included)."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    if actor:
        pattern = "%" + actor.lower().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
        matching = select(User.id).where(func.lower(User.email).like(pattern + "%", escape="\\"))
        query = query.where(AuditEntry.actor_id.in_(matching))
    if object_id:
        query = query.where(AuditEntry.object_id == object_id)
    if since:
        query = query.where(AuditEntry.at >= local_midnight(since))
    if until:
        query = query.where(AuditEntry.at < local_midnight(until + timedelta(days=1)))
    return query


def actors_of(entries: list[AuditEntry]) -> dict[str, User]:
    """The people behind a page of entries, in one query."""
    ids = {e.actor_id for e in entries if e.actor_id}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


# --- views ---------------------------------------------------------------------------------------


@bp.get("/audit")
@requires("audit.view")
def audit():  # noqa: ANN201
    form = AuditFilterForm(formdata=request.args)
    form.action.choices = [SelectChoice("", "Any action"), *audit_actions()]
    status = 200
    if request.args and not form.validate():
        status, page = 422, EMPTY
    else:
        query = filtered_audit(
            form.action.data or "",
            form.actor.data or "",
            form.object_id.data or "",
            form.since.data,
            form.until.data,
        )
        page = paginate(query, page_number(), PER_PAGE)
    return render_template(
        "accounts/audit.html",
        form=form,
        page=page,
        actors=actors_of(page.items),
        page_args=page_args(),
        action_words=action_words,
    ), status
