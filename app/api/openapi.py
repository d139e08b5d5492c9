"""One OpenAPI 3.1 document for the whole API, served at /api/openapi.json.

Built in Python from fragments: each API module registers a function returning
`{"paths": {...}, "components": {"schemas": {...}}, "tags": [...]}` with `@register`, and the
document merges them. The HSDS read endpoints are registered below; search, referrals and the
capacity write endpoints register theirs in their own modules (app/api/search.py,
app/api/referrals.py). Paths are relative to the server URL `/api`.

Every operation lists its 4xx answers with the Problem schema (RFC 9457 body from app/errors.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, jsonify

from app.api import bp
from app.interop.hsds_schema import openapi_components
from app.permissions import PUBLIC, requires

Fragment = Callable[[], dict[str, Any]]
_fragments: list[Fragment] = []

HSDS_VERSION = "3.1"  # what GET /api/ declares; the bundled schemas are HSDS 3.1's
PROFILE = {
    "name": f"Partners re-entry profile of HSDS {HSDS_VERSION}",
    "hsds_version": HSDS_VERSION,
    "description": (
        f"HSDS {HSDS_VERSION} objects validate against the core HSDS schemas (the published "
        "3.1 schemas, CC BY-SA 4.0). Re-entry information is added "
        "as extra properties whose names start with x_partners_; consumers that do not know "
        "them can ignore them. Ids are UUIDs; a few reference rows with readable ids of our "
        "own are published under stable name-based UUIDs (uuid5)."
    ),
    "extensions": {
        "service.x_partners_eligibility": "Structured eligibility rules: criterion, question, "
        "answer (yes, no, case_by_case, unknown), values, min_age, max_age, note, and on a "
        "documents rule strict: true when the provider marked those documents strictly "
        "required (a person without them is not eligible; otherwise a missing document means "
        "'needs documents').",
        "service.x_partners_capacity_status": "One code for the service's capacity: has_room, "
        "waitlist, assessment_required, full, unknown (every figure is stale), not_listed.",
        "service.x_partners_capacities": "Every capacity figure with status, waitlist and "
        "stale flag, including figures without a count (HSDS capacities need one).",
        "service.x_partners_last_verified": "When the provider last confirmed the record "
        "(date-time); HSDS assured_date carries its date.",
        "service.x_partners_translations": "In full services: the provider's own wording in "
        "other languages, one object per language: language (es) and any of name, "
        "description, documents (what to bring, one item a line), application_process, "
        "fees_description, eligibility_description, alert. A missing field means the English "
        "is shown.",
        "organization.x_partners_sample_data": "True for invented demo organizations.",
        "taxonomy_term.x_partners_name_es": "Spanish name of a need area.",
        "service_at_location.x_partners_distance_m": "Metres from the postcode centroid when "
        "proximity was asked for.",
        "csv": "service_capacity.csv adds x_partners_status, x_partners_waitlist_length and "
        "x_partners_expected_wait; organizations.csv adds x_partners_sample_data; "
        "taxonomy_terms.csv adds x_partners_name_es; x_partners_eligibility_rules.csv holds "
        "the structured rules (the same fields; strict is true, false or empty); "
        "x_partners_service_translations.csv holds services' wording "
        "in other languages (id, service_id, language and the fields above); attributes.csv "
        "links services to taxonomy terms.",
    },
    "not_published": "assurer_email (staff e-mail), site visits, users, clients, consent and "
    "referrals are never part of the API or the export.",
}


ERROR_RULES = """Errors are RFC 9457 problem bodies (`application/problem+json`).

- **400**: a query parameter of the HSDS read operations or of search is malformed, out of
  range, or empty where it must not be (a UUID, a date-time, a choice from a list: leave the
  parameter out instead); `parameter` names it. Also any request with a control character
  (such as NUL) in its path, query or body, or JSON nested too deep.
- **422**: bad input to the token operations (referrals, release plans, capacity): a body
  member or query parameter that is missing, malformed, empty or breaks a rule the schema
  cannot state (no consent, a missing reason, an implausible date); `field` names it.
- **401** no or a bad token, **403** your role or side cannot, **404** no such object you may
  see, **409** a step that cannot happen now or a stale `version`, **413** a body too large.
- **405** a method the path does not have (TRACE included); the `Allow` header lists those it
  has.

