"""OpenAPI path of GET /api/search, registered into /api/openapi.json.

The endpoint existed without a line in the document, so no client or fuzzer knew its parameters;
the bounds here are the engine's own (app.search.query), read from there so they cannot drift.
"""

from __future__ import annotations

from typing import Any

from app.api.openapi import problem_response, register
from app.conditions.districts import District
from app.directory.vocabulary import Document, Gender, Supervision
from app.referrals.acceptance import PEOPLE
from app.search.params import PROFILE_FLAGS
from app.search.query import ELIGIBILITY_MODES, MAX_PAGE, MAX_PER_PAGE, MAX_RADIUS_MILES, SORTS

BOOL = {"type": "boolean"}
TEXT = {"type": "string", "maxLength": 200}
NULL_TEXT = {"type": ["string", "null"]}
NULL_TIME = {"type": ["string", "null"], "format": "date-time"}


def _is_choice(schema: dict[str, Any]) -> bool:
    return "enum" in schema or "enum" in schema.get("items", {})


def _q(name: str, schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    # An empty value means "not given" (as on the staff page's form), except for a choice
    # from a list: `?gender=` is refused with 400.
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "allowEmptyValue": not _is_choice(schema), "description": description,
            **extra}  # fmt: skip


PARAMETERS = [
    _q("q", TEXT, "Words to search for (typos are forgiven)."),
    _q("near", TEXT, "A town or ZIP code; results get a distance and a radius applies."),
    _q("radius_miles", {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_RADIUS_MILES},
       "Miles around `near`."),
    _q("need", {"type": "array", "items": {"type": "string"}},
       "Need area codes (repeat the parameter); a code includes its children.",
       style="form", explode=True),
    _q("has_capacity", BOOL, "Only services with fresh room."),
    _q("include_waitlist", BOOL, "With has_capacity: waitlists count as room."),
    _q("open_now", BOOL, "Only services open now (network time zone)."),
    _q("language", {"type": "string"}, "A language code, e.g. es (cut to 10 characters)."),
    _q("town", {"type": "string"}, "Only services in this town (cut to 100 characters)."),
    _q("district", {"type": "string", "enum": [d.value for d in District]},
       "Only services in the towns of this parole district office (the total, facets and "
       "pages are the district's); an unknown code answers 400."),
    _q("hide_barred", BOOL,
       "Staff token (counselor, administrator) and a person on the registry (`on_registry` or "
       "`client_id`): leave out housing barred by residency rules (counted in `hidden` as "
       "`barred`). Means nothing for anyone else."),
    _q("client_id", {"type": "string", "maxLength": 36},
       "A person whose record the token may see (care team, administrators): the search uses "
       "the person's own eligibility profile (profile parameters are ignored) and each result "
       "gets `conditions`, the warnings of the person's supervision conditions. Anyone else, "
       "and a call without a token, gets 404, as for an unknown id."),
    *[_q(flag, BOOL, "Eligibility profile: a yes/no answer.") for flag in PROFILE_FLAGS],
    _q("gender", {"type": "string", "enum": [g.value for g in Gender]}, "Eligibility profile."),
    _q("age", {"type": "integer", "minimum": 0, "maximum": 120}, "Eligibility profile."),
    # Longer values are cut, as on the staff search page, not refused: no maxLength to claim.
    _q("residence_town", {"type": "string"}, "Eligibility profile (cut to 100 characters)."),
    _q("county", {"type": "string"}, "Eligibility profile (cut to 100 characters)."),
    _q("supervision", {"type": "string", "enum": [s.value for s in Supervision]},
       "Eligibility profile."),
    _q("documents", {"type": "array", "items": {"type": "string",
                                                "enum": [d.value for d in Document]}},
       "Eligibility profile: documents the person has (repeat the parameter).",
       style="form", explode=True),
    _q("documents_known", BOOL, "True with no `documents`: the person has none of them."),
    _q("eligibility_mode", {"type": "string", "enum": list(ELIGIBILITY_MODES)},
       "hide_ineligible (default) or show_all with the reasons."),
    _q("sort", {"type": "string", "enum": list(SORTS)}, "distance needs `near`."),
    _q("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page number."),
    _q("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
       "Results per page."),
]  # fmt: skip

CHOICE_PARAMETERS = tuple(p["name"] for p in PARAMETERS if _is_choice(p["schema"]))

