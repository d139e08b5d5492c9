"""Builders for test data: small functions with sensible defaults, committed to the database."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from itertools import count

from werkzeug.security import generate_password_hash

from app.accounts.models import Facility, Role, User
from app.clock import local_today, network_zone
from app.common import utcnow
from app.directory.models import (
    Address,
    EligibilityRule,
    Location,
    Organization,
    Phone,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    Unit,
)
from app.directory.vocabulary import Answer, CapacityStatus, Criterion
from app.extensions import db

PASSWORD = "correct horse battery staple"
_seq = count(1)


@lru_cache(maxsize=1)
def _password_hash() -> str:
    # A cheap hash for test users only: verifying scrypt costs ~0.1 s per sign-in, which the
    # route walk would pay hundreds of times. Production hashes use scrypt (User.set_password).
    return generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def local_days_ago(days: int, hour: int = 12) -> datetime:
    """`hour` o'clock in the network's zone, `days` local calendar days before today, as UTC:
    "2 days ago" whatever the hour the test runs at, across a DST change too."""
    day = local_today() - timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=network_zone()).astimezone(UTC)


def _n() -> int:
    return next(_seq)


def make_facility(**kw) -> Facility:  # noqa: ANN003
    facility = Facility(
        name=kw.pop("name", f"Test Correctional Center {_n()}"), town="Hartford", **kw
    )
    db.session.add(facility)
    db.session.commit()
    return facility


def make_user(role: Role = Role.COUNSELOR, *, organizations=(), facility=None, **kw) -> User:  # noqa: ANN001,ANN003
    n = _n()
    password = kw.pop("password", PASSWORD)
    user = User(
        email=kw.pop("email", f"user{n}@example.org"),
        name=kw.pop("name", f"Test User {n}"),
        role=role,
        facility=facility,
        **kw,
    )
    if password == PASSWORD:
        user.password_hash = _password_hash()  # hashing once keeps hundreds of users fast
    else:
        user.set_password(password)
    user.organizations = list(organizations)
    db.session.add(user)
    db.session.commit()
    return user


def make_organization(**kw) -> Organization:  # noqa: ANN003
    org = Organization(
        name=kw.pop("name", f"Test Organization {_n()}"),
        description=kw.pop("description", "A test organization."),
        **kw,
    )
    db.session.add(org)
    db.session.commit()
    return org


def make_location(organization: Organization, *, town: str = "Hartford", **kw) -> Location:  # noqa: ANN003
    location = Location(
        organization=organization,
        name=kw.pop("name", f"{organization.name} site"),
        latitude=kw.pop("latitude", 41.7658),
        longitude=kw.pop("longitude", -72.6734),
        **kw,
    )
    location.addresses.append(
        Address(
            address_1=f"{_n()} Main Street",
            city=town,
            region="Hartford County",
            state_province="CT",
            postal_code="06103",
        )
    )
    db.session.add(location)
    db.session.commit()
    return location


def make_unit(identifier: str = "bed", name: str = "Beds") -> Unit:
    unit = db.session.query(Unit).filter_by(identifier=identifier).one_or_none()
    if unit is None:
        unit = Unit(identifier=identifier, name=name, scheme="partners")
        db.session.add(unit)
        db.session.commit()
    return unit


def make_service(organization: Organization | None = None, *, location=None, **kw) -> Service:  # noqa: ANN001,ANN003
    organization = organization or make_organization()
    service = Service(
        organization=organization,
        name=kw.pop("name", f"Test Service {_n()}"),
        description=kw.pop("description", "A test service."),
        **kw,
    )
    if location is not None:
        service.service_at_locations.append(ServiceAtLocation(location=location))
    service.phones.append(Phone(number="(860) 555-0100", type="voice"))
    db.session.add(service)
    db.session.commit()
    return service


def make_capacity(
    service: Service,
    *,
    available: int | None = 3,
    maximum: int | None = 10,
    status: CapacityStatus = CapacityStatus.HAS_CAPACITY,
    age_days: float = 0,
    unit: Unit | None = None,
) -> ServiceCapacity:
    capacity = ServiceCapacity(
        service=service,
        unit=unit or make_unit(),
        available=available,
        maximum=maximum,
        status=status,
        updated=utcnow() - timedelta(days=age_days),
    )
    db.session.add(capacity)
    db.session.commit()
    return capacity


def make_rule(service: Service, criterion: Criterion, answer: Answer, **kw) -> EligibilityRule:  # noqa: ANN003
    rule = EligibilityRule(service=service, criterion=criterion, answer=answer, **kw)
    db.session.add(rule)
    db.session.commit()
    return rule


def reload(obj):  # noqa: ANN001,ANN201
    """Re-read an object from the database after a request (its own session) changed it."""
    db.session.refresh(obj)
    return obj


# --- referrals (built through the real service functions, then committed) -----------------------


def make_client(counselor: User, **kw):  # noqa: ANN003,ANN201
    """A person on `counselor`'s team (counselor = creator and primary coordinator)."""
    from datetime import date

    from app.referrals.data import ClientData
    from app.referrals.services import create_client

    n = _n()
    data = ClientData(
        first_name=kw.pop("first_name", f"Testfirst{n}"),
        last_name=kw.pop("last_name", f"Testlast{n}"),
        date_of_birth=kw.pop("date_of_birth", date(1985, 3, 14)),
        **kw,
    )
    client = create_client(data, counselor, allow_duplicate=True)
    db.session.commit()
    return client


def make_consent(client, actor: User, *, organization=None, need_area_code=None, **kw):  # noqa: ANN001,ANN003,ANN201
    """Consent to share everything with `organization` (or a need area), active for a year."""
    from app.referrals.data import ConsentData
    from app.referrals.services import record_consent
    from app.referrals.vocabulary import ConsentShare

    today = local_today()
    data = ConsentData(
        organization_id=organization.id if organization is not None else None,
        need_area_code=need_area_code,
        shares=kw.pop("shares", [s.value for s in ConsentShare]),
        signed_on=kw.pop("signed_on", today - timedelta(days=1)),
        expires_on=kw.pop("expires_on", today + timedelta(days=365)),
    )
    consent = record_consent(client, data, actor)
    db.session.commit()
    return consent


def make_referral(client, service: Service, actor: User, *, consent: bool = True, **kw):  # noqa: ANN001,ANN003,ANN201
    """A sent referral (recording an organization consent first unless consent=False)."""
    from app.referrals.data import ReferralData
    from app.referrals.services import active_consent_for, send_referral

    if consent and active_consent_for(client, service, local_today()) is None:
        make_consent(client, actor, organization=service.organization)
    now = kw.pop("now", None)
    kw.setdefault("acknowledge_no_capacity", True)
    referral = send_referral(client, ReferralData(service_id=service.id, **kw), actor, now=now)
    db.session.commit()
    return referral
