"""Counselor pages about people: the client list, a new client (with the duplicate check), the
client page, editing the profile, the care team and consent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import Facility
from app.clock import local_today
from app.common import utcnow
from app.conditions.services import conditions_of
from app.directory.models import Organization, Service
from app.directory.taxonomy import need_areas
from app.domain_errors import DomainError
from app.extensions import db
from app.permissions import authorize, requires
from app.plans.services import plan_for
from app.referrals import services
from app.referrals.errors import DuplicateClient
from app.referrals.forms.clients import FLAGS, ClientForm
from app.referrals.forms.team import ConsentForm, RevokeConsentForm, TeamMemberForm
from app.referrals.models import CareTeamMember, Client, Consent, Referral, ReferralEvent
from app.referrals.routes import bp
from app.referrals.vocabulary import ConsentShare, ReferralStatus
from app.unit_of_work import form_renderer, on_domain_error

# Pre-ticked on a new consent: what a provider usually needs to act on a referral.
DEFAULT_SHARES = (ConsentShare.IDENTITY, ConsentShare.CONTACT, ConsentShare.NOTE)


def load_client(client_id: str, action: str, *options: Any) -> Client:
    client = db.session.get(Client, client_id, options=list(options))
    if client is None:
        abort(404)
    authorize(action, client)
    return client


def referral_summary(client: Client, now: Any) -> dict[str, Any]:
    """Counts by status and how many are overdue, for the list's "at a glance" column."""
    counts: dict[ReferralStatus, int] = {}
    for referral in client.referrals:
        counts[referral.status] = counts.get(referral.status, 0) + 1
    overdue = sum(1 for r in client.referrals if services.is_overdue(r, now))
    ordered = [(status, counts[status]) for status in ReferralStatus if status in counts]
    return {"counts": ordered, "overdue": overdue}


def _facilities() -> list[Facility]:
    return list(db.session.scalars(select(Facility).order_by(Facility.name)))


@bp.get("/clients")
@requires("client.view")
def clients():  # noqa: ANN201
    query = services.visible_clients_query(current_user).options(
        selectinload(Client.referrals), selectinload(Client.facility)
    )
    people = db.session.scalars(query).unique().all()
    now = utcnow()
    rows = [(c, referral_summary(c, now)) for c in people]
    return render_template("referrals/clients.html", rows=rows, today=local_today(now))


@bp.route("/clients/new", methods=["GET", "POST"])
@requires("client.create")
def client_new():  # noqa: ANN201
    form = ClientForm()
    form.set_facilities(_facilities())
    # Opened from "Refer a client" on a service: the chosen service survives adding the person.
    service_id = request.args.get("service")
    service = db.session.get(Service, service_id) if service_id else None

    def page(duplicates: list[Client] | None = None) -> str:
        return render_template(
            "referrals/client_form.html",
            form=form,
            duplicates=duplicates or [],
            client=None,
            service=service,
        )

    def failed(error: DomainError) -> Any:
        if isinstance(error, DuplicateClient):
            return page(list(error.matches)), 422
        return form_renderer(form, page)(error)

    if request.method == "GET":
        form.facility_id.data = current_user.facility_id or ""
        return page()
    if not form.validate():
        return page(), 422
    on_domain_error(failed)
    client = services.create_client(
        form.client_data(), current_user, allow_duplicate=bool(form.allow_duplicate.data)
    )
    # Never a client's name in a flash: flashes travel in the (signed, readable) cookie.
    flash("Person added. You are their primary coordinator.", "success")
    if service is not None:
        return redirect(
            url_for("referrals.referral_new", client_id=client.id, service=service.id), code=303
        )
    return redirect(url_for("referrals.client", client_id=client.id))


@bp.get("/clients/<client_id>")
@requires("client.view")
def client(client_id: str):  # noqa: ANN201
    person = load_client(
        client_id,
        "client.view",
        selectinload(Client.team).selectinload(CareTeamMember.user),
        selectinload(Client.consents).selectinload(Consent.organization),
        selectinload(Client.referrals).selectinload(Referral.service),
        selectinload(Client.referrals)
        .selectinload(Referral.events)
        .selectinload(ReferralEvent.actor),
    )
    events = sorted(
        ((event, referral) for referral in person.referrals for event in referral.events),
        key=lambda pair: pair[0].at,
        reverse=True,
    )
    services.record_client_read(person, current_user, via="page")
    now = utcnow()
    areas = {term.code: term.name for term in need_areas()}
    return render_template(
        "referrals/client.html",
        client=person,
        events=events,
        now=now,
        today=local_today(now),
        need_area_names=areas,
        flags=FLAGS,
        share_labels={share.value: share.label for share in ConsentShare},
        profile=services.client_profile(person, local_today(now)),
        team_form=TeamMemberForm(),
        is_overdue=services.is_overdue,
        plan=plan_for(person),
        conditions=conditions_of(person),
    )


