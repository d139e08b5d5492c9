"""Referral pages: pick a client for a service, refer, and the shared referral page with one
small form per workflow step."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.clock import local_today
from app.common import utcnow
from app.directory.eligibility import match
from app.directory.models import Service
from app.directory.queries import service_for_referral
from app.directory.taxonomy import need_areas
from app.directory.vocabulary import Document
from app.domain_errors import DomainError
from app.extensions import db
from app.permissions import authorize, can, requires
from app.referrals import services
from app.referrals.errors import ConsentRequired, NoRoomLeft, StaleReferral
from app.referrals.forms.clients import FLAGS
from app.referrals.forms.common import add_error
from app.referrals.forms.referrals import NOTE_HINT, ReferralForm, StepForm, step_form
from app.referrals.models import Client, Referral, ReferralEvent
from app.referrals.permissions import is_provider_staff_of, sides_of
from app.referrals.routes import bp
from app.referrals.routes_clients import load_client
from app.referrals.workflow import STEPS, Action, Side, available_actions
from app.unit_of_work import form_renderer, on_domain_error


def _service_from_args() -> Service:
    service = service_for_referral(request.args.get("service", ""))
    if service is None:
        abort(404)
    return service


@bp.get("/refer")
@requires("referral.create")
def refer_pick():  # noqa: ANN201
    """ "Refer a client" from a service page: choose which of your people to refer."""
    service = _service_from_args()
    people = db.session.scalars(services.visible_clients_query(current_user)).all()
    return render_template("referrals/refer_pick.html", service=service, people=people)


@bp.route("/clients/<client_id>/refer", methods=["GET", "POST"])
@requires("referral.create")
def referral_new(client_id: str):  # noqa: ANN201
    person = load_client(client_id, "referral.create")
    service = _service_from_args()
    today = local_today()
    warnings = services.referral_warnings(person, service, today)
    codes = {w.code for w in warnings}
    form = ReferralForm()
    form.set_choices(service, need_areas())

    def page(consent_error: str | None = None) -> str:
        return render_template(
            "referrals/referral_new.html",
            form=form,
            client=person,
            service=service,
            warnings=warnings,
            codes=codes,
            verdict=match(services.client_profile(person, today), service),
            consent_error=consent_error,
            form_note_hint=NOTE_HINT,
        )

    def failed(error: DomainError) -> Any:
        if isinstance(error, ConsentRequired):
            return page(consent_error=error.message), 422
        return form_renderer(form, page)(error)

    if request.method == "GET":
        form.needed_by.data = person.projected_release_date
        # The most specific need area the service is in ("housing.transitional" over "housing").
        areas = sorted((t.code for t in service.need_areas if t.code), key=len, reverse=True)
        form.need_area_code.data = areas[0] if areas else ""
        return page()
    if not form.validate():
        return page(), 422
    on_domain_error(failed)
    referral = services.send_referral(person, form.referral_data(service), current_user)
    flash(f"Referral sent to {service.organization.name}.", "success")
    return redirect(url_for("referrals.referral", referral_id=referral.id))


def _load_referral(referral_id: str) -> Referral:
    referral = db.session.get(
        Referral,
        referral_id,
        options=[
            selectinload(Referral.events).selectinload(ReferralEvent.actor),
            selectinload(Referral.client).selectinload(Client.team),
            selectinload(Referral.service),
        ],
    )
    if referral is None:
        abort(404)
    authorize("referral.view", referral)
    return referral


def _render_referral(
    referral: Referral,
    status: int = 200,
    *,
    posted: StepForm | None = None,
    posted_action: Action | None = None,
    error: str | None = None,
) -> Any:
    """The one referral page for both sides; a failed step re-shows its form with the error."""
    now = utcnow()
    sides = sides_of(current_user, referral)
    actions = available_actions(referral.status, sides)
    forms = {
        action: posted
        if action == posted_action and posted is not None
        else step_form(action, referral.version)
        for action in actions
    }
    for form in forms.values():
        form.version.data = str(referral.version)
    sees_client_record = can(current_user, "client.view", referral.client)
    return render_template(
        "referrals/referral.html",
        referral=referral,
        events=sorted(referral.events, key=lambda e: e.at, reverse=True),
        forms=forms,
        sees_client_record=sees_client_record,
        provider_view=None
        if sees_client_record
        else services.provider_view_of_client(referral, local_today(now)),
        overdue=services.is_overdue(referral, now),
        error=error,
        flags=FLAGS,
        document_labels={doc.value: doc.label for doc in Document},
    ), status


@bp.get("/<referral_id>")
@requires("referral.view")
def referral(referral_id: str):  # noqa: ANN201
    item = _load_referral(referral_id)
    if is_provider_staff_of(current_user, item):
        services.open_referral_as_provider(item, current_user)
    else:
        services.record_referral_read(item, current_user, via="page")
    return _render_referral(item)


@bp.post("/<referral_id>/step/<action>")
@requires("referral.view")
def referral_step(referral_id: str, action: str):  # noqa: ANN201
    try:
        step = Action(action)
    except ValueError:
        abort(404)
    item = _load_referral(referral_id)
    authorize("referral.respond" if STEPS[step].side == Side.PROVIDER else "referral.cancel", item)
    form = step_form(step, formdata=request.form)
    if not form.validate():
        return _render_referral(item, 422, posted=form, posted_action=step)
    if form.expected_version() is None:
        message = "This page was out of date. Here is the referral as it is now."
        return _render_referral(item, 409, error=message)
    on_domain_error(lambda error: _step_failed(item, form, step, error))
    if form.expected_version() != item.version:
        # Say "someone else changed it" rather than "cannot move from <new status>".
        raise StaleReferral("stale")
    services.transition(
        item,
        step,
        current_user,
        expected_version=form.expected_version(),
        **form.transition_kwargs(),
    )
    flash(f"{step.label}: done. The referral is now {item.status.label.lower()}.", "success")
    return redirect(url_for("referrals.referral", referral_id=item.id))


def _step_failed(item: Referral, form: StepForm, step: Action, error: DomainError) -> Any:
    """A refused step, after the rollback: the referral as it is now, with the reason."""
    if error.status in {403, 404}:
        return None
    if isinstance(error, NoRoomLeft):  # the last place went: waitlist, or tick "over capacity"
        add_error(form, error.field, error.message)
        return _render_referral(item, 409, posted=form, posted_action=step, error=error.message)
    if isinstance(error, StaleReferral):
        message = (
            "Someone else changed this referral while you had it open; nothing was saved. It is "
            f"now {item.status.label.lower()}. Check the timeline below, then try again if needed."
        )
        return _render_referral(item, 409, posted=form, posted_action=step, error=message)
    if error.status == 409:
        return _render_referral(item, 409, error=error.message)
    add_error(form, error.field, error.message)
    return _render_referral(item, error.status, posted=form, posted_action=step)
