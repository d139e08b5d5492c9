"""The staff search page: one GET form, results with every label, facets as links, paging.

All state is in the query string (shareable, the back button works, no JavaScript needed).
Bad input (an unknown place, a radius out of range...) is shown next to its field with status
422, never as an error page. A search that finds nothing is recorded without personal data.

Opened for a person (?client=<id>, ?item=<id> from their release plan: "Find a place"), the
eligibility profile is read from the client record after checking the user may see it; the URL
carries ids only. Results come first under a one-line summary of what was asked, with a line
saying what the person's filters hid and why ("show them" keeps them, marked).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_login import current_user

from app.conditions.checks import page_warnings
from app.conditions.districts import District, parse_district
from app.conditions.services import conditions_of
from app.directory.services import LANGUAGE_NAMES
from app.directory.taxonomy import need_areas
from app.extensions import db
from app.permissions import authorize, can, requires
from app.plans.models import PlanItem
from app.plans.places import destination, prefilled, with_destination
from app.referrals.acceptance_view import page_evidence, rank_by_acceptance
from app.referrals.clients import client_profile
from app.referrals.models import Client
from app.residency import staff as residency
from app.search.forms import SearchForm
from app.search.hidden import LABELS as HIDDEN_LABELS
from app.search.hidden import hidden_line
from app.search.params import parse_bool, request_from_args
from app.search.query import DEFAULT_RADIUS_MILES, SearchError, search
from app.search.staff import site_visit_concerns
from app.search.summary import search_summary
from app.search.sync import kick_if_pending
from app.search.typed_radius import radius_from_place
from app.search.zero_results import record_zero_result

bp = Blueprint("search", __name__)

CAPACITY_LABELS = {
    "has_room": "Has room",
    "waitlist": "Waitlist",
    "assessment_required": "Assessment required",
    "full": "Full",
    "not_listed": "No capacity listed",
    "unknown": "Unknown — figure too old",
}
# Parameters shown on other fields of the form than their own name.
FIELD_OF = {"per_page": None, "page": None}


def _args_with(base: Any, **changes: Any) -> dict[str, Any]:
    """The search's query string with some parameters replaced (None removes); page resets."""
    args = base.to_dict(flat=False)
    args.pop("page", None)
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = value
    return args


def _links(base: Any) -> tuple[Callable[..., str], Callable[[str, str], str | None]]:
    """search_url(**changes) and facet_url(kind, value) over the search as run (with the
    plan's defaults filled in, so paging and facets keep them)."""

    def search_url(**changes: Any) -> str:
        return url_for("search.staff", **_args_with(base, **changes))

    def facet_url(kind: str, value: str) -> str | None:
        if kind == "need_area":
            needs = base.getlist("need")
            return None if value in needs else search_url(need=[*needs, value])
        if kind == "town":
            return search_url(town=value)
        if kind == "language":
            return search_url(language=value)
        if kind == "capacity_status" and value == "has_room":
            return search_url(has_capacity="1", include_waitlist=None)
        if kind == "capacity_status" and value == "waitlist":
            return search_url(has_capacity="1", include_waitlist="1")
        return None

    return search_url, facet_url


@dataclass
class Person:
    """The person a search is for (?client=<id>, and ?item=<id> from their plan)."""

    client: Client
    item: PlanItem | None


def _person() -> Person | None:
    """Loaded by id, then checked: 404 for an unknown id, 403 off the person's care team."""
    client_id = request.args.get("client", "").strip()
    item_id = request.args.get("item", "").strip()
    if not client_id and not item_id:
        return None
    item = db.session.get(PlanItem, item_id) if item_id else None
    if item_id and item is None:
        abort(404)
    client_id = client_id or item.plan.client_id  # type: ignore[union-attr]
    client = db.session.get(Client, client_id)
    if client is None:
        abort(404)
    authorize("client.view", client)
    if item is not None:
        if item.plan.client_id != client.id:
            abort(404)
        authorize("plan.view", item)
    return Person(client, item)


def _refer_links(person: Person | None) -> Callable[[Any], str]:
    """Where a result's refer button goes: this item's referral form, this person's, or the
    page that asks whom to refer."""

    def refer_url(result: Any) -> str:
        if person is not None and person.item is not None:
            location = result.location.id if result.location else None
            return url_for(
                "plans.item_refer",
                item_id=person.item.id,
                service=result.service_id,
                location=location,
            )
        if person is not None:
            return url_for(
                "referrals.referral_new", client_id=person.client.id, service=result.service_id
            )
        return url_for("referrals.refer_pick", service=result.service_id)

    return refer_url


