"""Clients and their care teams: the least personal data that works, seen only by the team."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, false, func, select

from app.accounts.models import Role
from app.audit.services import record as audit
from app.clock import local_today
from app.directory.eligibility import EligibilityProfile
from app.directory.vocabulary import PROFILE_FLAGS, Document, Gender, Supervision
from app.extensions import db
from app.permissions import can
from app.plausible import DateKind, first_problem
from app.referrals.data import ClientData
from app.referrals.errors import DuplicateClient, NotAllowed, ReferralValidationError
from app.referrals.models import CareTeamMember, Client
from app.referrals.permissions import team_membership
from app.referrals.vocabulary import ContactMethod

if TYPE_CHECKING:
    from app.accounts.models import User

BOOLEAN_ANSWERS = tuple(flag.name for flag in PROFILE_FLAGS)
ENUM_ANSWERS = {"gender": Gender, "supervision": Supervision}
ELIGIBILITY_KEYS = frozenset(BOOLEAN_ANSWERS) | frozenset(ENUM_ANSWERS)

CLIENT_FIELDS = tuple(f.name for f in dataclasses.fields(ClientData))


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def find_possible_duplicates(first_name: str, last_name: str, date_of_birth: date) -> list[Client]:
    """People recorded with the same name (any case, outer spaces ignored) and date of birth."""
    return list(
        db.session.scalars(
            select(Client)
            .where(
                func.lower(Client.first_name) == (first_name or "").strip().lower(),
                func.lower(Client.last_name) == (last_name or "").strip().lower(),
                Client.date_of_birth == date_of_birth,
            )
            .order_by(Client.created_at)
        )
    )


def _validated(data: ClientData, today: date | None = None) -> dict[str, Any]:
    """The columns to store, or ReferralValidationError naming the first bad field."""
    today = today or local_today()
    values = {name: getattr(data, name) for name in CLIENT_FIELDS}
    for name in ("first_name", "last_name"):
        values[name] = _clean(values[name])
        if not values[name]:
            raise ReferralValidationError(name, "Enter the person's name.")
        if len(values[name]) > 100:
            raise ReferralValidationError(name, "Use at most 100 characters.")
    if not isinstance(data.date_of_birth, date):
        raise ReferralValidationError("date_of_birth", "Enter the date of birth.")
    if data.date_of_birth > today:
        raise ReferralValidationError("date_of_birth", "The date of birth is in the future.")
    if data.released_on and data.released_on < data.date_of_birth:
        raise ReferralValidationError("released_on", "The release date is before the birth date.")
    problem = first_problem(
        ("date_of_birth", DateKind.BIRTH, data.date_of_birth),
        ("released_on", DateKind.RELEASED, data.released_on),
        ("projected_release_date", DateKind.PROJECTED_RELEASE, data.projected_release_date),
    )
    if problem:
        raise ReferralValidationError(*problem)
    for name in (
        "inmate_number",
        "facility_id",
        "contact_phone",
        "contact_email",
        "contact_person",
        "destination_town",
        "destination_county",
    ):
        values[name] = _clean(values[name])
    values["preferred_language"] = _clean(data.preferred_language) or "en"
    try:
        method = ContactMethod(data.contact_method or ContactMethod.NONE)
    except ValueError:
        raise ReferralValidationError("contact_method", "Choose how to reach the person.") from None
    values["contact_method"] = method
    needed = {
        ContactMethod.PHONE: ("contact_phone", "Enter the phone number."),
        ContactMethod.EMAIL: ("contact_email", "Enter the e-mail address."),
        ContactMethod.THROUGH_PERSON: ("contact_person", "Name the person to go through."),
    }.get(method)
    if needed and not values[needed[0]]:
        raise ReferralValidationError(*needed)
    if data.documents_held is not None:
        known = {d.value for d in Document}
        unknown = [code for code in data.documents_held if code not in known]
        if unknown:
            raise ReferralValidationError("documents_held", "Choose documents from the list.")
        values["documents_held"] = sorted(set(data.documents_held))
    values["eligibility"] = _clean_eligibility(data.eligibility or {})
    return values


def _clean_eligibility(answers: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in answers.items():
        if value is None or value == "":
            continue  # not known
        if key not in ELIGIBILITY_KEYS:
            raise ReferralValidationError("eligibility", f"Unknown eligibility question: {key}.")
        if key in ENUM_ANSWERS:
            try:
                out[key] = ENUM_ANSWERS[key](value).value
            except ValueError:
                raise ReferralValidationError(key, "Choose an answer from the list.") from None
        elif isinstance(value, bool):
            out[key] = value
        else:
            raise ReferralValidationError(key, "Answer yes, no or not known.")
    return out


def create_client(data: ClientData, actor: User, *, allow_duplicate: bool = False) -> Client:
    """Record a person; the creator joins the team as primary coordinator."""
    if not can(actor, "client.create"):
        raise NotAllowed("Only counselors can add a person.")
    values = _validated(data)
    if not allow_duplicate:
        matches = find_possible_duplicates(
            values["first_name"], values["last_name"], data.date_of_birth
        )
        if matches:
            raise DuplicateClient(matches)
    values["facility_id"] = values["facility_id"] or actor.facility_id
    client = Client(created_by_id=actor.id, **values)
    client.team.append(CareTeamMember(user_id=actor.id, is_coordinator=True, added_by_id=actor.id))
    db.session.add(client)
    db.session.flush()
    audit("client.create", client, actor, client_id=client.id)
    db.session.flush()
    return client


def update_client(client: Client, data: ClientData, actor: User) -> Client:
    """Change a person's record; the audit names the fields changed, never their values."""
    if not can(actor, "client.edit", client):
        raise NotAllowed("Only the person's care team can change this record.")
    values = _validated(data)
    if values["facility_id"] is None:
        values["facility_id"] = client.facility_id
    changed = sorted(name for name, value in values.items() if getattr(client, name) != value)
    for name in changed:
        setattr(client, name, values[name])
    if changed:
        audit("client.update", client, actor, client_id=client.id, details={"fields": changed})
    db.session.flush()
    return client


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def client_profile(client: Client, today: date | None = None) -> EligibilityProfile:
    """The person in the eligibility matcher's vocabulary (anything unanswered stays unknown)."""
    today = today or local_today()
    answers = client.eligibility or {}

    def enum_answer(key: str) -> Any:
        try:
            return ENUM_ANSWERS[key](answers[key]) if answers.get(key) else None
        except ValueError:
            return None

    documents = None
    if client.documents_held is not None:
        documents = frozenset(
            Document(code) for code in client.documents_held if code in Document._value2member_map_
        )
    return EligibilityProfile(
        **{key: answers.get(key) for key in BOOLEAN_ANSWERS},
        gender=enum_answer("gender"),
        supervision=enum_answer("supervision"),
        age=_age(client.date_of_birth, today),
        town=client.destination_town,
        county=client.destination_county,
        documents=documents,
    )


