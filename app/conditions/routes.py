"""Pages: a person's supervision conditions (care team), and "Add to plan" for a missing
document. Thin: load, check, call one service, render or redirect."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.services import is_safe_next
from app.conditions import documents
from app.conditions.forms import ConditionsForm
from app.conditions.services import conditions_of, set_conditions
from app.directory.vocabulary import Document
from app.extensions import db
from app.permissions import authorize, requires
from app.referrals.models import Client
from app.unit_of_work import form_renderer, on_domain_error

bp = Blueprint("conditions", __name__, url_prefix="/referrals")


@bp.app_context_processor
def _helpers() -> dict:
    return {"document_help": documents.document_help}


def _client(client_id: str, action: str) -> Client:
    client = db.session.get(Client, client_id)
    if client is None:
        abort(404)
    authorize(action, client)
    return client


@bp.route("/clients/<client_id>/conditions", methods=["GET", "POST"])
@requires("client.edit")
def edit(client_id: str):  # noqa: ANN201
    person = _client(client_id, "client.edit")
    form = ConditionsForm()

    def page() -> str:
        return render_template("conditions/edit.html", form=form, client=person)

    if request.method == "GET":
        form.fill_from(conditions_of(person))
        return page()
    if not form.validate():
        return page(), 422
    on_domain_error(form_renderer(form, page))
    set_conditions(person, form.data_out(), current_user)
    flash("Conditions saved.", "success")
    return redirect(url_for("referrals.client", client_id=person.id) + "#conditions")


@bp.post("/clients/<client_id>/documents/<code>/plan")
@requires("plan.edit")
def add_to_plan(client_id: str, code: str):  # noqa: ANN201
    person = _client(client_id, "client.view")
    try:
        document = Document(code)
    except ValueError:
        abort(404)
    item, added = documents.add_document_item(person, document, current_user)
    flash(f"Added to the plan: {item.title}." if added else "Already on the plan.", "success")
    back = request.form.get("back", "")
    if back and is_safe_next(back):
        return redirect(back)
    return redirect(url_for("plans.plan", client_id=person.id) + f"#item-{item.id}")