@bp.get("/staff/search")
@requires("directory.browse")
def staff():  # noqa: ANN201
    person = _person()
    asked = radius_from_place(request.args)
    args = prefilled(asked, person.client, person.item) if person else asked
    run_args = with_destination(args, person.client) if person else args
    areas = need_areas()
    form = SearchForm(formdata=args if args else None)
    form.set_choices(areas)
    form.keep_radius()
    town = destination(person.client) if person else None
    if town:
        form.at_destination.label.text = f"Near where the person is going ({town})"
    results, problem, status, summary = None, None, 200, None
    radius, showing_hidden = DEFAULT_RADIUS_MILES, False
    internal = can(current_user, "site_visit.view")
    concerns: dict = {}
    evidence: dict = {}
    acceptance_ranked = 0  # services whose figures lift their rank in this search
    residency_page = None
    conditions = conditions_of(person.client) if person else None
    condition_warnings: dict = {}
    district, district_line = _district(args), None
    area_names = {a.code: a.name for a in areas}
    if args:
        kick_if_pending(current_app)
        try:
            search_request = request_from_args(run_args)
            search_request.show_hidden = bool(parse_bool(args, "show_hidden"))
            if person is not None:  # from the record, never from the URL
                search_request.profile = client_profile(person.client)
            if district is not None:  # a filter of the search: total, facets, pages
                search_request.towns = district.towns
            hiding_barred = bool(parse_bool(args, "hide_barred"))
            if hiding_barred:
                residency.hide_barred(search_request, current_user)
            ranking_by_acceptance = person is not None and can(current_user, "acceptance.view")
            if ranking_by_acceptance:
                rank_by_acceptance(search_request, person.client)
            results = search(search_request)
        except SearchError as error:
            problem, status = error, 422
            field = FIELD_OF.get(error.parameter, error.parameter)
            if field and field in form:
                form[field].errors = [*form[field].errors, error.message]
        else:
            if results.total == 0 and not results.fallback:  # plain fallback: not a real zero
                record_zero_result(search_request, "staff")
            # Registry residency limits, on this page's housing results (app/residency/staff.py).
            residency_page = residency.for_results(
                results,
                search_request.profile,
                current_user,
                hide=hiding_barred,
            )
            if district is not None:
                district_line = _district_line(results, district)
            if internal:
                concerns = site_visit_concerns([r.service_id for r in results.results])
            if ranking_by_acceptance:
                evidence = page_evidence(results, person.client)
                if search_request.sort == "relevance":
                    acceptance_ranked = len(search_request.acceptance)
            condition_warnings = page_warnings(conditions, results.results)
            radius = search_request.radius_miles or DEFAULT_RADIUS_MILES
            showing_hidden = search_request.show_hidden
            summary = search_summary(
                search_request,
                area_names,
                place=results.place,
                person=person is not None,
                languages=LANGUAGE_NAMES,
                district=district.label if district is not None else None,
                hiding_barred=hiding_barred and residency_page is not None,
            )
    pages = math.ceil(results.total / results.per_page) if results else 0
    search_url, facet_url = _links(args)
    # Where "Back to results" on a service page returns: this very page of this search.
    here = url_for("search.staff", **args.to_dict(flat=False)) if results else None
    return (
        render_template(
            "search/staff.html",
            form=form,
            results=results,
            problem=problem,
            pages=pages,
            internal=internal,
            concerns=concerns,
            evidence=evidence,
            acceptance_ranked=acceptance_ranked,
            area_names=area_names,
            capacity_labels=CAPACITY_LABELS,
            search_url=search_url,
            facet_url=facet_url,
            person=person,
            destination=town,
            radius=radius,
            summary=summary,
            hidden_line=hidden_line(results.hidden) if results else None,
            showing_hidden=showing_hidden,
            hidden_labels=HIDDEN_LABELS,
            refer_url=_refer_links(person),
            back=here,
            residency=residency_page,
            residency_offered=can(current_user, "residency.view"),
            conditions=conditions,
            condition_warnings=condition_warnings,
            districts=list(District),
            district=district,
            district_line=district_line,
        ),
        status,
    )


def _district(args: Any) -> District | None:
    """The parole district filter (?district=<code>); an unknown code is ignored."""
    try:
        return parse_district(args.get("district"))
    except ValueError:
        return None


def _district_line(results: Any, district: District) -> str:
    """The search kept the district's towns only; say so (each town is a link)."""
    found = results.total
    return f"{district.label}: {found} place{'' if found == 1 else 's'} found in its towns"
