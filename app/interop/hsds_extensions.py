"""Capacity and eligibility in HSDS JSON: core `capacities`, and the Partners profile
extensions (see the module docstring of app.interop.hsds_json)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from app.directory.models import EligibilityRule, Service, ServiceCapacity, Unit
from app.interop.hsds_values import Json, clean, iso_datetime


def unit_json(unit: Unit) -> Json:
    return clean(
        {"id": unit.id, "name": unit.name, "scheme": unit.scheme,
         "identifier": unit.identifier, "uri": unit.uri}
    )  # fmt: skip


# --- capacity and eligibility (profile extensions) ----------------------------------------------


def _stale_days() -> int:
    return current_app.config["CAPACITY_STALE_DAYS"]


def capacity_json(capacity: ServiceCapacity) -> Json:
    """HSDS service_capacity; only for figures with a count (`available` is required)."""
    return clean(
        {
            "id": capacity.id,
            "service_id": capacity.service_id,
            "unit_id": capacity.unit_id,
            "unit": unit_json(capacity.unit),
            "available": capacity.available,
            "maximum": capacity.maximum,
            "description": capacity.description,
            "updated": iso_datetime(capacity.updated),
        }
    )


def capacity_extension_json(capacity: ServiceCapacity, now: datetime) -> Json:
    from app.directory.capacity import is_stale

    return clean(
        {
            "id": capacity.id,
            "unit_id": capacity.unit_id,
            "unit": capacity.unit.identifier or capacity.unit.name,
            "unit_name": capacity.unit.name,
            "status": str(capacity.status),
            "available": capacity.available,
            "maximum": capacity.maximum,
            "waitlist_length": capacity.waitlist_length,
            "expected_wait": capacity.expected_wait,
            "updated": iso_datetime(capacity.updated),
        }
    ) | {"stale": is_stale(capacity, now=now, stale_days=_stale_days())}


def eligibility_rule_json(rule: EligibilityRule) -> Json:
    return clean(
        {
            "criterion": str(rule.criterion),
            "question": rule.criterion.question,
            "answer": str(rule.answer),
            "values": list(rule.values or []) or None,
            "min_age": rule.min_age,
            "max_age": rule.max_age,
            "note": rule.note,
            "strict": True if rule.strict else None,
        }
    )


def capacity_status(service: Service, now: datetime) -> str:
    from app.search.query import capacity_state

    return capacity_state(list(service.capacities), now, _stale_days())


def last_modified(service: Service) -> datetime:
    """The latest change a consumer would care about: the record, a verification or a figure."""
    moments = [service.updated_at, service.last_verified_at]
    moments += [c.updated for c in service.capacities]
    return max(m for m in moments if m is not None)
