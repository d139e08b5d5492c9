"""The referral lists: each user sees only their organizations' or their teams' referrals."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, case, false, select
from sqlalchemy.orm import selectinload

from app.accounts.models import Role
from app.common import utcnow
from app.referrals.errors import ReferralValidationError
from app.referrals.models import CareTeamMember, Referral
from app.referrals.vocabulary import Priority, ReferralStatus

if TYPE_CHECKING:
    from app.accounts.models import User

AWAITING = (ReferralStatus.SENT, ReferralStatus.RECEIVED)
CLOSED = tuple(s for s in ReferralStatus if s.is_closed)


def _status_condition(status_filter: Any, now: datetime) -> Any:
    if status_filter in (None, "", "all"):
        return None
    if status_filter == "open":
        return Referral.status.not_in(CLOSED)
    if status_filter == "closed":
        return Referral.status.in_(CLOSED)
    if status_filter == "awaiting":
        return Referral.status.in_(AWAITING)
    if status_filter == "overdue":
        return and_(Referral.status.in_(AWAITING), Referral.due_at < now)
    if isinstance(status_filter, str | ReferralStatus):
        status_filter = [status_filter]
    try:
        statuses = [ReferralStatus(s) for s in status_filter]
    except ValueError:
        raise ReferralValidationError("status", "Unknown status.") from None
    return Referral.status.in_(statuses)


def inbox_query(
    user: User, *, status_filter: Any = None, now: datetime | None = None
) -> Select[tuple[Referral]]:
    """Provider staff: referrals to their organizations only; counselors: their teams' referrals;
    admins: all. Urgent first, then overdue, then oldest sent.

    status_filter: None/"all", "open", "closed", "awaiting", "overdue", a status or a list.
    """
    now = now or utcnow()
    query = select(Referral)
    if user.role == Role.PROVIDER:
        query = query.where(Referral.organization_id.in_(user.organization_ids or {""}))
    elif user.role == Role.COUNSELOR:
        teams = select(CareTeamMember.client_id).where(CareTeamMember.user_id == user.id)
        query = query.where(Referral.client_id.in_(teams))
    elif user.role != Role.ADMIN:
        query = query.where(false())
    condition = _status_condition(status_filter, now)
    if condition is not None:
        query = query.where(condition)
    urgent_first = case((Referral.priority == Priority.URGENT, 0), else_=1)
    overdue_first = case((and_(Referral.status.in_(AWAITING), Referral.due_at < now), 0), else_=1)
    return query.options(
        selectinload(Referral.client),
        selectinload(Referral.service),
        selectinload(Referral.organization),
        selectinload(Referral.referrer),
    ).order_by(urgent_first, overdue_first, Referral.sent_at, Referral.id)


# The provider's inbox leads with these groups of open referrals, in this order.
OUTCOME_DUE = (ReferralStatus.ACCEPTED, ReferralStatus.ENROLLED)
GROUPS = (
    ("new", "New", "Not answered yet; the answer is not due yet."),
    ("overdue", "Overdue", "Not answered and past the response deadline."),
    ("outcome", "Awaiting an outcome", "Accepted or enrolled: say how it ended when it does."),
    ("waitlisted", "Waitlisted", "On your waitlist: accept or decline when you can."),
)


def group_of(referral: Referral, now: datetime) -> str | None:
    """Which inbox group an open referral belongs to (None once it is closed)."""
    from app.referrals.deadlines import is_overdue

    if referral.status.awaits_response:
        return "overdue" if is_overdue(referral, now) else "new"
    if referral.status in OUTCOME_DUE:
        return "outcome"
    if referral.status == ReferralStatus.WAITLISTED:
        return "waitlisted"
    return None


def grouped(referrals: list[Referral], now: datetime) -> dict[str, list[Referral]]:
    """The open referrals by group, each group keeping the inbox's order."""
    groups: dict[str, list[Referral]] = {key: [] for key, _label, _hint in GROUPS}
    for referral in referrals:
        key = group_of(referral, now)
        if key is not None:
            groups[key].append(referral)
    return groups