RESULT = {
    "type": "object",
    "required": ["id", "name", "organization", "capacity", "score"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "organization": {"type": "object", "properties": {"id": {"type": "string"},
                                                          "name": {"type": "string"}}},
        "sample_data": BOOL,
        "location": {"type": ["object", "null"]},
        "distance_miles": {"type": ["number", "null"]},
        "capacity": {"type": "object", "properties": {
            "status": NULL_TEXT, "stale": {"type": ["boolean", "null"]}, "updated": NULL_TIME,
            "figures": {"type": "array", "items": {"type": "object"}}}},
        "eligibility": {"type": ["object", "null"],
                        "description": "status: eligible, not_eligible, unknown or "
                                       "needs_documents; needs lists the missing document codes "
                                       "(needs documents never counts as refusing)"},
        "open_now": {"type": ["boolean", "null"]},
        "languages": {"type": "array", "items": {"type": "string"}},
        "last_verified_at": NULL_TIME,
        "score": {"type": "number"},
        "typo_match": {"type": ["boolean", "null"]},
        "residency": {
            "type": ["object", "null"],
            "description": "Only for a staff token searching for a person on the registry: "
                           "the residency verdict of a housing result (null for other "
                           "services). outcome: barred, clear, no_rule or no_position.",
            "properties": {"outcome": {"type": "string",
                                       "enum": ["barred", "clear", "no_rule", "no_position"]},
                           "barred": BOOL, "message": {"type": "string"}}},
        "conditions": {
            "type": "array",
            "description": "Only with `client_id`: what the person's supervision conditions "
                           "say about this service (curfew, allowed area); empty when nothing.",
            "items": {"type": "object", "required": ["code", "message"],
                      "properties": {"code": {"type": "string"},
                                     "message": {"type": "string"}}}},
        "acceptance": {
            "type": "array",
            "description": "Only with `client_id` and a counselor's or administrator's token: "
                           "how this service answered referrals of people with each "
                           "conviction-related answer the person has, in the last 12 months "
                           "(a figure built on fewer than 5 answered referrals is left out; "
                           "empty when none). The search ranks by them: each service's rank "
                           "× (1 + 0.3 × the lowest share accepted), on every page, as on the "
                           "staff page; `score` includes it.",
            "items": {"$ref": "#/components/schemas/AcceptanceFigure"}},
    },
}  # fmt: skip

ACCEPTANCE_FIGURE = {
    "type": "object",
    "description": "Who really accepts: one conviction-related answer's figure for a service.",
    "required": ["answer", "people", "accepted", "answered", "message"],
    "properties": {
        "answer": {"type": "string", "enum": list(PEOPLE)},
        "people": {"type": "string"},
        "accepted": {"type": "integer", "minimum": 0},
        "answered": {"type": "integer", "minimum": 5},
        "median_days_to_answer": {"type": ["number", "null"]},
        "message": {"type": "string"},
    },
}

RESULTS = {
    "type": "object",
    "required": ["total", "page", "per_page", "results", "facets"],
    "properties": {
        "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/SearchResult"}},
        "facets": {"type": "object"},
        "hidden": {
            "type": "object",
            "additionalProperties": {"type": "integer", "minimum": 0},
            "description": "How many the filters left out, by reason: refuses (would "
            "refuse this person), barred (residency rules), full, "
            "waitlist, assessment_required, no_figure (has room now).",
        },
        "did_you_mean": NULL_TEXT,
    },
}


@register
def search_fragment() -> dict[str, Any]:
    ok = {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResults"}}}
    return {
        "paths": {
            "/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search services, ranked, with capacity and eligibility",
                    "tags": ["Search"],
                    "parameters": PARAMETERS,
                    # public; a token (optional) adds the staff's residency and person parts
                    "security": [{}, {"bearerToken": []}],
                    "responses": {
                        "200": {"description": "One page of results", "content": ok},
                        "400": problem_response(
                            "A parameter is malformed or unknown (a place we cannot find, "
                            "a need area code, a district), or a choice parameter is given "
                            "empty; `parameter` names it."
                        ),
                        "401": problem_response(
                            "A token was sent and is not valid (leave it out to search as "
                            "the public)."
                        ),
                        "404": problem_response(
                            "`client_id` names no person whose record the token may see."
                        ),
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "SearchResults": RESULTS,
                "SearchResult": RESULT,
                "AcceptanceFigure": ACCEPTANCE_FIGURE,
            }
        },
        "tags": [{"name": "Search", "description": "The search engine as JSON (public)"}],
    }
