"""Refer from a plan item: the referral form for this person, this service (and location) and
this item, with the consent that covers it shown, or a short consent step in the same form.

Reached from a staff search opened by "Find a place"; sending goes back to the plan at the item.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.clock import local_today
from app.directory.eligibility import match
from app.directory.models import Service
from app.directory.queries import service_for_referral
from app.directory.taxonomy import need_area_by_code, need_areas
from app.extensions import db
from app.permissions import authorize, requires
from app.plans import referring
from app.plans.models import PlanItem
from app.plans.places import referral_need_area
from app.plans.refer_forms import ItemReferralForm
from app.plans.routes import bp
from app.referrals.clients import client_profile
from app.referrals.consent import active_consent_for
from app.referrals.forms.referrals import NOTE_HINT
from app.referrals.models import Consent
from app.referrals.sending import referral_warnings
from app.referrals.vocabulary import ConsentShare
from app.unit_of_work import form_renderer, on_domain_error


def _service(service_id: str) -> Service:
    service = service_for_referral(service_id)
    if service is None:
        abort(404)
    return service


def _scope(consent: Consent | None) -> str | None:
    """Whom a consent covers, by name: the organization, or every provider in a need area."""
    if consent is None:
        return None
    if consent.organization is not None:
        return consent.organization.name
    term = need_area_by_code(consent.need_area_code or "")
    return f"every provider in {term.name if term else 'its need area'}"


@bp.route("/plans/items/<item_id>/refer", methods=["GET", "POST"])
@requires("referral.create")
def item_refer(item_id: str):  # noqa: ANN201
    item = db.session.get(PlanItem, item_id)
    if item is None:
        abort(404)
    authorize("plan.edit", item)
    person = item.plan.client
    authorize("referral.create", person)
    service = _service(request.args.get("service", "").strip())
    today = local_today()
    covering = active_consent_for(person, service, today)
    warnings = [w for w in referral_warnings(person, service, today) if w.code != "no_consent"]
    form = ItemReferralForm()
    form.set_choices(service, need_areas())
    if covering is not None:
        form.without_consent_step()
    else:
        form.consent_signed.label.text = (
            f"The person signed a consent to share with {service.organization.name}"
        )

    def page() -> str:
        return render_template(
            "plans/refer.html",
            form=form,
            client=person,
            item=item,
            service=service,
            warnings=warnings,
            codes={w.code for w in warnings},
            verdict=match(client_profile(person, today), service),
            consent=covering,
            consent_scope=_scope(covering),
            shares_eligibility=covering is not None
            and ConsentShare.ELIGIBILITY.value in covering.shares,
            share_labels={s.value: s.label for s in ConsentShare},
            form_note_hint=NOTE_HINT,
        )

    if request.method == "GET":
        location = request.args.get("location", "")
        if location in {loc.id for loc in service.locations}:
            form.location_id.data = location
        due = item.due_on if item.due_on is not None and item.due_on >= today else None
        form.needed_by.data = due or person.projected_release_date
        form.need_area_code.data = referral_need_area(
            item, [t.code for t in service.need_areas if t.code]
        )
        if form.asks_consent:
            form.consent_defaults(today)
        return page()
    if not form.validate():
        return page(), 422
    on_domain_error(form_renderer(form, page))
    referring.refer_for_item(
        item,
        service,
        form.referral_data(service),
        current_user,
        new_consent=form.new_consent(),
        today=today,
    )
    flash(f"Referral sent to {service.name}.", "success")
    plan_url = url_for("plans.plan", client_id=person.id)
    return redirect(f"{plan_url}#item-{item.id}", code=303)
