"""My caseload: the people on a counselor's care teams, soonest release first, each with what is
still missing (plan readiness, overdue items, referrals waiting or late, unread notices).

A fixed handful of queries whatever the caseload's size: the people (with plan and facility),
the plans' items, the open referrals, the user's unread notification links, and the facilities
for the filter. Figures reuse the plan's and the referral's own rules (services.readiness,
services.is_overdue, deadlines.is_overdue), never a second spelling of them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, case, false, or_, select, true
from sqlalchemy.orm import contains_eager
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import Facility, Role
from app.clock import local_today, utcnow
from app.domain_errors import Invalid
from app.extensions import db
from app.notify.models import Notification
from app.plans import services
from app.plans.models import PlanItem, ReleasePlan
from app.plans.vocabulary import PlanPhase
from app.referrals.deadlines import is_overdue as referral_is_overdue
from app.referrals.models import CareTeamMember, Client, Referral
from app.referrals.vocabulary import ReferralStatus

if TYPE_CHECKING:
    from app.accounts.models import User

# "3 releasing within 7 days" on the count line: change the window here.
SOON_DAYS = 7
# The phase filter's extra choice: people whose plan has not been started.
NO_PLAN = "none"
AWAITING = tuple(s for s in ReferralStatus if s.awaits_response)

# A notification is about a person when its link opens that person's record (or a page under
# it, such as the plan) or one of their referrals. Links carry ids only, never names.
_CLIENT_LINK = re.compile(r"^/referrals/clients/([0-9a-fA-F-]{36})(?:[/?#]|$)")
_REFERRAL_LINK = re.compile(r"^/referrals/([0-9a-fA-F-]{36})(?:[/?#]|$)")


@dataclass
class CaseloadRow:
    client: Client
    plan: ReleasePlan | None
    release_words: str
    days_to_release: int | None
    readiness: tuple[int, int] | None = None
    overdue_items: int = 0
    awaiting_referrals: int = 0
    overdue_referrals: int = 0
    unread: int = 0


@dataclass
class Caseload:
    rows: list[CaseloadRow]
    everyone: bool  # an administrator's view: every person, not one's own teams

    @property
    def releasing_soon(self) -> int:
        """Not yet released, projected within SOON_DAYS (today included)."""
        days = (r.days_to_release for r in self.rows)
        return sum(1 for d in days if d is not None and 0 <= d <= SOON_DAYS)


def release_in_words(client: Client, today: date) -> str:
    """ "Release in 3 days", "Release tomorrow", "Released 2 days ago", in local calendar days."""
    if client.released_on is not None:
        ago = (today - client.released_on).days
        if ago <= 0:
            return "Released today"
        return "Released yesterday" if ago == 1 else f"Released {ago} days ago"
    days = services.days_to_release(client, today)
    if days is None:
        return "Release date not known"
    if days > 1:
        return f"Release in {days} days"
    if days == 1:
        return "Release tomorrow"
    if days == 0:
        return "Release today"
    late = -days
    return f"Projected release date passed {late} day{'' if late == 1 else 's'} ago"


def _scope(user: User) -> Any:
    """Counselors: the people on their care teams. Administrators cannot be on a care team (only
    counselors can), so theirs is everyone, as on the client list; anyone else, nobody."""
    if user.role == Role.COUNSELOR:
        teams = select(CareTeamMember.client_id).where(CareTeamMember.user_id == user.id)
        return Client.id.in_(teams)
    return true() if user.role == Role.ADMIN else false()


def _people(scope: Any, facility_id: str | None, phase: str | None) -> Select:
    """The people with their plan (or none), soonest release first; the released after them,
    most recent first; unknown dates last, by name."""
    query = (
        select(Client)
        .outerjoin(ReleasePlan, ReleasePlan.client_id == Client.id)
        .outerjoin(Facility, Facility.id == Client.facility_id)
        .where(scope)
    )
    if facility_id:
        query = query.where(Client.facility_id == facility_id)
    if phase == NO_PLAN:
        query = query.where(ReleasePlan.id.is_(None))
    elif phase:
        try:
            query = query.where(ReleasePlan.phase == PlanPhase(phase))
        except ValueError:
            raise Invalid("Choose a phase from the list.", "phase") from None
    group = case(
        (Client.released_on.is_not(None), 1),
        (Client.projected_release_date.is_not(None), 0),
        else_=2,
    )
    return query.order_by(
        group,
        Client.projected_release_date,
        Client.released_on.desc(),
        Client.last_name,
        Client.first_name,
        Client.id,
    )


def facility_options(user: User) -> list[Facility]:
    """The facilities the user's people are in, for the filter (never another team's)."""
    in_scope = select(Client.facility_id).where(_scope(user), Client.facility_id.is_not(None))
    return list(
        db.session.scalars(
            select(Facility).where(Facility.id.in_(in_scope)).order_by(Facility.name)
        )
    )


def _unread_by_link(user: User) -> tuple[dict[str, int], dict[str, int]]:
    """Unread notifications of this user, counted by the client and the referral they link to."""
    by_client: dict[str, int] = defaultdict(int)
    by_referral: dict[str, int] = defaultdict(int)
    links = db.session.scalars(
        select(Notification.link).where(
            Notification.user_id == user.id,
            Notification.read_at.is_(None),
            Notification.link.is_not(None),
        )
    )
    for link in links:
        if match := _CLIENT_LINK.match(link):
            by_client[match.group(1).lower()] += 1
        elif match := _REFERRAL_LINK.match(link):
            by_referral[match.group(1).lower()] += 1
    return by_client, by_referral


def my_caseload(
    user: User,
    *,
    facility_id: str | None = None,
    phase: str | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> Caseload:
    """The caseload page's rows and figures; `phase` is a PlanPhase value or NO_PLAN."""
    now = now or utcnow()
    today = today or local_today(now)
    scope = _scope(user)
    people = (
        _people(scope, facility_id, phase)
        .add_columns(ReleasePlan)
        .options(contains_eager(Client.facility))
    )
    rows = [
        CaseloadRow(
            client=client,
            plan=plan,
            release_words=release_in_words(client, today),
            days_to_release=services.days_to_release(client, today),
        )
        for client, plan in db.session.execute(people).unique()
    ]
    by_id = {row.client.id: row for row in rows}
    shown = _people(scope, facility_id, phase).with_only_columns(Client.id).order_by(None)
    _add_plan_figures(by_id, shown, today)
    _attach_teams(by_id, shown)
    _add_referrals_and_notices(by_id, shown, user, now)
    return Caseload(rows=rows, everyone=user.role == Role.ADMIN)


