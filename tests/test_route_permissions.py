"""Walks every route for every role and checks who gets in.

A new route fails `test_every_route_is_in_the_table` until it is added to ROUTES below with the
answer each role should get, and `test_every_view_declares_a_permission` until it carries
@requires(...). Statuses: 200 page shown, LOGIN redirect to sign-in, 403 refused, 404 not
found. For POSTs, ALLOWED means the permission check let the request through (the form then
answers 200/302/303/409/422 depending on the empty payload, never 401/403/404/500).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import pytest

from app.accounts.api_tokens import create_token
from app.accounts.models import Role
from app.directory.models import SiteVisit
from app.directory.vocabulary import Answer, Criterion, Rating, SiteVisitOverall
from app.extensions import db
from tests import factories

ROLES = ("anonymous", "provider_a", "provider_b", "counselor", "analyst", "admin")
LOGIN = "login"
ALLOWED = "allowed"


def _only(*roles: str, yes: object = 200) -> dict[str, object]:
    return {r: (LOGIN if r == "anonymous" else yes if r in roles else 403) for r in ROLES}


PUBLIC_PAGE = {r: 200 for r in ROLES}
STAFF_PAGE = _only("provider_a", "provider_b", "counselor", "analyst", "admin")
ORG_A_PAGE = _only("provider_a", "admin")
ORG_A_POST = _only("provider_a", "admin", yes=ALLOWED)
ADMIN_PAGE = _only("admin")
ADMIN_POST = _only("admin", yes=ALLOWED)
VISIT_PAGE = _only("counselor", "admin")
VISIT_POST = _only("counselor", "admin", yes=ALLOWED)
STAFF_POST = _only("provider_a", "provider_b", "counselor", "analyst", "admin", yes=ALLOWED)
PROVIDER_PAGE = _only("provider_a", "provider_b", "admin")
NOT_FOUND = {r: 404 for r in ROLES}
TOKEN_ONLY = {r: 401 for r in ROLES}  # API routes take bearer tokens, never the session
MISSING = str(uuid.uuid4())
CARD_CODE = "22222-22222"  # well-formed, never issued


@dataclass
class World:
    org_a: object
    org_b: object
    service_a: object
    location_a: object
    capacity_a: object
    visit_a: object
    facility: object
    users: dict
    target_user: object
    client: object = None
    referral: object = None
    consent: object = None
    member: object = None


@pytest.fixture
def world(app) -> World:  # noqa: ANN001
    org_a = factories.make_organization(name="Org A")
    org_b = factories.make_organization(name="Org B")
    location_a = factories.make_location(org_a)
    service_a = factories.make_service(org_a, location=location_a)
    capacity_a = factories.make_capacity(service_a)
    factories.make_rule(service_a, Criterion.SEX_OFFENSE_REGISTRY, Answer.NO)
    facility = factories.make_facility()
    users = {
        "provider_a": factories.make_user(Role.PROVIDER, organizations=[org_a]),
        "provider_b": factories.make_user(Role.PROVIDER, organizations=[org_b]),
        "counselor": factories.make_user(Role.COUNSELOR, facility=facility),
        "analyst": factories.make_user(Role.ANALYST),
        "admin": factories.make_user(Role.ADMIN),
    }
    visit = SiteVisit(
        service=service_a,
        visited_on=date(2026, 1, 5),
        visitor_name="A Counselor",
        safety=Rating.GOOD,
        cleanliness=Rating.ADEQUATE,
        staff_responsiveness=Rating.GOOD,
        overall=SiteVisitOverall.WITH_CONCERNS,
        notes="Internal note about the house",
    )
    db.session.add(visit)
    db.session.commit()
    target = factories.make_user(Role.ANALYST, email="target@example.org")
    world = World(org_a, org_b, service_a, location_a, capacity_a, visit, facility, users, target)
    # A person on the counselor's team with a referral to org A's service.
    world.client = factories.make_client(users["counselor"])
    world.referral = factories.make_referral(world.client, service_a, users["counselor"])
    db.session.commit()
    world.consent = world.referral.consent
    world.member = world.client.team[0]
    return world


def _page_and_post(path, page=ORG_A_PAGE, post=ORG_A_POST) -> list:  # noqa: ANN001
    return [("GET", path, page), ("POST", path, post)]


def _plan_item(w) -> str:  # noqa: ANN001
    """The id of an item on the client's release plan (started on first use)."""
    from app.plans.services import plan_for, start_plan

    plan = plan_for(w.client) or start_plan(w.client, w.users["counselor"])
    db.session.commit()
    return plan.items[0].id


