"""Plain data carriers the pages, the API and the seed hand to the referral services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.referrals.vocabulary import ContactMethod, Priority


@dataclass
class ClientData:
    first_name: str
    last_name: str
    date_of_birth: date
    inmate_number: str | None = None
    facility_id: str | None = None
    projected_release_date: date | None = None
    released_on: date | None = None
    preferred_language: str = "en"
    contact_method: ContactMethod | str = ContactMethod.NONE
    contact_phone: str | None = None
    contact_email: str | None = None
    contact_person: str | None = None
    destination_town: str | None = None
    destination_county: str | None = None
    documents_held: list[str] | None = None
    eligibility: dict[str, Any] = field(default_factory=dict)


@dataclass
class ConsentData:
    organization_id: str | None
    need_area_code: str | None
    shares: list[str]
    signed_on: date
    expires_on: date


@dataclass
class ReferralData:
    service_id: str
    location_id: str | None = None
    priority: Priority | str = Priority.ROUTINE
    needed_by: date | None = None
    need_area_code: str | None = None
    note_to_provider: str | None = None
    eligibility_override_reason: str | None = None
    acknowledge_no_capacity: bool = False


@dataclass(frozen=True)
class Warning:  # noqa: A001 - the contract's name; never used as the builtin here
    """Something the counselor should know before sending; `details` lists rule reasons."""

    code: str  # not_eligible, unknown_eligibility, no_fresh_capacity, no_consent
    message: str
    details: tuple[str, ...] = ()
