"""Editing the catalog: organizations, services, locations, weekly hours and verification.

Every function changes models and flushes; the caller (a view, the API, the CLI) commits once.
Rules a form can break raise EditError naming the field, so any caller can show it in place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import phonenumbers
from sqlalchemy import select, update

from app.common import utcnow
from app.directory.hours import ALL_DAY, MIDNIGHT, OPEN, DayHours, day_errors
from app.directory.models import (
    WEEKDAYS,
    Address,
    Language,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from app.directory.models.taxonomy import NEED_AREA_TAXONOMY
from app.directory.vocabulary import ServiceStatus
from app.domain_errors import DomainError
from app.extensions import db
from app.plausible import list_problem

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.directory.translations import TranslationData

LANGUAGES = (
    ("en", "English"),
    ("es", "Spanish"),
    ("pt", "Portuguese"),
    ("ht", "Haitian Creole"),
    ("pl", "Polish"),
    ("ar", "Arabic"),
    ("vi", "Vietnamese"),
    ("zh", "Chinese"),
    ("ase", "American Sign Language"),
)
LANGUAGE_NAMES = dict(LANGUAGES)
PHONE_TYPES = (("voice", "Voice"), ("fax", "Fax"), ("text", "Text"), ("tty", "TTY"))
MIN_AGE, MAX_AGE = 0, 120

# 555-0100 to 555-0199 is reserved for fiction; sample data uses it, so it must always pass.
_FICTIONAL = re.compile(r"^[2-9]\d{2}55501\d{2}$")


class EditError(DomainError, ValueError):
    """A rule the submitted data breaks; `field` names the form field to show it on."""

    status = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field)


def normalize_us_phone(raw: str) -> str:
    """A valid US number formatted '(860) 555-0100'; raises ValueError otherwise."""
    message = "Enter a US phone number with area code, like (860) 555-0123."
    try:
        parsed = phonenumbers.parse(raw.strip(), "US")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(message) from exc
    national = str(parsed.national_number)
    fictional = parsed.country_code == 1 and _FICTIONAL.match(national)
    valid = phonenumbers.is_valid_number(parsed) and (
        phonenumbers.region_code_for_number(parsed) == "US"
    )
    if not (valid or fictional):
        raise ValueError(message)
    if fictional and not valid:
        return f"({national[:3]}) {national[3:6]}-{national[6:]}"
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


@dataclass
class PhoneData:
    number: str
    extension: str | None = None
    type: str = "voice"


@dataclass
class OrganizationData:
    name: str
    alternate_name: str | None = None
    description: str = ""
    email: str | None = None
    website: str | None = None
    phone: str | None = None
    year_incorporated: int | None = None


@dataclass
class ServiceData:
    name: str
    alternate_name: str | None = None
    description: str = ""
    status: ServiceStatus = ServiceStatus.ACTIVE
    alert: str | None = None
    need_area_ids: list[str] = field(default_factory=list)
    location_ids: list[str] = field(default_factory=list)
    phones: list[PhoneData] = field(default_factory=list)
    email: str | None = None
    url: str | None = None
    languages: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    fees: str | None = None
    application_process: str | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    eligibility_description: str | None = None
    # The service's wording in Spanish (app.directory.translations); None leaves it as it is.
    spanish: TranslationData | None = None


@dataclass
class LocationData:
    address_1: str
    city: str
    postal_code: str
    name: str | None = None
    address_2: str | None = None
    region: str | None = None
    state_province: str = "CT"
    latitude: float | None = None
    longitude: float | None = None
    transportation: str | None = None


# Organizations -----------------------------------------------------------------------------


def _apply_organization(org: Organization, data: OrganizationData) -> None:
    org.name = data.name
    org.alternate_name = data.alternate_name or None
    org.description = data.description or ""
    org.email = data.email or None
    org.website = data.website or None
    org.year_incorporated = data.year_incorporated
    main = next((p for p in org.phones if not p.service_id and not p.location_id), None)
    if data.phone:
        number = _phone(data.phone, "phone")
        if main is None:
            org.phones.append(Phone(number=number, type="voice"))
        else:
            main.number = number
    elif main is not None:
        org.phones.remove(main)


def create_organization(data: OrganizationData) -> Organization:
    org = Organization(name=data.name)
    _apply_organization(org, data)
    db.session.add(org)
    db.session.flush()
    return org


def update_organization(org: Organization, data: OrganizationData) -> Organization:
    _apply_organization(org, data)
    db.session.flush()
    return org


# Services ----------------------------------------------------------------------------------


def _phone(raw: str, field_name: str) -> str:
    try:
        return normalize_us_phone(raw)
    except ValueError as exc:
        raise EditError(field_name, str(exc)) from exc


def _check_service(org: Organization, data: ServiceData) -> None:
    for name in ("minimum_age", "maximum_age"):
        value = getattr(data, name)
        if value is not None and not MIN_AGE <= value <= MAX_AGE:
            raise EditError(name, f"Enter an age from {MIN_AGE} to {MAX_AGE}.")
    if (
        data.minimum_age is not None
        and data.maximum_age is not None
        and data.minimum_age > data.maximum_age
    ):
        raise EditError("maximum_age", "The maximum age must not be lower than the minimum age.")
    if message := list_problem("\n".join(data.documents)):
        raise EditError("documents", message)
    own = {loc.id for loc in org.locations}
    if any(loc_id not in own for loc_id in data.location_ids):
        raise EditError("locations", "Choose locations of this organization only.")


def _need_area_terms(ids: list[str]) -> list[TaxonomyTerm]:
    if not ids:
        return []
    terms = list(
        db.session.scalars(
            select(TaxonomyTerm).where(
                TaxonomyTerm.id.in_(ids), TaxonomyTerm.taxonomy == NEED_AREA_TAXONOMY
            )
        )
    )
    if len(terms) != len(set(ids)):
        raise EditError("need_areas", "Choose need areas from the list.")
    return terms


def _apply_service(service: Service, data: ServiceData) -> None:
    service.name = data.name
    service.alternate_name = data.alternate_name or None
    service.description = data.description or ""
    service.status = data.status
    service.alert = data.alert or None
    service.email = data.email or None
    service.url = data.url or None
    service.fees_description = data.fees or None
    service.application_process = data.application_process or None
    service.minimum_age = data.minimum_age
    service.maximum_age = data.maximum_age
    service.eligibility_description = data.eligibility_description or None

    # Need areas replace need areas only; Open Eligibility and other terms stay.
    kept = [t for t in service.taxonomy_terms if t.taxonomy != NEED_AREA_TAXONOMY]
    service.taxonomy_terms = kept + _need_area_terms(data.need_area_ids)

    current = {sal.location_id: sal for sal in service.service_at_locations}
    wanted = list(dict.fromkeys(data.location_ids))
    service.service_at_locations = [
        current.get(loc_id) or ServiceAtLocation(location_id=loc_id) for loc_id in wanted
    ]

    phones = []
    for index, phone in enumerate(data.phones):
        number = _phone(phone.number, f"phones-{index}-number")
        phones.append(
            Phone(number=number, extension=phone.extension or None, type=phone.type or "voice")
        )
    service.phones = phones

    # Languages we do not offer as checkboxes (e.g. imported ones) are kept.
    others = [lang for lang in service.languages if lang.code not in LANGUAGE_NAMES]
    service.languages = others + [
        Language(code=code, name=LANGUAGE_NAMES[code])
        for code in dict.fromkeys(data.languages)
        if code in LANGUAGE_NAMES
    ]

    documents = [line.strip() for line in data.documents if line.strip()]
    service.required_documents = [RequiredDocument(document=doc) for doc in documents]


def create_service(org: Organization, data: ServiceData, actor: User | None = None) -> Service:
    """A new service of `org`. `actor` is who did it (kept for the audit trail to come)."""
    _check_service(org, data)
    service = Service(name=data.name)
    db.session.add(service)
    service.organization = org
    with db.session.no_autoflush:
        _apply_service(service, data)
    db.session.flush()
    _set_spanish(service, data, actor)
    return service


def update_service(service: Service, data: ServiceData, actor: User | None = None) -> Service:
    _check_service(service.organization, data)
    with db.session.no_autoflush:
        _apply_service(service, data)
    db.session.flush()
    _set_spanish(service, data, actor)
    return service


def _set_spanish(service: Service, data: ServiceData, actor: User | None) -> None:
    if data.spanish is None:
        return
    from app.directory.translations import set_translation  # noqa: PLC0415 (it imports EditError)

    set_translation(service, data.spanish, actor)


def set_weekly_hours(service: Service, hours: Mapping[str, DayHours]) -> Service:
    """Replace the service's weekly hours: one Schedule row per open weekday."""
    for code, day in hours.items():
        if code not in WEEKDAYS:
            raise EditError("hours", f"Unknown weekday {code!r}.")
        for name, message in day_errors(day).items():
            raise EditError(f"{code.lower()}_{name}", message)
    rows = []
    for code in WEEKDAYS:
        day = hours.get(code)
        if day is None or day.mode not in {OPEN, ALL_DAY}:
            continue
        opens, closes = (MIDNIGHT, MIDNIGHT) if day.mode == ALL_DAY else (day.opens, day.closes)
        rows.append(Schedule(freq="WEEKLY", byday=code, opens_at=opens, closes_at=closes))
    service.schedules = rows
    db.session.flush()
    return service