Unknown query parameters are ignored, as HSDS allows.
"""


def register(fragment: Fragment) -> Fragment:
    """Add a module's paths and components to the document (use as a decorator)."""
    _fragments.append(fragment)
    return fragment


PROBLEM = {
    "type": "object",
    "required": ["title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "parameter": {"type": "string", "description": "The query parameter at fault."},
    },
}
PAGE = {
    "type": "object",
    "required": ["total_items", "total_pages", "page_number", "size", "first_page",
                 "last_page", "empty", "contents"],
    "properties": {
        "total_items": {"type": "integer", "minimum": 0},
        "total_pages": {"type": "integer", "minimum": 0},
        "page_number": {"type": "integer", "minimum": 1},
        "size": {"type": "integer", "minimum": 0, "description": "Items on this page."},
        "first_page": {"type": "boolean"},
        "last_page": {"type": "boolean"},
        "empty": {"type": "boolean", "description": "True when this page has no items."},
        "contents": {"type": "array", "items": {},
                     "description": "The items; each list operation names their schema."},
    },
}  # fmt: skip


def problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }


BAD_REQUEST = problem_response(
    "A query parameter is malformed, out of range, or empty where it must not be (a UUID, a "
    "date-time, a choice from a list); `parameter` names it."
)
NOT_FOUND = problem_response("No object with this id.")
CLIENT_ERROR = problem_response("Any client error (this operation has no specific one).")


EMPTY_REFUSED = {"uuid", "date-time"}


def may_be_empty(schema: dict[str, Any]) -> bool:
    """`?page=` means "not given", as on the pages' forms; an empty UUID, date-time or choice
    from a list is refused (400 on the read API, 422 on the referral API)."""
    return "enum" not in schema and schema.get("format") not in EMPTY_REFUSED


def _param(name: str, schema: dict, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "allowEmptyValue": may_be_empty(schema), "description": description}  # fmt: skip


UUID = {"type": "string", "format": "uuid"}
BOOL = {"type": "boolean"}
PARAMS = {
    "search": _param("search", {"type": "string", "maxLength": 200}, "Full text search."),
    "page": _param("page", {"type": "integer", "minimum": 1, "maximum": 1_000_000}, "Page number."),
    "per_page": _param("per_page", {"type": "integer", "minimum": 1, "maximum": 100},
                       "Results per page (at most API_MAX_PER_PAGE, 100 by default)."),
    "format": _param("format", {"type": "string", "enum": ["json", "ndjson"]},
                     "ndjson streams every result, one JSON object a line, without paging."),
    "taxonomy_term_id": _param("taxonomy_term_id", UUID, "Only records with this term."),
    "taxonomy_id": _param("taxonomy_id", UUID, "Only records with a term of this taxonomy."),
    "organization_id": _param("organization_id", UUID, "Only this organization's services."),
    "modified_after": _param("modified_after", {"type": "string", "format": "date-time"},
                             "Only records changed on or after this moment (ISO 8601)."),
    "minimal": _param("minimal", BOOL, "Only id and last_modified of each service."),
    "full": _param("full", BOOL, "Fully nested objects."),
    "full_service": _param("full_service", BOOL, "Organizations with fully nested services."),
    "postcode": _param("postcode", {"type": "string", "maxLength": 10},
                       "Locations with an address in this postcode; with proximity, the point "
                       "distances are measured from (its centroid)."),
    "proximity": _param("proximity", {"type": "number", "exclusiveMinimum": 0,
                                      "maximum": 500000},
                        "Metres from the centroid of `postcode` (needs postcode)."),
    "parent_id": _param("parent_id", UUID, "Only children of this term."),
    "top_only": _param("top_only", BOOL, "Only terms without a parent."),
}  # fmt: skip


def page_of(items: dict[str, Any]) -> dict[str, Any]:
    """The Page envelope with its contents' schema. Written out, not `allOf` with Page and a
    contents override: openapi-python-client merges those into one list type for every page."""
    contents = {"type": "array", "items": items}
    return {**PAGE, "properties": {**PAGE["properties"], "contents": contents}}


