"""“Released today”: a short-notice release in one step.

Jails release people on bond or from court with no notice, so one call does everything the
counselor needs at the gate: records the actual release date on the client, moves the plan to
"in the community under supervision", keeps the plan as it stood (the return-to-community
version the network measures read, exactly one per release), names what was not arranged,
builds or updates the person's discharge card, and tells the rest of the care team.
A person with no plan yet gets one started in the same step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from app.audit.services import record as audit
from app.clock import local_today
from app.domain_errors import Conflict, FieldErrors, NotPermitted
from app.extensions import db
from app.notify.services import email_users, notify_users
from app.permissions import can
from app.plans.junctures import item_name, record_juncture
from app.plans.services import plan_for, start_plan
from app.plans.vocabulary import (
    ESSENTIAL_KINDS,
    NOT_ARRANGED_STATUSES,
    ItemKind,
    ItemStatus,
    Juncture,
    PlanPhase,
)
from app.plausible import DateKind, problem_with
from app.public.card_builder import card_offers, release_choices
from app.public.cards import LANGUAGES, add_to_card, create_card, newest_active_card
from app.referrals.notifications import FOOTER, absolute

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.plans.models import PlanVersion, ReleasePlan
    from app.public.models import DischargeCard
    from app.referrals.models import Client

# How many days back "Released today" accepts a date, for a counselor who records it late.
# An older release is entered on the client record instead.
LATE_RECORDING_DAYS = 7
# Phases a release moves forward from; a plan already further on keeps its phase.
BEFORE_RELEASE = (PlanPhase.IN_FACILITY, PlanPhase.RELEASING)


class AlreadyReleased(Conflict):
    """The release was recorded before: a second one would count the person twice."""


@dataclass(frozen=True)
class NotArranged:
    """Names of the items not arranged at release: the essential ones, then the others."""

    essential: list[str]
    other: list[str]

    def __bool__(self) -> bool:
        return bool(self.essential or self.other)


@dataclass(frozen=True)
class Release:
    plan: ReleasePlan
    version: PlanVersion
    card: DischargeCard | None
    card_is_new: bool
    not_arranged: NotArranged


def release_version(plan: ReleasePlan) -> PlanVersion | None:
    """The plan as it stood on return to the community (the first such version)."""
    return next((v for v in plan.versions if v.juncture == Juncture.RETURN_TO_COMMUNITY), None)


def not_arranged(version: PlanVersion) -> NotArranged:
    """What the version's copy of the checklist says was not arranged, in checklist order."""
    missing = [i for i in version.items if ItemStatus(i["status"]) in NOT_ARRANGED_STATUSES]
    return NotArranged(
        essential=[item_name(i) for i in missing if ItemKind(i["kind"]) in ESSENTIAL_KINDS],
        other=[item_name(i) for i in missing if ItemKind(i["kind"]) not in ESSENTIAL_KINDS],
    )


def check_release_date(released_on: date, today: date) -> None:
    """Not in the future, and no more than LATE_RECORDING_DAYS ago (422 at the date field)."""
    problem = problem_with(DateKind.RELEASED, released_on, today)
    earliest = today - timedelta(days=LATE_RECORDING_DAYS)
    if problem is None and released_on < earliest:
        problem = (
            f"Enter a date within the last {LATE_RECORDING_DAYS} days. "
            "For an earlier release, edit the person's details instead."
        )
    if problem:
        raise FieldErrors({"released_on": problem})


def _card_language(client: Client) -> str:
    return client.preferred_language if client.preferred_language in LANGUAGES else "en"


def build_release_card(plan: ReleasePlan, actor: User) -> tuple[DischargeCard | None, bool]:
    """(card, is_new): the person's discharge card from the plan. A live card they may already
    hold is added to (its code keeps working, its life is extended); otherwise a new card in
    their language. None when there is nothing to put on one."""
    client = plan.client
    arranged = {
        item.referral_id
        for item in plan.items
        if item.status == ItemStatus.ARRANGED and item.referral_id is not None
    }
    entries = release_choices(card_offers(client), arranged)
    card = newest_active_card(client)
    if card is not None:
        add_to_card(card, entries)
        return card, False
    if not entries:
        return None, False
    return create_card(entries, language=_card_language(client), client=client, actor=actor), True


def _tell_team(client: Client, actor: User, released_on: date, today: date) -> None:
    """Everyone else on the care team, in the app and by e-mail: no name, only a link."""
    when = "today" if released_on == today else "recently"
    text = f"A person on your caseload was released {when}"
    link = f"/referrals/clients/{client.id}/plan"
    others = [m.user for m in client.team if m.user_id != actor.id]
    notify_users(others, "plan.released", text, link)
    body = f"{text}.\n\nSee what was arranged and what is still missing: {absolute(link)}{FOOTER}"
    email_users(others, text, body, "plan.released")


def record_release(
    client: Client,
    actor: User,
    *,
    released_on: date | None = None,
    today: date | None = None,
) -> Release:
    """Released today (or on a date a few days back), in one step; refused a second time."""
    if not can(actor, "plan.edit", client):
        raise NotPermitted("You may not record this person's release.")
    today = today or local_today()
    released_on = released_on or today
    if client.released_on is not None:
        day = client.released_on
        raise AlreadyReleased(
            f"This person's release was already recorded ({day:%B} {day.day}, {day.year})."
        )
    check_release_date(released_on, today)
    try:
        plan = plan_for(client) or start_plan(client, actor)
        client.released_on = released_on
        if plan.phase in BEFORE_RELEASE:
            plan.phase = PlanPhase.COMMUNITY_SUPERVISION
        flag_modified(plan, "phase")  # the plan row is the lock: a concurrent release loses here
        db.session.flush()
        # One version per release: a phase hand-off to the community may have kept it already.
        version = release_version(plan) or record_juncture(
            plan,
            Juncture.RETURN_TO_COMMUNITY,
            actor,
            note=f"Released on {released_on:%B} {released_on.day}, {released_on.year}.",
        )
    except (StaleDataError, IntegrityError):
        raise AlreadyReleased("Someone else recorded this release at the same moment.") from None
    card, card_is_new = build_release_card(plan, actor)
    if card is not None:
        from app.sms.news import text_card  # the card's link, when the person agreed to texts

        text_card(client, card, actor)
    missing = not_arranged(version)
    _tell_team(client, actor, released_on, today)
    audit(
        "plan.release",
        plan,
        actor,
        client_id=client.id,
        details={
            "days_late": (today - released_on).days,
            "version": version.number,
            "card_id": card.id if card else None,
            "card_is_new": card_is_new,
            "not_arranged": [
                i["kind"] for i in version.items if i["status"] in NOT_ARRANGED_STATUSES
            ],
        },
    )
    db.session.flush()
    return Release(plan, version, card, card_is_new, missing)
