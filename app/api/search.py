"""GET /api/search: the search engine as JSON, for anyone (public data only).

Same parameters as the staff page (app.search.params). Bad parameters answer 400 with a problem
body naming the parameter; while the index is rebuilt, 503 with Retry-After (never a wait).
Results carry public catalog data only: no site-visit labels, and a stale capacity figure is
reported as status "unknown" with its date, without its numbers. A staff token adds what the
staff page shows for a person (app.api.search_person): residency verdicts, "hide barred
housing", and with `client_id` the person's own profile, their conditions' warnings and who
really accepts people like them (counselors and administrators).
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_limiter.util import get_remote_address

from app.api import bp
from app.api import search_person as for_person
from app.api.auth import PERSON_NOT_FOUND, optional_token_user
from app.errors import problem
from app.permissions import PUBLIC, requires
from app.search.params import request_from_args
from app.search.query import IndexUnavailable, SearchError
from app.search.query import search as run_search
from app.search.results import SearchResult
from app.search.zero_results import record_zero_result

UNAVAILABLE = {
    "rebuilding": "The search index is being rebuilt. Try again after Retry-After seconds.",
    "unusable": "The search index cannot be used on this server; the operators have been told.",
}


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def result_json(r: SearchResult, extras: for_person.Extras | None = None) -> dict[str, Any]:
    figures = []
    for c in r.capacity:
        figure: dict[str, Any] = {
            "unit": c.unit,
            "status": "unknown" if c.stale else c.status,
            "updated": _iso(c.updated),
            "stale": c.stale,
        }
        if not c.stale:
            figure.update(available=c.available, maximum=c.maximum)
        figures.append(figure)
    verdict = None
    if r.verdict is not None:
        verdict = {
            "status": str(r.verdict.status),
            "label": r.verdict.status.label,
            "reasons": [{"criterion": str(c), "message": m} for c, m in r.verdict.reasons],
            "questions": [{"criterion": str(c), "message": m} for c, m in r.verdict.questions],
            "needs": [str(d) for d in r.verdict.needs],
        }
    location = None
    if r.location is not None:
        location = {
            "id": r.location.id,
            "name": r.location.name,
            "address": r.location.address,
            "town": r.location.town,
            "latitude": r.location.latitude,
            "longitude": r.location.longitude,
        }
    found = {
        "id": r.service_id,
        "name": r.name,
        "organization": {"id": r.organization_id, "name": r.organization_name},
        "sample_data": r.is_sample,
        "location": location,
        "distance_miles": r.distance_miles,
        "capacity": {
            "status": r.capacity_status,
            "stale": r.capacity_stale,
            "updated": _iso(r.capacity_updated),
            "figures": figures,
        },
        "eligibility": verdict,
        "open_now": r.open_now,
        "languages": r.languages,
        "last_verified_at": _iso(r.last_verified_at),
        "score": r.score,
        "typo_match": r.typo_match,
    }
    if extras is not None and extras.residency is not None:
        found["residency"] = for_person.residency_json(extras.residency.get(r.service_id))
    if extras is not None and extras.warnings is not None:
        found["conditions"] = for_person.warnings_json(extras.warnings.get(r.service_id, []))
    if extras is not None and extras.acceptance is not None:
        found["acceptance"] = for_person.acceptance_json(extras.acceptance.get(r.service_id, []))
    return found


def _empty_choice() -> str | None:
    """The first choice parameter (gender, sort, documents …) given with an empty value: the
    staff page's forms send those for "any", the API refuses them as its document says."""
    for name in search_openapi.CHOICE_PARAMETERS:
        if any(not value.strip() for value in request.args.getlist(name)):
            return name
    return None


@bp.get("/search")
@requires(PUBLIC)
def search():  # noqa: ANN201
    empty = _empty_choice()
    if empty is not None:
        detail = f"{empty} must not be empty (leave the parameter out instead)"
        return problem(400, "Bad search parameter", detail, parameter=empty)
    user, refused = optional_token_user()
    if refused is not None:
        return refused
    try:
        client = for_person.person(user, request.args)
    except for_person.PersonNotFound:
        return problem(404, "Not Found", PERSON_NOT_FOUND, parameter="client_id")
    try:
        search_request = request_from_args(request.args)
        for_person.prepare(search_request, user, client, request.args)
        results = run_search(search_request, fallback=False)
    except SearchError as error:
        return problem(400, "Bad search parameter", error.message, parameter=error.parameter)
    except IndexUnavailable as error:  # being rebuilt in the background: never wait for it
        response = problem(503, "Search index unavailable", UNAVAILABLE[error.state])
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    if results.total == 0:
        record_zero_result(search_request, "api", throttle_key=get_remote_address())
    extras = for_person.extras(results, search_request, user, client)
    return jsonify(
        {
            "total": results.total,
            "page": results.page,
            "per_page": results.per_page,
            "results": [result_json(r, extras) for r in results.results],
            "facets": results.facets,
            "hidden": extras.hidden,
            "did_you_mean": results.did_you_mean,
        }
    )


from app.api import search_openapi  # noqa: E402  registers the OpenAPI path
