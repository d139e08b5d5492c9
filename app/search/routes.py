"""The staff search page: one GET form, results with every label, facets as links, paging.

All state is in the query string (shareable, the back button works, no JavaScript needed).
Bad input (an unknown place, a radius out of range...) is shown next to its field with status
422, never as an error page. A search that finds nothing is recorded without personal data.
"""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user

from app.directory.taxonomy import need_areas
from app.permissions import can, requires
from app.search.forms import SearchForm
from app.search.params import request_from_args
from app.search.query import SearchError, search
from app.search.staff import site_visit_concerns
from app.search.sync import kick_if_pending
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


def _args_with(**changes: Any) -> dict[str, Any]:
    """The current query string with some parameters replaced (None removes); page resets."""
    args = request.args.to_dict(flat=False)
    args.pop("page", None)
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = value
    return args


def search_url(**changes: Any) -> str:
    return url_for("search.staff", **_args_with(**changes))


def facet_url(kind: str, value: str) -> str | None:
    if kind == "need_area":
        needs = request.args.getlist("need")
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


@bp.get("/staff/search")
@requires("directory.browse")
def staff():  # noqa: ANN201
    areas = need_areas()
    form = SearchForm(formdata=request.args if request.args else None)
    form.set_choices(areas)
    results, problem, status = None, None, 200
    internal = can(current_user, "site_visit.view")
    concerns: dict = {}
    if request.args:
        kick_if_pending(current_app)
        try:
            search_request = request_from_args(request.args)
            results = search(search_request)
        except SearchError as error:
            problem, status = error, 422
            field = FIELD_OF.get(error.parameter, error.parameter)
            if field and field in form:
                form[field].errors = [*form[field].errors, error.message]
        else:
            if results.total == 0 and not results.fallback:  # plain fallback: not a real zero
                record_zero_result(search_request, "staff")
            if internal:
                concerns = site_visit_concerns([r.service_id for r in results.results])
    pages = math.ceil(results.total / results.per_page) if results else 0
    return (
        render_template(
            "search/staff.html",
            form=form,
            results=results,
            problem=problem,
            pages=pages,
            internal=internal,
            concerns=concerns,
            area_names={a.code: a.name for a in areas},
            capacity_labels=CAPACITY_LABELS,
            search_url=search_url,
            facet_url=facet_url,
        ),
        status,
    )