def visible_clients_query(user: User) -> Select[tuple[Client]]:
    """Counselors see the people on their care teams, admins everyone, others nobody."""
    query = select(Client)
    if user.role == Role.COUNSELOR:
        teams = select(CareTeamMember.client_id).where(CareTeamMember.user_id == user.id)
        query = query.where(Client.id.in_(teams))
    elif user.role != Role.ADMIN:
        query = query.where(false())
    return query.order_by(
        Client.projected_release_date.is_(None),
        Client.projected_release_date,
        Client.last_name,
        Client.first_name,
        Client.id,
    )


# --- the care team ------------------------------------------------------------------------------


def _require_team_manager(client: Client, actor: User) -> None:
    if not can(actor, "team.manage", client):
        raise NotAllowed("Only the primary coordinator can change the care team.")


NO_SUCH_COUNSELOR = "No active counselor account uses that e-mail address."


def counselor_by_email(email: str) -> User | None:
    """The active counselor with exactly this address (any case), else None.

    An exact match, never a LIKE pattern: `_` and `%` are ordinary characters in an address,
    and callers answer NO_SUCH_COUNSELOR whatever the reason, so accounts cannot be enumerated.
    """
    from app.accounts.models import User

    wanted = (email or "").strip().lower()
    if not wanted:
        return None
    return db.session.scalar(
        select(User).where(
            func.lower(User.email) == wanted,
            User.role == Role.COUNSELOR,
            User.active.is_(True),
        )
    )


def add_team_member(client: Client, user: User, title: str | None, actor: User) -> CareTeamMember:
    """Add a counselor-role user (parole officer, case manager, mentor...) to the team."""
    _require_team_manager(client, actor)
    if user.role != Role.COUNSELOR or not user.active:
        raise ReferralValidationError("user_id", "Only active counselor accounts can join a team.")
    if team_membership(user, client) is not None:
        raise ReferralValidationError("user_id", f"{user.name} is already on the team.")
    member = CareTeamMember(user=user, title=_clean(title), added_by_id=actor.id)
    client.team.append(member)
    db.session.flush()
    audit(
        "team.add",
        client,
        actor,
        client_id=client.id,
        details={"user_id": user.id, "title": member.title},
    )
    db.session.flush()
    return member


def remove_team_member(client: Client, user: User, actor: User) -> None:
    _require_team_manager(client, actor)
    member = team_membership(user, client)
    if member is None:
        raise ReferralValidationError("user_id", f"{user.name} is not on the team.")
    if member.is_coordinator:
        raise ReferralValidationError(
            "user_id", "Choose another primary coordinator before removing this one."
        )
    client.team.remove(member)
    audit("team.remove", client, actor, client_id=client.id, details={"user_id": user.id})
    db.session.flush()


def set_coordinator(client: Client, user: User, actor: User) -> CareTeamMember:
    """Make a team member the one primary coordinator."""
    _require_team_manager(client, actor)
    member = team_membership(user, client)
    if member is None:
        raise ReferralValidationError("user_id", "Add this person to the team first.")
    for other in client.team:
        other.is_coordinator = other is member
    audit("team.coordinator", client, actor, client_id=client.id, details={"user_id": user.id})
    db.session.flush()
    return member


def coordinators(client: Client) -> list[User]:
    return [m.user for m in client.team if m.is_coordinator]
