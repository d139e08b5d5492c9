"""Demo release plans: the demo counselor's caseload in every phase, with items in every status.

Built through the plan services (start, update, juncture) so the data obeys the same rules as
real plans; back-dated where a date matters (when the plan started, when an item was arranged).
Idempotent: a client who already has a plan is left alone.

The caseload the demo counselor sees, by days to release: Andre 3, Marcus 9, Renee 14, Luis 20,
Terrence 40, Dwayne 60 (on the registry: the registration item appears), Kevin released today,
Maria released 200 days ago and discharged from supervision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from app.accounts.models import User
from app.clock import local_date
from app.extensions import db
from app.plans import services
from app.plans.junctures import record_juncture
from app.plans.models import PlanItem, ReleasePlan
from app.plans.release import record_release
from app.plans.vocabulary import ItemKind, ItemStatus, Juncture, PlanPhase
from app.referrals.models import Client, Referral
from app.seeding.demo_build import demo_id
from app.seeding.demo_referrals import COUNSELOR, _user

# (status, reason) per kind; kinds not named stay "to do".
Statuses = dict[ItemKind, tuple[ItemStatus, str | None]]
A, P, N, X = (
    ItemStatus.ARRANGED,
    ItemStatus.IN_PROGRESS,
    ItemStatus.NOT_NEEDED,
    ItemStatus.COULD_NOT_ARRANGE,
)


@dataclass(frozen=True)
class DemoPlan:
    client_key: str
    phase: PlanPhase
    started_days_ago: int
    statuses: Statuses = field(default_factory=dict)
    # kind -> the name of the demo referral's service that serves the item
    served_by: dict[ItemKind, str] = field(default_factory=dict)
    junctures: tuple[Juncture, ...] = (Juncture.INTAKE,)
    released_days_ago: int | None = None


PLANS = (
    DemoPlan(
        "d",
        PlanPhase.RELEASING,
        50,
        {
            ItemKind.HOUSING: (A, None),
            ItemKind.DISCHARGE_FUNDS: (A, None),
            ItemKind.TRANSPORTATION: (P, None),
            ItemKind.ID_DOCUMENTS: (X, "Birth certificate from another state has not come yet."),
            ItemKind.FAMILY: (N, "Asked us not to contact family."),
        },
        {ItemKind.HOUSING: "Cedar Crossing Men's Halfway House"},
        (Juncture.INTAKE, Juncture.BEFORE_RELEASE),
    ),
    DemoPlan(
        "a",
        PlanPhase.RELEASING,
        46,
        {
            ItemKind.ID_DOCUMENTS: (A, None),
            ItemKind.HOUSING: (P, None),
            ItemKind.CLOTHING: (A, None),
        },
        {ItemKind.HOUSING: "Cedar Crossing Men's Halfway House"},
        (Juncture.INTAKE, Juncture.BEFORE_RELEASE),
    ),
    DemoPlan(
        "e",
        PlanPhase.IN_FACILITY,
        40,
        {ItemKind.HOUSING: (P, None), ItemKind.ID_DOCUMENTS: (A, None)},
        {ItemKind.HOUSING: "Cedar Crossing Women's House"},
    ),
    DemoPlan(
        "b",
        PlanPhase.IN_FACILITY,
        30,
        {ItemKind.TREATMENT: (A, None), ItemKind.BENEFITS: (A, None)},
        {ItemKind.TREATMENT: "Riverbend Intensive Outpatient"},
    ),
    DemoPlan("c", PlanPhase.IN_FACILITY, 5, {ItemKind.EMPLOYMENT: (P, None)}),
    DemoPlan("f", PlanPhase.IN_FACILITY, 0, {}, {}, ()),
    DemoPlan(
        "g",
        PlanPhase.COMMUNITY_SUPERVISION,
        48,
        {
            ItemKind.HOUSING: (A, None),
            ItemKind.TRANSPORTATION: (A, None),
            ItemKind.DISCHARGE_FUNDS: (A, None),
            ItemKind.CLOTHING: (A, None),
            ItemKind.ID_DOCUMENTS: (A, None),
            ItemKind.TREATMENT: (A, None),
            ItemKind.EMPLOYMENT: (X, "No openings in Hartford before release."),
        },
        {ItemKind.TREATMENT: "Cedar Crossing Aftercare Group"},
        (Juncture.INTAKE, Juncture.BEFORE_RELEASE, Juncture.RETURN_TO_COMMUNITY),
        released_days_ago=0,
    ),
    DemoPlan(
        "h",
        PlanPhase.DISCHARGED,
        260,
        {kind: (A, None) for kind in ItemKind} | {ItemKind.FAMILY: (N, "Lives with her sister.")},
        {},
        tuple(Juncture),
        released_days_ago=200,
    ),
)


def load_demo_plans(now: datetime) -> int:
    """Create the missing demo plans; returns how many were created."""
    counselor = _user(COUNSELOR)
    if counselor is None:
        return 0
    created = 0
    for spec in PLANS:
        client = db.session.get(Client, demo_id("client", spec.client_key))
        if client is None or services.plan_for(client) is not None:
            continue
        _plan(client, spec, counselor, now)
        created += 1
    db.session.flush()
    return created


def _referral_for(client: Client, service_name: str) -> Referral | None:
    return next((r for r in client.referrals if r.service.name == service_name), None)


def _plan(client: Client, spec: DemoPlan, counselor: User, now: datetime) -> ReleasePlan:
    today = local_date(now)
    plan = services.start_plan(client, counselor)
    plan.started_at = now - timedelta(days=spec.started_days_ago)
    for juncture in spec.junctures[:1]:
        record_juncture(plan, juncture, counselor)
    for item in plan.items:
        _set(item, spec, client, counselor, now, today)
    if spec.released_days_ago == 0:
        # Released today through the real step: the release version, the card from the plan.
        for juncture in spec.junctures[1:]:
            if juncture != Juncture.RETURN_TO_COMMUNITY:
                record_juncture(plan, juncture, counselor)
        record_release(client, counselor, today=today)
        return plan
    if spec.released_days_ago is not None:
        client.released_on = today - timedelta(days=spec.released_days_ago)
        client.projected_release_date = client.released_on
    plan.phase = spec.phase
    db.session.flush()
    for juncture in spec.junctures[1:]:
        record_juncture(plan, juncture, counselor)
    return plan


def _set(
    item: PlanItem, spec: DemoPlan, client: Client, counselor: User, now: datetime, today: date
) -> None:
    served = spec.served_by.get(item.kind)
    if served is not None:
        referral = _referral_for(client, served)
        item.referral_id = referral.id if referral else None
    status, reason = spec.statuses.get(item.kind, (ItemStatus.TO_DO, None))
    if status == ItemStatus.TO_DO and served is None:
        return
    services.update_item(
        item,
        counselor,
        status=status,
        reason=reason,
        owner=item.owner,
        due_on=item.due_on,
        notes=item.notes,
        expected_version=item.version,
        today=today,
    )
    if item.arranged_at is not None:
        item.arranged_at = now - timedelta(days=max(spec.started_days_ago - 10, 0))
