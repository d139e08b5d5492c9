"""What the referral layer tells people, by e-mail (through the outbox) and in the app.

Every text names the service and the step, never the person: e-mail and notifications carry no
client personal data, only a link into the app where permissions and consent apply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app

from app.notify.services import (
    email_addresses,
    email_users,
    notify_users,
    provider_contacts,
    provider_staff,
)
from app.referrals.vocabulary import Priority
from app.referrals.workflow import Action

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.directory.models import Service
    from app.referrals.models import Consent, Referral

FOOTER = (
    "\n\nSign in to Partners to see the details you are allowed to see. "
    "This message contains no personal information on purpose.\n"
)

# Which steps the referring team hears about, and how each reads.
TEAM_NEWS = {
    Action.ACCEPT: "was accepted",
    Action.WAITLIST: "was put on the waitlist",
    Action.DECLINE: "was declined",
    Action.ENROLL: "is now enrolled",
    Action.COMPLETE: "was completed",
    Action.NOT_ENROLLED: "ended without enrollment",
}


def referral_path(referral: Referral) -> str:
    """The in-app address of a referral (the pages serve /referrals/<id>)."""
    return f"/referrals/{referral.id}"


def absolute(path: str) -> str:
    return current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/") + path


def team_recipients(referral: Referral, actor: User | None) -> list[User]:
    """The counselor who sent it and the primary coordinator(s), without the person acting."""
    people = [referral.referrer] + [m.user for m in referral.client.team if m.is_coordinator]
    out, seen = [], set()
    for user in people:
        if user is None or user.id in seen or (actor is not None and user.id == actor.id):
            continue
        seen.add(user.id)
        out.append(user)
    return out


def _tell(users: list[User], kind: str, text: str, link: str) -> None:
    notify_users(users, kind, text, link)
    email_users(users, text, f"{text}\n\nOpen it: {absolute(link)}{FOOTER}", kind)


def new_referral(referral: Referral) -> None:
    """Provider contacts: e-mail; provider staff: in-app notification."""
    urgent = "urgent " if referral.priority == Priority.URGENT else ""
    text = f"You have a new {urgent}referral for {referral.service.name}"
    link = referral_path(referral)
    body = f"{text}.\n\nOpen it: {absolute(link)}{FOOTER}"
    email_addresses(provider_contacts(referral.organization), text, body, "referral.new")
    notify_users(provider_staff(referral.organization), "referral.new", text, link)


def step_taken(referral: Referral, action: Action, actor: User | None) -> None:
    """Tell the referring team when the provider answers or reports an outcome."""
    news = TEAM_NEWS.get(action)
    if news is None:
        return
    from app.sms.news import referral_answered  # the person hears too, with text consent

    referral_answered(referral, action)
    text = f"Your referral to {referral.service.name} {news}"
    _tell(
        team_recipients(referral, actor), f"referral.{action.value}", text, referral_path(referral)
    )


def overdue_reminder(referral: Referral, alternatives: list[Service]) -> None:
    """One reminder to the provider; the team hears of it with up to three alternatives."""
    link = referral_path(referral)
    text = f"Reminder: a referral for {referral.service.name} is waiting for your answer"
    body = f"{text}.\n\nOpen it: {absolute(link)}{FOOTER}"
    organization = referral.organization
    email_addresses(provider_contacts(organization), text, body, "referral.overdue")
    notify_users(provider_staff(organization), "referral.overdue", text, link)

    team_text = f"Your referral to {referral.service.name} has had no answer in time"
    lines = [f"{team_text}. We reminded the provider."]
    if alternatives:
        lines.append("\nOther services in the same need area with room right now:")
        for service in alternatives:
            lines.append(
                f"- {service.name} ({service.organization.name}): "
                f"{absolute('/directory/services/' + service.id)}"
            )
    lines.append(f"\nOpen the referral: {absolute(link)}")
    team = team_recipients(referral, None)
    count = len(alternatives)
    suffix = f" ({count} other service{'s' if count != 1 else ''} suggested)" if count else ""
    notify_users(team, "referral.overdue", team_text + suffix, link)
    email_users(team, team_text, "\n".join(lines) + FOOTER, "referral.overdue")


def consent_expiring(consent: Consent) -> None:
    """The client's care team: a consent ends soon (no name, only a link to the client page)."""
    days = consent.expires_on.strftime("%b %d, %Y").replace(" 0", " ")
    text = f"A consent to share for one of your clients ends on {days}"
    link = f"/referrals/clients/{consent.client_id}"
    _tell([m.user for m in consent.client.team], "consent.expiring", text, link)
