"""“Released today”: one POST from the plan page or the client page, then the page the counselor
hands the card over from (code, QR, print link) with what was not arranged at release.

Thin views, like app/plans/routes.py: the rule lives in app/plans/release.py.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from app.clock import local_today
from app.domain_errors import DomainError
from app.permissions import requires
from app.plans import release as rules
from app.plans.forms import ReleaseForm
from app.plans.routes import _load_client, _render_plan, bp
from app.plans.services import plan_for
from app.public.card_view import public_card_url
from app.public.cards import format_code, is_active, newest_active_card
from app.public.qr import qr_svg
from app.unit_of_work import form_renderer, on_domain_error


@bp.app_template_global("release_window")
def release_window() -> tuple[date, date]:
    """(earliest, latest) date the “Released today” form accepts, for its date field."""
    today = local_today()
    return today - timedelta(days=rules.LATE_RECORDING_DAYS), today


bp.add_app_template_global(rules.release_version, "release_version")


@bp.post("/referrals/clients/<client_id>/plan/release")
@requires("plan.edit")
def plan_release(client_id: str):  # noqa: ANN201
    client = _load_client(client_id, "plan.edit")
    form = ReleaseForm()

    def page() -> str:
        return _render_plan(client, release_form=form)

    if not form.validate():
        return page(), 422

    def refused(error: DomainError) -> Any:
        if isinstance(error, rules.AlreadyReleased):
            return _render_plan(client, error=error.message), error.status
        return form_renderer(form, page, fallback="released_on")(error)

    on_domain_error(refused)
    rules.record_release(
        client, current_user._get_current_object(), released_on=form.released_on.data
    )
    return redirect(url_for("plans.plan_released", client_id=client.id), code=303)


@bp.get("/referrals/clients/<client_id>/plan/released")
@requires("plan.view")
def plan_released(client_id: str):  # noqa: ANN201
    client = _load_client(client_id, "plan.view")
    plan = plan_for(client)
    version = rules.release_version(plan) if plan is not None else None
    if version is None:
        abort(404)
    card = newest_active_card(client)
    context: dict[str, Any] = {"card": card}
    if card is not None:
        url = public_card_url(card.code)
        context.update(code=format_code(card.code), url=url, qr=qr_svg(url), active=is_active(card))
    return render_template(
        "plans/released.html",
        client=client,
        plan=plan,
        version=version,
        missing=rules.not_arranged(version),
        **context,
    )
