"""What GET /api/search adds for staff searching for a person (a token of a counselor or an
administrator): the parole district filter (anyone), "hide housing barred by residency rules",
each housing result's residency verdict, and, for a person whose record the token may see
(`client_id`), their profile from the record, the supervision conditions' warnings and who really
accepts people like them (app.referrals.acceptance: the same figures, suppression and ranking as
the staff page).

The same predicates as the staff page decide (app.residency.staff.applies: `residency.view` and
a profile on the registry; `client.view` on the person): a public caller or a provider's token
never gets a residency verdict, a warning, or anything of a person. Reading a person's record is
recorded like a page view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.api.auth import visible_client
from app.conditions.checks import page_warnings
from app.conditions.districts import District, parse_district
from app.conditions.services import ConditionWarning, conditions_of
from app.permissions import can
from app.referrals.acceptance import PEOPLE, Evidence
from app.referrals.acceptance_view import page_evidence, rank_by_acceptance
from app.referrals.clients import client_profile
from app.referrals.models import Client
from app.referrals.reads import record_client_read
from app.residency import staff as residency
from app.residency.verdicts import Verdict
from app.search.params import parse_bool
from app.search.query import SearchError, SearchRequest


class PersonNotFound(Exception):
    """client_id names nobody this token may see (the same answer for an unknown id)."""


def district_towns(args: Any) -> tuple[str, ...]:
    """The towns of ?district=<code>; SearchError naming `district` for an unknown code (the
    staff page ignores one: app.search.routes)."""
    try:
        district = parse_district(args.get("district"))
    except ValueError:
        choices = ", ".join(d.value for d in District)
        raise SearchError("district", f"district must be one of: {choices}") from None
    return district.towns if district is not None else ()


def person(user: Any, args: Any) -> Client | None:
    """The person of ?client_id=, checked (PersonNotFound); None when not asked."""
    client_id = (args.get("client_id") or "").strip()
    if not client_id:
        return None
    client = visible_client(user, client_id)
    if client is None:
        raise PersonNotFound
    return client


def prepare(search_request: SearchRequest, user: Any, client: Client | None, args: Any) -> None:
    """District, the person's own profile (from the record, never from the URL, as on the
    page) and the residency exclusion, on the request before it runs."""
    search_request.towns = district_towns(args)
    if client is not None:
        search_request.profile = client_profile(client)
        record_client_read(client, user, via="api")
        if can(user, "acceptance.view"):  # who really accepts joins the ranking
            rank_by_acceptance(search_request, client)
    if parse_bool(args, "hide_barred") and user is not None:
        residency.hide_barred(search_request, user)


@dataclass
class Extras:
    residency: dict[str, Verdict] | None = None  # service id -> verdict; None: not for them
    warnings: dict[str, list[ConditionWarning]] | None = None  # None: no person named
    acceptance: dict[str, list[Evidence]] | None = None  # None: not for them
    hidden: dict[str, int] = field(default_factory=dict)


def extras(results: Any, search_request: SearchRequest, user: Any, client: Client | None) -> Extras:
    page = residency.for_results(results, search_request.profile, user) if user else None
    warnings = page_warnings(conditions_of(client), results.results) if client else None
    evidence = None
    if client is not None and can(user, "acceptance.view"):
        evidence = page_evidence(results, client)  # the search ranked by them already
    verdicts = page.verdicts if page is not None else None
    return Extras(verdicts, warnings, evidence, dict(results.hidden))


def residency_json(verdict: Verdict | None) -> dict[str, Any] | None:
    if verdict is None:
        return None
    return {"outcome": str(verdict.outcome), "barred": verdict.barred, "message": verdict.sentence}


def warnings_json(found: list[ConditionWarning]) -> list[dict[str, str]]:
    return [{"code": w.code, "message": w.message} for w in found]


def acceptance_json(found: list[Evidence]) -> list[dict[str, Any]]:
    """Only figures built on at least 5 answered referrals exist (acceptance_evidence)."""
    return [
        {
            "answer": item.flag,
            "people": PEOPLE[item.flag],
            "accepted": item.accepted,
            "answered": item.answered,
            "median_days_to_answer": (
                round(item.median_days, 1) if item.median_days is not None else None
            ),
            "message": item.line,
        }
        for item in found
    ]