@bp.route("/clients/<client_id>/edit", methods=["GET", "POST"])
@requires("client.edit")
def client_edit(client_id: str):  # noqa: ANN201
    person = load_client(client_id, "client.edit")
    form = ClientForm()
    form.set_facilities(_facilities())

    def page() -> str:
        return render_template(
            "referrals/client_form.html", form=form, duplicates=[], client=person
        )

    if request.method == "GET":
        form.fill_from(person)
        services.record_client_read(person, current_user, via="page")
        return page()
    if not form.validate():
        return page(), 422
    on_domain_error(form_renderer(form, page))
    services.update_client(person, form.client_data(), current_user)
    flash("Saved.", "success")
    return redirect(url_for("referrals.client", client_id=person.id))


# ---- care team -------------------------------------------------------------------------------


def _team_member(person: Client, member_id: str) -> CareTeamMember:
    member = db.session.get(CareTeamMember, member_id)
    if member is None or member.client_id != person.id:
        abort(404)
    return member


@bp.post("/clients/<client_id>/team")
@requires("team.manage")
def team_add(client_id: str):  # noqa: ANN201
    person = load_client(client_id, "team.manage")
    form = TeamMemberForm()
    if form.validate():
        user = services.counselor_by_email(form.email.data)
        if user is None:
            form.email.errors = [services.NO_SUCH_COUNSELOR]
        else:
            on_domain_error(lambda error: _refused(person, f"Not added: {error.message}"))
            services.add_team_member(person, user, form.title.data or None, current_user)
            flash(f"{user.name} added to the team.", "success")
            return redirect(url_for("referrals.client", client_id=person.id) + "#team")
    messages = [m for errors in form.errors.values() for m in errors]
    return _refused(person, "Not added: " + " ".join(messages))


def _refused(person: Client, message: str) -> Any:
    """A refused team change: back to the team section with the reason (nothing was saved)."""
    flash(message, "error")
    return redirect(url_for("referrals.client", client_id=person.id) + "#team")


@bp.post("/clients/<client_id>/team/<member_id>/coordinator")
@requires("team.manage")
def team_coordinator(client_id: str, member_id: str):  # noqa: ANN201
    person = load_client(client_id, "team.manage")
    member = _team_member(person, member_id)
    on_domain_error(lambda error: _refused(person, error.message))
    services.set_coordinator(person, member.user, current_user)
    flash(f"{member.user.name} is now the primary coordinator.", "success")
    return redirect(url_for("referrals.client", client_id=person.id) + "#team")


@bp.post("/clients/<client_id>/team/<member_id>/remove")
@requires("team.manage")
def team_remove(client_id: str, member_id: str):  # noqa: ANN201
    person = load_client(client_id, "team.manage")
    member = _team_member(person, member_id)
    name = member.user.name
    on_domain_error(lambda error: _refused(person, error.message))
    services.remove_team_member(person, member.user, current_user)
    flash(f"{name} removed from the team.", "success")
    return redirect(url_for("referrals.client", client_id=person.id) + "#team")


# ---- consent ---------------------------------------------------------------------------------


@bp.route("/clients/<client_id>/consents/new", methods=["GET", "POST"])
@requires("consent.manage")
def consent_new(client_id: str):  # noqa: ANN201
    """Record consent. Opened from the refer page with ?service=<id>: the service's organization
    is chosen already, and after saving the counselor goes back to finish the referral."""
    person = load_client(client_id, "consent.manage")
    service_id = request.args.get("service")
    service = db.session.get(Service, service_id) if service_id else None
    organizations = list(db.session.scalars(select(Organization).order_by(Organization.name)))
    form = ConsentForm()
    form.set_choices(organizations, need_areas())

    def page() -> str:
        return render_template(
            "referrals/consent_form.html", form=form, client=person, service=service
        )

    if request.method == "GET":
        # Local today: a consent signed at 9 pm in Hartford defaults to that evening's date.
        form.signed_on.data = local_today()
        form.expires_on.data = local_today() + timedelta(days=365)
        form.shares.data = [share.value for share in DEFAULT_SHARES]
        if service is not None:
            form.organization_id.data = service.organization_id
        return page()
    if not form.validate():
        return page(), 422
    on_domain_error(form_renderer(form, page))
    services.record_consent(person, form.consent_data(), current_user)
    flash("Consent recorded.", "success")
    if service is not None:
        return redirect(url_for("referrals.referral_new", client_id=person.id, service=service.id))
    return redirect(url_for("referrals.client", client_id=person.id) + "#consent")


@bp.route("/consents/<consent_id>/revoke", methods=["GET", "POST"])
@requires("consent.manage")
def consent_revoke(consent_id: str):  # noqa: ANN201
    consent = db.session.get(Consent, consent_id)
    if consent is None:
        abort(404)
    authorize("consent.manage", consent.client)
    form = RevokeConsentForm()
    if consent.revoked_at is not None:
        flash("This consent was already revoked.", "warning")
        return redirect(url_for("referrals.client", client_id=consent.client_id) + "#consent")

    def page() -> str:
        return render_template("referrals/consent_revoke.html", form=form, consent=consent)

    if request.method == "GET":
        return page()
    if not form.validate():
        return page(), 422
    on_domain_error(form_renderer(form, page, fallback="note"))
    services.revoke_consent(consent, current_user, form.note_text())
    flash("Consent revoked. Providers no longer see this person's details.", "success")
    return redirect(url_for("referrals.client", client_id=consent.client_id) + "#consent")
