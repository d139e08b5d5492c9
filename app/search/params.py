"""A query string -> SearchRequest, the same for the staff page and GET /api/search.

Every malformed value raises SearchError naming the parameter, so the page can show it next to
the field and the API can answer 400 with a problem body; range checks (radius, per_page, need
areas, places) are the engine's (app.search.query._validate).

Profile parameters use the EligibilityProfile field names (the PROFILE_FLAGS of
app.directory.vocabulary, gender, age, county, supervision, documents), except the person's town,
which is `residence_town` because `town` is the filter on where services are. `documents` is
repeatable; `documents_known=1` with no `documents` says "has none of them". A profile is used
only when at least one of its fields is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.directory import vocabulary
from app.directory.eligibility import EligibilityProfile
from app.directory.vocabulary import Document, Gender, Supervision
from app.search.query import SearchError, SearchRequest

TRUE = frozenset({"1", "true", "yes", "on", "y"})
FALSE = frozenset({"0", "false", "no", "off", "n"})
PROFILE_FLAGS = tuple(flag.name for flag in vocabulary.PROFILE_FLAGS)
PROFILE_FIELDS = (
    *PROFILE_FLAGS,
    "gender",
    "age",
    "residence_town",
    "county",
    "supervision",
    "documents",
    "documents_known",
)
MAX_TEXT = 200


def _get(args: Any, name: str) -> str:
    value = args.get(name)
    return value.strip() if isinstance(value, str) else ""


def _list(args: Any, name: str) -> list[str]:
    values = args.getlist(name) if hasattr(args, "getlist") else [args.get(name)]
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def parse_bool(args: Any, name: str) -> bool | None:
    """True/False, or None when absent or blank ("not known")."""
    value = _get(args, name).lower()
    if not value:
        return None
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise SearchError(name, f"{name} must be true or false (got “{value[:40]}”)")


def parse_int(args: Any, name: str, default: int | None) -> int | None:
    value = _get(args, name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SearchError(name, f"{name} must be a whole number (got “{value[:40]}”)") from None


def parse_float(args: Any, name: str) -> float | None:
    value = _get(args, name)
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise SearchError(name, f"{name} must be a number (got “{value[:40]}”)") from None
    if number != number or number in (float("inf"), float("-inf")):  # NaN or infinite
        raise SearchError(name, f"{name} must be a number")
    return number


def _enum(args: Any, name: str, enum_cls: type) -> Any:
    value = _get(args, name)
    if not value:
        return None
    try:
        return enum_cls(value)
    except ValueError:
        choices = ", ".join(m.value for m in enum_cls)
        raise SearchError(name, f"{name} must be one of: {choices}") from None


def profile_from_args(args: Mapping[str, Any]) -> EligibilityProfile | None:
    if not any(_list(args, name) for name in PROFILE_FIELDS):
        return None
    age = parse_int(args, "age", None)
    if age is not None and not 0 <= age <= 120:
        raise SearchError("age", "age must be between 0 and 120")
    documents = None
    codes = _list(args, "documents")
    if codes or parse_bool(args, "documents_known"):
        try:
            documents = frozenset(Document(c) for c in codes)
        except ValueError:
            choices = ", ".join(d.value for d in Document)
            raise SearchError("documents", f"documents must be among: {choices}") from None
    return EligibilityProfile(
        **{flag: parse_bool(args, flag) for flag in PROFILE_FLAGS},
        gender=_enum(args, "gender", Gender),
        age=age,
        town=_get(args, "residence_town")[:100] or None,
        county=_get(args, "county")[:100] or None,
        supervision=_enum(args, "supervision", Supervision),
        documents=documents,
    )


def request_from_args(args: Mapping[str, Any]) -> SearchRequest:
    """SearchError for any malformed parameter."""
    return SearchRequest(
        text=_get(args, "q")[:MAX_TEXT],
        near=_get(args, "near")[:MAX_TEXT] or None,
        radius_miles=parse_float(args, "radius_miles"),
        need_areas=tuple(dict.fromkeys(_list(args, "need"))),
        has_capacity=bool(parse_bool(args, "has_capacity")),
        include_waitlist=bool(parse_bool(args, "include_waitlist")),
        open_now=bool(parse_bool(args, "open_now")),
        language=_get(args, "language")[:10].lower() or None,
        town=_get(args, "town")[:100] or None,
        profile=profile_from_args(args),
        eligibility_mode=_get(args, "eligibility_mode") or "hide_ineligible",
        sort=_get(args, "sort") or "relevance",
        page=parse_int(args, "page", 1) or 0,
        per_page=parse_int(args, "per_page", 25) or 0,
    )