def _plan_client(w) -> str:  # noqa: ANN001
    """The client's id, once their release plan is started."""
    _plan_item(w)
    return w.client.id


def _plan_id(w) -> str:  # noqa: ANN001
    from app.plans.models import PlanItem

    return db.session.get(PlanItem, _plan_item(w)).plan_id


def _released(w) -> str:  # noqa: ANN001
    """The release page of the client, released today by the counselor (plan started with it)."""
    from app.plans.release import record_release

    record_release(w.client, w.users["counselor"])
    db.session.commit()
    return f"/referrals/clients/{w.client.id}/plan/released"


def _outbox_message() -> str:
    """The id of a message waiting in the outbox."""
    from app.notify.services import queue_email

    message = queue_email("someone@example.org", "Hello", "Body", kind="test")
    db.session.commit()
    return message.id


def _with_plan(w, path: str) -> str:  # noqa: ANN001
    """`path`, once the client has a release plan (the printed copies need one)."""
    _plan_item(w)
    return path


def _with_search_index(path: str) -> str:
    """`path`, once the search index is built (/readyz answers 503 without one)."""
    from app.search.index import rebuild_index

    rebuild_index()
    return path


# endpoint -> (method, path builder, expected status per role), or a list of those
ROUTES: dict[str, tuple[str, object, dict]] = {
    "public.home": ("GET", lambda w: "/", PUBLIC_PAGE),
    "ops.healthz": ("GET", lambda w: "/healthz", PUBLIC_PAGE),
    "ops.readyz": ("GET", lambda w: _with_search_index("/readyz"), PUBLIC_PAGE),
    "accounts.login": [
        ("GET", lambda w: "/account/login", PUBLIC_PAGE),
        ("POST", lambda w: "/account/login", {r: ALLOWED for r in ROLES}),
    ],
    "accounts.logout": ("POST", lambda w: "/account/logout", STAFF_POST),
    "directory.browse": ("GET", lambda w: "/directory/", STAFF_PAGE),
    # catalog pages and editing
    "directory.service": ("GET", lambda w: f"/directory/services/{w.service_a.id}", STAFF_PAGE),
    "directory.organization": (
        "GET",
        lambda w: f"/directory/organizations/{w.org_a.id}",
        STAFF_PAGE,
    ),
    "directory.service_verify": (
        "POST",
        lambda w: f"/directory/services/{w.service_a.id}/verify",
        ORG_A_POST,
    ),
    "directory.organization_new": [
        ("GET", lambda w: "/directory/organizations/new", ADMIN_PAGE),
        ("POST", lambda w: "/directory/organizations/new", ADMIN_POST),
    ],
    "directory.organization_edit": _page_and_post(
        lambda w: f"/directory/organizations/{w.org_a.id}/edit"
    ),
    "directory.service_new": _page_and_post(
        lambda w: f"/directory/organizations/{w.org_a.id}/services/new"
    ),
    "directory.service_edit": _page_and_post(
        lambda w: f"/directory/services/{w.service_a.id}/edit"
    ),
    "directory.service_hours": _page_and_post(
        lambda w: f"/directory/services/{w.service_a.id}/hours"
    ),
    "directory.location_new": _page_and_post(
        lambda w: f"/directory/organizations/{w.org_a.id}/locations/new"
    ),
    "directory.location_edit": _page_and_post(
        lambda w: f"/directory/locations/{w.location_a.id}/edit"
    ),
    # network measures and freshness
    "reports.dashboard": ("GET", lambda w: "/reports/", _only("analyst", "admin")),
    "reports.dashboard_csv": [
        ("GET", lambda w: "/reports/network/referrals.csv", _only("analyst", "admin")),
        ("GET", lambda w: "/reports/network/no-such-table.csv", _only("analyst", "admin", yes=404)),
    ],
    "reports.dashboard_zip": ("GET", lambda w: "/reports/network.zip", _only("analyst", "admin")),
    "reports.scorecard": ("GET", lambda w: "/reports/scorecard", PROVIDER_PAGE),
    "reports.freshness": ("GET", lambda w: "/reports/freshness", ADMIN_PAGE),
    "reports.confirm_listing": [
        ("GET", lambda w: "/reports/confirm/not-a-token", NOT_FOUND),
        ("POST", lambda w: "/reports/confirm/not-a-token", NOT_FOUND),
    ],
    # search
    "search.staff": [
        ("GET", lambda w: "/staff/search", STAFF_PAGE),
        # "Find a place" for a person: only their care team (the profile comes from the record)
        (
            "GET",
            lambda w: f"/staff/search?client={w.client.id}&item={_plan_item(w)}",
            VISIT_PAGE,
        ),
    ],
    "api.search": ("GET", lambda w: "/api/search", PUBLIC_PAGE),
    # referrals (pages)
    "referrals.clients": ("GET", lambda w: "/referrals/clients", VISIT_PAGE),
    "referrals.client_new": _page_and_post(
        lambda w: "/referrals/clients/new", VISIT_PAGE, VISIT_POST
    ),
    "referrals.client": ("GET", lambda w: f"/referrals/clients/{w.client.id}", VISIT_PAGE),
    "referrals.client_edit": _page_and_post(
        lambda w: f"/referrals/clients/{w.client.id}/edit", VISIT_PAGE, VISIT_POST
    ),
    # supervision conditions and "Add to plan" for a missing document (app.conditions)
    "conditions.edit": _page_and_post(
        lambda w: f"/referrals/clients/{w.client.id}/conditions", VISIT_PAGE, VISIT_POST
    ),
    "conditions.add_to_plan": (
        "POST",
        lambda w: f"/referrals/clients/{_plan_client(w)}/documents/birth_certificate/plan",
        VISIT_POST,
    ),
    "api.client_conditions": (
        "GET",
        lambda w: f"/api/clients/{w.client.id}/conditions",
        TOKEN_ONLY,
    ),
    "api.client_conditions_put": (
        "PUT",
        lambda w: f"/api/clients/{w.client.id}/conditions",
        TOKEN_ONLY,
    ),
    "api.client_texts": (
        "GET",
        lambda w: f"/api/clients/{w.client.id}/texts",
        TOKEN_ONLY,
    ),
    "referrals.team_add": ("POST", lambda w: f"/referrals/clients/{w.client.id}/team", VISIT_POST),
    "referrals.team_coordinator": (
        "POST",
        lambda w: f"/referrals/clients/{w.client.id}/team/{w.member.id}/coordinator",
        VISIT_POST,
    ),
    "referrals.team_remove": (
        "POST",
        lambda w: f"/referrals/clients/{w.client.id}/team/{w.member.id}/remove",
        VISIT_POST,
    ),
    "referrals.consent_new": _page_and_post(
        lambda w: f"/referrals/clients/{w.client.id}/consents/new", VISIT_PAGE, VISIT_POST
    ),
    "referrals.consent_revoke": _page_and_post(
        lambda w: f"/referrals/consents/{w.consent.id}/revoke", VISIT_PAGE, VISIT_POST
    ),
    # texts to the person (app.sms): the care team; Twilio's webhooks answer 403 unless signed
    "sms.consent": _page_and_post(
        lambda w: f"/referrals/clients/{w.client.id}/texts/consent", VISIT_PAGE, VISIT_POST
    ),
    "sms.send_card": ("POST", lambda w: f"/referrals/clients/{w.client.id}/texts/card", VISIT_POST),
    "sms.revoke": ("POST", lambda w: f"/referrals/clients/{w.client.id}/texts/stop", VISIT_POST),
    "sms.status_callback": ("POST", lambda w: "/sms/twilio/status", {r: 403 for r in ROLES}),
    "sms.inbound": ("POST", lambda w: "/sms/twilio/inbound", {r: 403 for r in ROLES}),
    "referrals.refer_pick": (
        "GET",
        lambda w: f"/referrals/refer?service={w.service_a.id}",
        VISIT_PAGE,
    ),
    "referrals.referral_new": _page_and_post(
        lambda w: f"/referrals/clients/{w.client.id}/refer?service={w.service_a.id}",
        VISIT_PAGE,
        VISIT_POST,
    ),
    "referrals.referral": (
        "GET",
        lambda w: f"/referrals/{w.referral.id}",
        _only("provider_a", "counselor", "admin"),
    ),
    "referrals.referral_step": [
        (
            "POST",
            lambda w: f"/referrals/{w.referral.id}/step/accept",
            _only("provider_a", "admin", yes=ALLOWED),
        ),
        (
            "POST",
            lambda w: f"/referrals/{w.referral.id}/step/cancel",
            _only("counselor", "admin", yes=ALLOWED),
        ),
    ],
    "referrals.inbox": (
        "GET",
        lambda w: "/referrals/inbox",
        _only("provider_a", "provider_b", "counselor", "admin"),
    ),
    "referrals.notifications": ("GET", lambda w: "/referrals/notifications", STAFF_PAGE),
    "referrals.notifications_read": (
        "POST",
        lambda w: "/referrals/notifications/read",
        STAFF_POST,
    ),
    # release plans (the client's care team and admins only)
    "plans.plan": ("GET", lambda w: f"/referrals/clients/{w.client.id}/plan", VISIT_PAGE),
    "plans.plan_start": (
        "POST",
        lambda w: f"/referrals/clients/{w.client.id}/plan/start",
        VISIT_POST,
    ),
    "plans.item_update": ("POST", lambda w: f"/plans/items/{_plan_item(w)}", VISIT_POST),
    "plans.item_add": ("POST", lambda w: f"/plans/{_plan_id(w)}/items", VISIT_POST),
    "plans.plan_release": (
        "POST",
        lambda w: f"/referrals/clients/{w.client.id}/plan/release",
        VISIT_POST,
    ),
    "plans.plan_released": ("GET", _released, VISIT_PAGE),
    # My caseload: counselors (their teams) and admins (everyone)
    "plans.caseload": ("GET", lambda w: "/caseload", VISIT_PAGE),
    "plans.print_person": (
        "GET",
        lambda w: _with_plan(w, f"/referrals/clients/{w.client.id}/plan/print/person"),
        VISIT_PAGE,
    ),
    "plans.print_staff": (
        "GET",
        lambda w: _with_plan(w, f"/referrals/clients/{w.client.id}/plan/print/staff"),
        VISIT_PAGE,
    ),
    "plans.plan_review": ("POST", lambda w: f"/plans/{_plan_id(w)}/reviews", VISIT_POST),
    "plans.plan_phase": ("POST", lambda w: f"/plans/{_plan_id(w)}/phase", VISIT_POST),
    "plans.item_refer": _page_and_post(
        lambda w: f"/plans/items/{_plan_item(w)}/refer?service={w.service_a.id}",
        VISIT_PAGE,
        VISIT_POST,
    ),
    # referral API (token auth only; the walk signs in with a session, which the API refuses)
    "api.referrals_create": ("POST", lambda w: "/api/referrals", TOKEN_ONLY),
    "api.referral_check": (
        "GET",
        lambda w: f"/api/referrals/check?client_id={w.client.id}&service_id={w.service_a.id}",
        TOKEN_ONLY,
    ),
    "api.referrals_list": ("GET", lambda w: "/api/referrals", TOKEN_ONLY),
    "api.referral": ("GET", lambda w: f"/api/referrals/{w.referral.id}", TOKEN_ONLY),
    "api.referral_transition": (
        "POST",
        lambda w: f"/api/referrals/{w.referral.id}/transitions",
        TOKEN_ONLY,
    ),
    "api.capacity_put": ("PUT", lambda w: f"/api/services/{w.service_a.id}/capacity", TOKEN_ONLY),
    "api.service_verify": ("POST", lambda w: f"/api/services/{w.service_a.id}/verify", TOKEN_ONLY),
    "api.referral_fhir": ("GET", lambda w: f"/api/referrals/{w.referral.id}/fhir", TOKEN_ONLY),
    # FHIR facade (token auth like the referral API; metadata is public; other paths 404)
    "fhir.metadata": ("GET", lambda w: "/fhir/metadata", PUBLIC_PAGE),
    "fhir.task": ("GET", lambda w: f"/fhir/Task/{w.referral.id}", TOKEN_ONLY),
    "fhir.service_request": ("GET", lambda w: f"/fhir/ServiceRequest/{w.referral.id}", TOKEN_ONLY),
    "fhir.consent": ("GET", lambda w: f"/fhir/Consent/{w.consent.id}", TOKEN_ONLY),
    "fhir.task_search": ("GET", lambda w: "/fhir/Task", TOKEN_ONLY),
    "fhir.healthcare_service_search": ("GET", lambda w: "/fhir/HealthcareService", TOKEN_ONLY),
    "fhir.organization_search": ("GET", lambda w: "/fhir/Organization", TOKEN_ONLY),
    "fhir.location_search": ("GET", lambda w: "/fhir/Location", TOKEN_ONLY),
    "fhir.unknown": ("GET", lambda w: "/fhir/Observation/1", NOT_FOUND),
    "fhir.organization": (
        "GET",
        lambda w: f"/fhir/Organization/{w.referral.organization_id}",
        TOKEN_ONLY,
    ),
    "fhir.healthcare_service": (
        "GET",
        lambda w: f"/fhir/HealthcareService/{w.service_a.id}",
        TOKEN_ONLY,
    ),
    "fhir.location": ("GET", lambda w: "/fhir/Location/1", TOKEN_ONLY),
    "fhir.practitioner": (
        "GET",
        lambda w: f"/fhir/Practitioner/{w.referral.referrer_id}",
        TOKEN_ONLY,
    ),
    "fhir.practitioner_role": (
        "GET",
        lambda w: f"/fhir/PractitionerRole/{w.referral.referrer_id}",
        TOKEN_ONLY,
    ),
    "fhir.patient": ("GET", lambda w: f"/fhir/Patient/{w.client.id}", TOKEN_ONLY),
    # release plan API (token auth only, like the referral API)
    "api.client_plan": ("GET", lambda w: f"/api/clients/{w.client.id}/plan", TOKEN_ONLY),
    "api.client_plan_start": ("POST", lambda w: f"/api/clients/{w.client.id}/plan", TOKEN_ONLY),
    "api.plan_item_add": ("POST", lambda w: f"/api/clients/{w.client.id}/plan/items", TOKEN_ONLY),
    "api.plan_document_item": (
        "POST",
        lambda w: f"/api/clients/{w.client.id}/plan/documents",
        TOKEN_ONLY,
    ),
    "api.plan_item_update": ("PATCH", lambda w: f"/api/plan-items/{_plan_item(w)}", TOKEN_ONLY),
    # HSDS read API (public open data) and its admin export
    "api.api_root": ("GET", lambda w: "/api/", PUBLIC_PAGE),
    "api.hsds_profile": ("GET", lambda w: "/api/profile", PUBLIC_PAGE),
    "api.openapi_document": ("GET", lambda w: "/api/openapi.json", PUBLIC_PAGE),
    "api.services": [
        ("GET", lambda w: "/api/services", PUBLIC_PAGE),
        ("POST", lambda w: "/api/services", PUBLIC_PAGE),
    ],  # HSDS 3.1 POST list
    "api.service": ("GET", lambda w: f"/api/services/{w.service_a.id}", PUBLIC_PAGE),
    "api.organizations": [
        ("GET", lambda w: "/api/organizations", PUBLIC_PAGE),
        ("POST", lambda w: "/api/organizations", PUBLIC_PAGE),
    ],  # HSDS 3.1 POST list
    "api.organization": ("GET", lambda w: f"/api/organizations/{w.org_a.id}", PUBLIC_PAGE),
    "api.service_at_locations": [
        ("GET", lambda w: "/api/service_at_locations", PUBLIC_PAGE),
        ("POST", lambda w: "/api/service_at_locations", PUBLIC_PAGE),
    ],  # HSDS 3.1 POST list
    "api.service_at_location": (
        "GET",
        lambda w: f"/api/service_at_locations/{w.service_a.service_at_locations[0].id}",
        PUBLIC_PAGE,
    ),
    "api.taxonomies": [
        ("GET", lambda w: "/api/taxonomies", PUBLIC_PAGE),
        ("POST", lambda w: "/api/taxonomies", PUBLIC_PAGE),
    ],  # HSDS 3.1 POST list
    "api.taxonomy": ("GET", lambda w: f"/api/taxonomies/{MISSING}", NOT_FOUND),
    "api.taxonomy_terms": [
        ("GET", lambda w: "/api/taxonomy_terms", PUBLIC_PAGE),
        ("POST", lambda w: "/api/taxonomy_terms", PUBLIC_PAGE),
    ],  # HSDS 3.1 POST list
    "api.taxonomy_term": ("GET", lambda w: f"/api/taxonomy_terms/{MISSING}", NOT_FOUND),
    "api.hsds_export_download": ("GET", lambda w: "/api/admin/hsds-export.zip", ADMIN_PAGE),
    # public pages, discharge cards, problem reports
    "public.search_page": ("GET", lambda w: "/search", PUBLIC_PAGE),
    "public.service": ("GET", lambda w: f"/services/{w.service_a.id}", PUBLIC_PAGE),
    "public.report": [
        ("GET", lambda w: f"/services/{w.service_a.id}/report", PUBLIC_PAGE),
        ("POST", lambda w: f"/services/{w.service_a.id}/report", {r: ALLOWED for r in ROLES}),
    ],
    "public.card_lookup": ("GET", lambda w: "/card", PUBLIC_PAGE),
    "public.card": ("GET", lambda w: f"/card/{CARD_CODE}", NOT_FOUND),
    "public.card_print": ("GET", lambda w: f"/card/{CARD_CODE}/print", NOT_FOUND),
    "public.card_pdf_download": ("GET", lambda w: f"/card/{CARD_CODE}/pdf", NOT_FOUND),
    "public.card_answer": (
        "POST",
        lambda w: f"/card/{CARD_CODE}/items/{MISSING}/answer",
        NOT_FOUND,
    ),
    "public.card_new": [
        ("GET", lambda w: f"/cards/new?client={w.client.id}", VISIT_PAGE),
        ("POST", lambda w: f"/cards/new?client={w.client.id}", VISIT_POST),
    ],
    "public.card_detail": (
        "GET",
        lambda w: f"/cards/{MISSING}",
        _only("counselor", "admin", yes=404),
    ),
    "public.card_revoke": (
        "POST",
        lambda w: f"/cards/{MISSING}/revoke",
        _only("counselor", "admin", yes=404),
    ),
    "public.problem_queue": ("GET", lambda w: "/admin/problem-reports", ADMIN_PAGE),
    "public.problem_close": (
        "POST",
        lambda w: f"/admin/problem-reports/{MISSING}/close",
        _only("admin", yes=404),
    ),
    # HSDS import uploads and duplicate review (app.interop.routes)
    "interop.imports": ("GET", lambda w: "/admin/hsds/imports", ADMIN_PAGE),
    "interop.upload": ("POST", lambda w: "/admin/hsds/imports", ADMIN_POST),
    "interop.import_run": (
        "GET",
        lambda w: f"/admin/hsds/imports/{MISSING}",
        _only("admin", yes=404),
    ),
    "interop.duplicates": ("GET", lambda w: "/admin/hsds/duplicates", ADMIN_PAGE),
    "interop.merge": (
        "POST",
        lambda w: f"/admin/hsds/duplicates/{MISSING}/merge",
        _only("admin", yes=404),
    ),
    "interop.keep_apart": (
        "POST",
        lambda w: f"/admin/hsds/duplicates/{MISSING}/keep-apart",
        _only("admin", yes=404),
    ),
    "interop.decide": ("POST", lambda w: "/admin/hsds/duplicates/decide", ADMIN_POST),
    # accounts
    "accounts.admin_home": ("GET", lambda w: "/account/admin", ADMIN_PAGE),
    "accounts.audit": ("GET", lambda w: "/account/audit", ADMIN_PAGE),
    "accounts.outbox": ("GET", lambda w: "/account/outbox", ADMIN_PAGE),
    "accounts.outbox_message": [
        ("GET", lambda w: f"/account/outbox/{_outbox_message()}", ADMIN_PAGE),
        ("GET", lambda w: f"/account/outbox/{MISSING}", _only("admin", yes=404)),
    ],
    "accounts.outbox_retry": (
        "POST",
        lambda w: f"/account/outbox/{MISSING}/retry",
        _only("admin", yes=404),
    ),
    "accounts.tokens": [
        ("GET", lambda w: "/account/tokens", STAFF_PAGE),
        ("POST", lambda w: "/account/tokens", STAFF_POST),
    ],
    "accounts.token_revoke": (
        "POST",
        lambda w: f"/account/tokens/{MISSING}/revoke",
        _only("provider_a", "provider_b", "counselor", "analyst", "admin", yes=404),
    ),
    "accounts.forgot_password": [
        ("GET", lambda w: "/account/forgot", PUBLIC_PAGE),
        ("POST", lambda w: "/account/forgot", {r: ALLOWED for r in ROLES}),
    ],
    "accounts.reset_password": [
        ("GET", lambda w: "/account/reset/not-a-token", {r: 404 for r in ROLES}),
        ("POST", lambda w: "/account/reset/not-a-token", {r: 404 for r in ROLES}),
    ],
    "accounts.me": [
        ("GET", lambda w: "/account/me", STAFF_PAGE),
        ("POST", lambda w: "/account/me", STAFF_POST),
    ],
    "accounts.users": ("GET", lambda w: "/account/users/", ADMIN_PAGE),
    "accounts.user_new": [
        ("GET", lambda w: "/account/users/new", ADMIN_PAGE),
        ("POST", lambda w: "/account/users/new", ADMIN_POST),
    ],
    "accounts.user_edit": [
        ("GET", lambda w: f"/account/users/{w.target_user.id}/edit", ADMIN_PAGE),
        ("POST", lambda w: f"/account/users/{w.target_user.id}/edit", ADMIN_POST),
    ],
    "accounts.user_toggle_active": (
        "POST",
        lambda w: f"/account/users/{w.target_user.id}/toggle-active",
        ADMIN_POST,
    ),
    "accounts.facilities": ("GET", lambda w: "/account/facilities/", ADMIN_PAGE),
    "residency.admin": ("GET", lambda w: "/residency/", ADMIN_PAGE),
    "residency.sites_upload": ("POST", lambda w: "/residency/sites", ADMIN_POST),
    "residency.rule_new": [
        ("GET", lambda w: "/residency/rules/new", ADMIN_PAGE),
        ("POST", lambda w: "/residency/rules/new", ADMIN_POST),
    ],
    "residency.rule_edit": [
        ("GET", lambda w: f"/residency/rules/{MISSING}", _only("admin", yes=404)),
        ("POST", lambda w: f"/residency/rules/{MISSING}", _only("admin", yes=404)),
    ],
    "accounts.facility_new": [
        ("GET", lambda w: "/account/facilities/new", ADMIN_PAGE),
        ("POST", lambda w: "/account/facilities/new", ADMIN_POST),
    ],
    # capacity
    "directory.capacity_overview": ("GET", lambda w: "/directory/capacity", PROVIDER_PAGE),
    "directory.capacity_update": (
        "POST",
        lambda w: f"/directory/capacity/{w.capacity_a.id}",
        ORG_A_POST,
    ),
    "directory.capacity_full": (
        "POST",
        lambda w: f"/directory/capacity/{w.capacity_a.id}/full",
        ORG_A_POST,
    ),
    "directory.capacity_confirm": (
        "POST",
        lambda w: f"/directory/capacity/{w.capacity_a.id}/confirm",
        ORG_A_POST,
    ),
    "directory.capacity_new": [
        ("GET", lambda w: f"/directory/services/{w.service_a.id}/capacity/new", ORG_A_PAGE),
        ("POST", lambda w: f"/directory/services/{w.service_a.id}/capacity/new", ORG_A_POST),
    ],
    "directory.capacity_history": (
        "GET",
        lambda w: f"/directory/capacity/{w.capacity_a.id}/history",
        _only("provider_a", "counselor", "admin"),
    ),
    # eligibility
    "directory.eligibility_edit": [
        ("GET", lambda w: f"/directory/services/{w.service_a.id}/eligibility", ORG_A_PAGE),
        ("POST", lambda w: f"/directory/services/{w.service_a.id}/eligibility", ORG_A_POST),
    ],
    "directory.eligibility_check": (
        "GET",
        lambda w: f"/directory/services/{w.service_a.id}/eligibility/check",
        STAFF_PAGE,
    ),
    # site visits
    "directory.site_visit_new": [
        ("GET", lambda w: f"/directory/services/{w.service_a.id}/visits/new", VISIT_PAGE),
        ("POST", lambda w: f"/directory/services/{w.service_a.id}/visits/new", VISIT_POST),
    ],
    "directory.site_visit": ("GET", lambda w: f"/directory/visits/{w.visit_a.id}", VISIT_PAGE),
}