def _schema(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def list_body(params: list[str]) -> dict[str, Any]:
    """The POST variant's body: the same parameters as JSON members of their own types."""
    properties = {p: {**PARAMS[p]["schema"], "description": PARAMS[p]["description"]}
                  for p in params}  # fmt: skip
    return {"required": False, "description": LIST_BODY_TEXT, "content": {
        "application/json": {"schema": {"type": "object", "properties": properties}}}}  # fmt: skip


LIST_BODY_TEXT = (
    "The same parameters as the query string, as members of a JSON object (HSDS 3.1's POST "
    "list operations, for queries too long for a URL). A parameter may be given in the query "
    "string or the body, not both (400). Unknown members are ignored."
)


def _list_op(op_id: str, summary: str, params: list[str], items: dict) -> dict[str, Any]:
    page = page_of(items)
    get = {
        "operationId": op_id, "summary": summary, "tags": ["HSDS"],
        "parameters": [PARAMS[p] for p in params],
        "responses": {
            "200": {"description": summary, "content": {
                "application/json": {"schema": page},
                "application/x-ndjson": {"schema": {"type": "string"}},
            }},
            "400": BAD_REQUEST,
        },
    }  # fmt: skip
    post = {**get, "operationId": f"{op_id}Post", "summary": f"{summary} (query in a JSON body)",
            "requestBody": list_body(params)}  # fmt: skip
    return {"get": get, "post": post}


PATH_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}


def _item_op(op_id: str, summary: str, schema: dict, params: tuple[str, ...] = ()) -> dict:
    responses: dict[str, Any] = {
        "200": {"description": summary, "content": {"application/json": {"schema": schema}}},
        "404": NOT_FOUND,
    }
    if params:
        responses["400"] = BAD_REQUEST
    return {
        "parameters": [PATH_ID],
        "get": {"operationId": op_id, "summary": summary, "tags": ["HSDS"],
                "parameters": [PARAMS[p] for p in params], "responses": responses},
    }  # fmt: skip


PROFILE_ANSWER = (
    "JSON by default; a readable HTML page when the Accept header prefers text/html (a browser)."
)
LIST_FILTERS = ["search", "page", "per_page", "format"]
SERVICE_FILTERS = ["taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after"]