def verify_service(service: Service, actor: User) -> Service:
    """Record "checked, still accurate" without touching updated_at (which means edited)."""
    db.session.execute(
        update(Service)
        .where(Service.id == service.id)
        .values(
            last_verified_at=utcnow(),
            verified_by_id=actor.id,
            updated_at=Service.updated_at,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(service, ["last_verified_at", "verified_by_id", "verified_by"])
    return service


# Locations ---------------------------------------------------------------------------------

_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
_STATE = re.compile(r"^[A-Z]{2}$")


def _check_location(data: LocationData) -> None:
    if not _ZIP.match(data.postal_code or ""):
        raise EditError("postal_code", "Enter a 5-digit ZIP code, like 06103 or 06103-1234.")
    if not _STATE.match((data.state_province or "").upper()):
        raise EditError("state_province", "Enter the 2-letter state code, like CT.")
    if data.latitude is not None and not -90 <= data.latitude <= 90:
        raise EditError("latitude", "Latitude must be between -90 and 90.")
    if data.longitude is not None and not -180 <= data.longitude <= 180:
        raise EditError("longitude", "Longitude must be between -180 and 180.")


def _apply_location(location: Location, data: LocationData) -> None:
    location.name = data.name or None
    location.latitude = data.latitude
    location.longitude = data.longitude
    location.transportation = data.transportation or None
    address = location.address
    if address is None:
        address = Address(address_type="physical")
        location.addresses.append(address)
    address.address_1 = data.address_1
    address.address_2 = data.address_2 or None
    address.city = data.city
    address.region = data.region or None
    address.state_province = data.state_province.upper()
    address.postal_code = data.postal_code
    address.country = "US"


def create_location(org: Organization, data: LocationData) -> Location:
    _check_location(data)
    location = Location(location_type="physical")
    db.session.add(location)
    location.organization = org
    _apply_location(location, data)
    db.session.flush()
    return location


def update_location(location: Location, data: LocationData) -> Location:
    _check_location(data)
    _apply_location(location, data)
    db.session.flush()
    return location
