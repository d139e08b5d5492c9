"""Task search parameters: status (token, comma = or), owner (reference), _lastUpdated (date with
eq/ge/gt/le/lt prefixes, repeatable for a range), _count and page. Bad values: ParameterError
(400, an OperationOutcome under /fhir/). Visibility is the referral inbox's (inbox_query)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, or_

from app.api import params
from app.api.params import ParameterError
from app.referrals.fhir import task_status
from app.referrals.inbox import inbox_query
from app.referrals.models import Referral
from app.referrals.vocabulary import ReferralStatus

MAX_COUNT = 200


class FhirSearchError(ParameterError):
    """FHIR answers a search it cannot process with 400 (the JSON API says 422)."""

    status = 400


PREFIXES = ("eq", "ge", "gt", "le", "lt")


def statuses_for(codes: str) -> list[ReferralStatus]:
    wanted = {c.strip().lower() for c in codes.split(",") if c.strip()}
    known = {task_status(s) for s in ReferralStatus}
    unknown = wanted - known
    if unknown or not wanted:
        raise ParameterError("status", f"status must be one of: {', '.join(sorted(known))}")
    return [s for s in ReferralStatus if task_status(s) in wanted]


def _owner_id(value: str) -> str:
    ref = value.strip()
    if ref.startswith("Organization/"):
        ref = ref.removeprefix("Organization/")
    if not ref or "/" in ref or not params.usable_id(ref):
        raise ParameterError("owner", "owner must be Organization/<id> or an organization id")
    return ref


def _last_updated(value: str) -> Any:
    prefix, rest = (value[:2], value[2:]) if value[:2] in PREFIXES else ("eq", value)
    moment = params.moment({"_lastUpdated": rest}, "_lastUpdated")
    if moment is None:
        raise ParameterError("_lastUpdated", "_lastUpdated needs a date, e.g. ge2026-03-01")
    day_only = "T" not in rest
    end = moment + (timedelta(days=1) if day_only else timedelta(seconds=1))
    column = Referral.updated_at
    return {
        "eq": (column >= moment) & (column < end),
        "ge": column >= moment,
        "gt": column >= end,
        "le": column < end,
        "lt": column < moment,
    }[prefix]


def task_query(user: Any, args: Mapping[str, Any]) -> tuple[Select[tuple[Referral]], int, int]:
    """The visible referrals matching the search, the page size and the page."""
    try:
        return _task_query(user, args)
    except FhirSearchError:
        raise
    except ParameterError as error:
        raise FhirSearchError(error.parameter, str(error.message)) from None


def _task_query(user: Any, args: Mapping[str, Any]) -> tuple[Select[tuple[Referral]], int, int]:
    query = inbox_query(user)
    status = params.text(args, "status", max_length=400)
    if status is not None:
        query = query.where(Referral.status.in_(statuses_for(status)))
    owners = [_owner_id(v) for v in getattr(args, "getlist", lambda _: [])("owner") if v.strip()]
    if owners:
        query = query.where(or_(*(Referral.organization_id == o for o in owners)))
    for value in getattr(args, "getlist", lambda _: [])("_lastUpdated"):
        if value.strip():
            query = query.where(_last_updated(value.strip()))
    count = params.integer(args, "_count", 50, 1, MAX_COUNT)
    page = params.integer(args, "page", 1, 1, 1_000_000)
    return query, count, page