def _add_plan_figures(by_id: dict[str, CaseloadRow], shown: Select, today: date) -> None:
    """The shown plans' items in one query, read by the plan's own rules (readiness, overdue).

    Only the columns those rules read (kind, status, due date), not whole items: building
    thousands of ORM objects was most of the page's time at 500 people.
    """
    items: dict[str, list[Any]] = defaultdict(list)
    item_query = (
        select(PlanItem.plan_id, PlanItem.kind, PlanItem.status, PlanItem.due_on)
        .join(ReleasePlan, ReleasePlan.id == PlanItem.plan_id)
        .where(ReleasePlan.client_id.in_(shown))
    )
    for item in db.session.execute(item_query):
        items[item.plan_id].append(item)
    for row in by_id.values():
        if row.plan is None:
            continue
        checklist = items.get(row.plan.id, [])
        row.readiness = services.readiness(SimpleNamespace(items=checklist))
        row.overdue_items = sum(1 for i in checklist if services.is_overdue(i, today))


def _attach_teams(by_id: dict[str, CaseloadRow], shown: Select) -> None:
    """The teams of the people without a plan (the page asks `can` whether to offer "Start
    the plan"), in one query, so those checks ask no more."""
    unplanned = [row for row in by_id.values() if row.plan is None]
    if not unplanned:
        return
    teams: dict[str, list[CareTeamMember]] = defaultdict(list)
    no_plan = (
        ~select(ReleasePlan.id).where(ReleasePlan.client_id == CareTeamMember.client_id).exists()
    )
    query = select(CareTeamMember).where(CareTeamMember.client_id.in_(shown), no_plan)
    for member in db.session.scalars(query):
        teams[member.client_id].append(member)
    for row in unplanned:
        set_committed_value(row.client, "team", teams.get(row.client.id, []))


def _add_referrals_and_notices(
    by_id: dict[str, CaseloadRow], shown: Select, user: User, now: datetime
) -> None:
    """Referrals awaiting an answer (and overdue, by the inbox's rule) and unread notifications
    that link to the person or to one of their referrals."""
    by_client, by_referral = _unread_by_link(user)
    linked = list(by_referral)
    wanted = Referral.status.in_(AWAITING)
    if linked:
        wanted = or_(wanted, Referral.id.in_(linked))
    columns = (Referral.id, Referral.client_id, Referral.status, Referral.due_at)
    for referral in db.session.execute(
        select(*columns).where(Referral.client_id.in_(shown), wanted)
    ):
        row = by_id.get(referral.client_id)
        if row is None:  # added to the team since the people were read
            continue
        if referral.status in AWAITING:
            row.awaiting_referrals += 1
            # deadlines.is_overdue reads only status and due_at, which this row carries.
            row.overdue_referrals += referral_is_overdue(referral, now)
        row.unread += by_referral.get(referral.id.lower(), 0)
    for client_id, row in by_id.items():
        row.unread += by_client.get(client_id.lower(), 0)