def _login(client, user) -> None:  # noqa: ANN001
    response = client.post(
        "/account/login", data={"email": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302


def _check(response, expected: object) -> None:  # noqa: ANN001
    status = response.status_code
    if expected == LOGIN:
        assert status == 302 and "/account/login" in response.headers["Location"], status
    elif expected == ALLOWED:
        assert status in {200, 302, 303, 409, 422}, status
        if status in {302, 303}:
            assert "/account/login" not in response.headers["Location"]
    else:
        assert status == expected, f"got {status}, expected {expected}"


def _cases() -> list[tuple[str, str, object, dict]]:
    """Flatten ROUTES: an endpoint maps to one (method, path, expected) or a list of them."""
    cases = []
    for endpoint, spec in sorted(ROUTES.items()):
        for method, path, expected in spec if isinstance(spec, list) else [spec]:
            cases.append((endpoint, method, path, expected))
    return cases


CASES = _cases()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("endpoint", "method", "path", "expected"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_route_answers_each_role(app, client, world, endpoint, method, path, expected, role):  # noqa: ANN001
    if role != "anonymous":
        _login(client, world.users[role])
    url = path(world)
    response = client.open(url, method=method, data=None if method == "GET" else {})
    _check(response, expected[role])


def test_every_method_of_every_route_is_walked(app):  # noqa: ANN001
    walked = {(endpoint, method) for endpoint, method, _, _ in CASES}
    missing = sorted(
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
        if (rule.endpoint, method) not in walked
    )
    assert missing == []


def test_every_route_is_in_the_table(app):  # noqa: ANN001
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints - set(ROUTES) == set(), "add these routes to ROUTES with their expectations"
    assert set(ROUTES) - endpoints == set(), "ROUTES names endpoints the app does not have"


def test_every_view_declares_a_permission(app):  # noqa: ANN001
    undeclared = [
        name
        for name, view in app.view_functions.items()
        if name != "static" and not hasattr(view, "permission")
    ]
    assert undeclared == []


def test_unknown_ids_give_404(app, client, world):  # noqa: ANN001
    """Every route with an id, asked by an admin with an id that does not exist, answers 404."""
    _login(client, world.users["admin"])
    _, token = create_token(world.users["admin"], "route walk")
    db.session.commit()
    bearer = {"Authorization": f"Bearer {token}"}
    missing = str(uuid.uuid4())
    checked = 0
    for rule in app.url_map.iter_rules():
        ids = {arg for arg in rule.arguments if arg == "id" or arg.endswith("_id")}
        if not ids or rule.endpoint == "static":
            continue
        url = rule.build({arg: missing for arg in rule.arguments})[1]
        headers = bearer if getattr(app.view_functions[rule.endpoint], "token_auth", False) else {}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = None if method == "GET" else {}
            response = client.open(url, method=method, data=data, headers=headers)
            assert response.status_code == 404, f"{method} {url} -> {response.status_code}"
            checked += 1
    assert checked >= 10