@register
def hsds_fragment() -> dict[str, Any]:
    any_service = {"anyOf": [_schema("HsdsServiceListItem"), _schema("ServiceMinimal"),
                             _schema("HsdsService")]}  # fmt: skip
    any_org = {"anyOf": [_schema("HsdsOrganizationListItem"), _schema("HsdsOrganization")]}
    any_sal = {"anyOf": [_schema("HsdsServiceAtLocationListItem"),
                         _schema("HsdsServiceAtLocation")]}  # fmt: skip
    about = {"type": "object", "required": ["version", "profile", "openapi_url"], "properties": {
        "version": {"type": "string"}, "profile": {"type": "string", "format": "uri"},
        "openapi_url": {"type": "string", "format": "uri"}}}  # fmt: skip
    paths = {
        "/": {"get": {"operationId": "getApiInfo", "summary": "HSDS version, profile, OpenAPI",
                      "tags": ["HSDS"], "responses": {"200": {"description": "About this API",
                      "content": {"application/json": {"schema": about}}}, "4XX": CLIENT_ERROR}}},
        "/profile": {"get": {"operationId": "getProfile", "summary": "Our HSDS profile",
                             "tags": ["HSDS"], "responses": {"200": {"description": PROFILE_ANSWER,
                             "content": {"application/json": {"schema": {"type": "object"}},
                                         "text/html": {"schema": {"type": "string"}}}},
                             "4XX": CLIENT_ERROR}}},
        "/openapi.json": {"get": {"operationId": "getOpenApiDocument",
                                  "summary": "This document (OpenAPI 3.1)", "tags": ["HSDS"],
                                  "responses": {"200": {"description": "The OpenAPI document",
                                  "content": {"application/json": {"schema": {
                                      "type": "object", "required": ["openapi", "paths"],
                                      "additionalProperties": True}}}},
                                  "4XX": CLIENT_ERROR}}},
        "/admin/hsds-export.zip": {"get": {
            "operationId": "downloadHsdsExport", "tags": ["HSDS"],
            "summary": "The whole HSDS datapackage as a zip (administrators, signed in)",
            "description": "For an administrator's browser session (the admin pages link "
            "it), not for tokens: `flask hsds export` gives programs the same files. Without "
            "a session it redirects to the sign-in page.",
            "security": [{"sessionCookie": []}],
            "responses": {
                "200": {"description": "datapackage.json and every CSV table", "content": {
                    "application/zip": {"schema": {"type": "string", "format": "binary",
                                                   "contentMediaType": "application/zip"}}}},
                "302": {"description": "Not signed in: to the sign-in page.", "headers": {
                    "Location": {"schema": {"type": "string"}}}},
                "403": problem_response("Signed in, but not an administrator."),
            }}},
        "/services": _list_op("listServices", "Services",
                              [*LIST_FILTERS, *SERVICE_FILTERS, "minimal", "full"], any_service),
        "/services/{id}": _item_op("getService", "A fully nested service",
                                   _schema("HsdsService")),
        "/organizations": _list_op("listOrganizations", "Organizations",
                                   [*LIST_FILTERS, "taxonomy_term_id", "taxonomy_id", "full",
                                    "full_service"], any_org),
        "/organizations/{id}": _item_op("getOrganization", "A fully nested organization",
                                        _schema("HsdsOrganization"), ("full_service",)),
        "/service_at_locations": _list_op(
            "listServiceAtLocations", "Services at locations",
            [*LIST_FILTERS, *SERVICE_FILTERS, "full", "postcode", "proximity"], any_sal),
        "/service_at_locations/{id}": _item_op("getServiceAtLocation", "A service at a location",
                                               _schema("HsdsServiceAtLocation")),
        "/taxonomies": _list_op("listTaxonomies", "Taxonomies", LIST_FILTERS,
                                _schema("HsdsTaxonomy")),
        "/taxonomies/{id}": _item_op("getTaxonomy", "A taxonomy", _schema("HsdsTaxonomy")),
        "/taxonomy_terms": _list_op("listTaxonomyTerms", "Taxonomy terms",
                                    [*LIST_FILTERS, "taxonomy_id", "parent_id", "top_only"],
                                    _schema("HsdsTaxonomyTerm")),
        "/taxonomy_terms/{id}": _item_op("getTaxonomyTerm", "A taxonomy term",
                                         _schema("HsdsTaxonomyTerm")),
    }  # fmt: skip
    minimal = {"type": "object", "required": ["id", "last_modified"], "properties": {
        "id": UUID, "last_modified": {"type": "string", "format": "date-time"}}}  # fmt: skip
    schemas = {"Page": PAGE, "ServiceMinimal": minimal, **openapi_components()}
    tags = [{"name": "HSDS", "description": f"Open Referral HSDS {HSDS_VERSION} read API"}]
    session = {
        "sessionCookie": {
            "type": "apiKey",
            "in": "cookie",
            "name": "session",
            "description": "The signed-in browser session of the site.",
        }
    }
    components = {"schemas": schemas, "securitySchemes": session}
    return {"paths": paths, "components": components, "tags": tags}


def build_document() -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Partners API",
            "version": "1.0.0",
            "summary": f"Re-entry resource directory: HSDS {HSDS_VERSION} open data and "
            "referral network.",
            "description": ERROR_RULES,
            "license": {"name": "Data: CC BY-SA 4.0 (HSDS schemas)", "identifier": "CC-BY-SA-4.0"},
        },  # fmt: skip
        "servers": [{"url": "/api"}],
        "paths": {},
        "components": {"schemas": {"Problem": PROBLEM}},
        "tags": [],
    }
    for fragment in _fragments:
        part = fragment()
        doc["paths"].update(part.get("paths", {}))
        for kind, entries in part.get("components", {}).items():
            doc["components"].setdefault(kind, {}).update(entries)
        doc["tags"].extend(part.get("tags", []))
    _document_request_guard(doc["paths"])
    return doc


GUARDED = problem_response(
    "A control character (such as NUL) in the path, query or body, or JSON nested too deep: "
    "refused before the operation runs."
)
TOO_LARGE = problem_response("The request body is larger than the server accepts.")


def _document_request_guard(paths: dict[str, Any]) -> None:
    """Every operation may answer 400 (and, with a body, 413) from app.input_guard."""
    for item in paths.values():
        for method, operation in item.items():
            if method in {"get", "put", "post", "patch", "delete"}:
                operation["responses"].setdefault("400", GUARDED)
                if "requestBody" in operation:
                    operation["responses"].setdefault("413", TOO_LARGE)


@bp.get("/openapi.json")
@requires(PUBLIC)
def openapi_document() -> Response:
    return jsonify(build_document())
