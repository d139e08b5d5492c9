"""Clients, care teams, visibility, provider isolation, sending rules and capacity on accept."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.directory.models import CapacityHistory
from app.directory.vocabulary import Answer, CapacityStatus, Criterion, Document, Gender
from app.permissions import can
from app.referrals.data import ClientData, ReferralData
from app.referrals.errors import DuplicateClient, NoRoomLeft, NotAllowed, ReferralValidationError
from app.referrals.services import (
    add_team_member,
    client_profile,
    create_client,
    find_possible_duplicates,
    inbox_query,
    referral_warnings,
    remove_team_member,
    send_referral,
    set_coordinator,
    transition,
    update_client,
    visible_clients_query,
)
from app.referrals.vocabulary import ContactMethod
from tests import factories
from tests.referrals.conftest import DATE_OF_BIRTH, FIRST_NAME, LAST_NAME


def data(**kw) -> ClientData:  # noqa: ANN003
    values = {"first_name": "Ada", "last_name": "Example", "date_of_birth": date(1990, 1, 2)}
    return ClientData(**(values | kw))


# --- clients -------------------------------------------------------------------------------------


def test_creator_is_team_member_and_coordinator(world, db):  # noqa: ANN001
    client = create_client(data(), world.counselor)
    db.session.commit()
    [member] = client.team
    assert (member.user_id, member.is_coordinator) == (world.counselor.id, True)
    assert client.facility_id == world.counselor.facility_id  # defaults to the counselor's


def test_possible_duplicate_is_flagged_before_a_second_record(world, db):  # noqa: ANN001
    same = data(first_name=f"  {FIRST_NAME.upper()} ", last_name=LAST_NAME.lower())
    same.date_of_birth = DATE_OF_BIRTH
    assert find_possible_duplicates(same.first_name, same.last_name, DATE_OF_BIRTH) == [
        world.client
    ]
    with pytest.raises(DuplicateClient) as error:
        create_client(same, world.outsider)
    assert error.value.matches == [world.client]
    db.session.rollback()
    other_day = data(first_name=FIRST_NAME, last_name=LAST_NAME, date_of_birth=date(1979, 11, 24))
    assert create_client(other_day, world.outsider)  # same name, other birthday: no flag
    twin = create_client(same, world.outsider, allow_duplicate=True)
    assert twin.id != world.client.id


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first_name": "  "}, "first_name"),
        ({"date_of_birth": date(2999, 1, 1)}, "date_of_birth"),
        ({"contact_method": ContactMethod.PHONE}, "contact_phone"),
        ({"contact_method": "email"}, "contact_email"),
        ({"contact_method": "through_person"}, "contact_person"),
        ({"contact_method": "carrier pigeon"}, "contact_method"),
        ({"documents_held": ["state_id", "passport"]}, "documents_held"),
        ({"eligibility": {"favourite_colour": True}}, "eligibility"),
        ({"eligibility": {"gender": "robot"}}, "gender"),
        ({"eligibility": {"veteran": "maybe"}}, "veteran"),
    ],
)
def test_bad_client_data_is_refused(world, db, changes, field):  # noqa: ANN001
    with pytest.raises(ReferralValidationError) as error:
        create_client(data(**changes), world.counselor)
    assert error.value.field == field


def test_only_counselors_and_admins_create_clients(world, db):  # noqa: ANN001
    for user in (world.provider, world.analyst):
        with pytest.raises(NotAllowed):
            create_client(data(), user)
    assert create_client(data(), world.admin)


def test_update_client_by_team_only(world, db):  # noqa: ANN001
    new = data(first_name=FIRST_NAME, last_name=LAST_NAME, date_of_birth=DATE_OF_BIRTH)
    new.destination_town = "New Haven"
    with pytest.raises(NotAllowed):
        update_client(world.client, new, world.outsider)
    update_client(world.client, new, world.counselor)
    db.session.commit()
    assert factories.reload(world.client).destination_town == "New Haven"


def test_client_profile_uses_the_matchers_vocabulary(world, db):  # noqa: ANN001
    client = create_client(
        data(
            date_of_birth=date(1990, 6, 15),
            destination_town="Waterbury",
            destination_county="New Haven County",
            documents_held=["state_id"],
            eligibility={"veteran": True, "gender": "female", "on_registry": False},
        ),
        world.counselor,
    )
    profile = client_profile(client, date(2030, 6, 14))
    assert profile.age == 39
    assert (profile.town, profile.county) == ("Waterbury", "New Haven County")
    assert profile.documents == frozenset({Document.STATE_ID})
    assert (profile.veteran, profile.gender, profile.on_registry) == (True, Gender.FEMALE, False)
    assert profile.on_mat is None  # not asked = not known


# --- teams and visibility -------------------------------------------------------------------------


def test_team_members_see_the_client_and_others_do_not(world, db):  # noqa: ANN001
    def visible(user):  # noqa: ANN001,ANN202
        return list(db.session.scalars(visible_clients_query(user)))

    assert visible(world.counselor) == [world.client]
    assert visible(world.outsider) == []
    assert visible(world.provider) == visible(world.analyst) == []
    assert visible(world.admin) == [world.client]
    assert not can(world.outsider, "client.view", world.client)
    assert can(world.counselor, "client.view", world.client)

    add_team_member(world.client, world.outsider, "Parole officer", world.counselor)
    db.session.commit()
    assert visible(world.outsider) == [world.client]
    assert can(world.outsider, "client.view", world.client)
    assert not can(world.outsider, "team.manage", world.client)  # not the coordinator


def test_visible_clients_are_ordered_by_release_date(world, db):  # noqa: ANN001
    later = factories.make_client(world.counselor, projected_release_date=date(2031, 1, 1))
    sooner = factories.make_client(world.counselor, projected_release_date=date(2029, 1, 1))
    unknown = factories.make_client(world.counselor)
    order = list(db.session.scalars(visible_clients_query(world.counselor)))
    assert order == [sooner, world.client, later, unknown]


def test_only_the_coordinator_changes_the_team(world, db):  # noqa: ANN001
    mentor = factories.make_user(Role.COUNSELOR, name="Mo Mentor")
    with pytest.raises(NotAllowed):
        add_team_member(world.client, mentor, "Mentor", world.outsider)
    add_team_member(world.client, world.outsider, "Case manager", world.counselor)
    with pytest.raises(NotAllowed):  # a member who is not the coordinator
        add_team_member(world.client, mentor, "Mentor", world.outsider)
    with pytest.raises(ReferralValidationError):  # members must be counselors
        add_team_member(world.client, world.provider, "Landlord", world.counselor)
    with pytest.raises(ReferralValidationError):  # already on it
        add_team_member(world.client, world.outsider, None, world.counselor)
    with pytest.raises(ReferralValidationError):  # pick a new quarterback first
        remove_team_member(world.client, world.counselor, world.counselor)

    set_coordinator(world.client, world.outsider, world.counselor)
    db.session.commit()
    assert [m.user_id for m in world.client.team if m.is_coordinator] == [world.outsider.id]
    with pytest.raises(NotAllowed):  # no longer the coordinator
        remove_team_member(world.client, world.outsider, world.counselor)
    remove_team_member(world.client, world.counselor, world.outsider)
    db.session.commit()
    assert [m.user_id for m in factories.reload(world.client).team] == [world.outsider.id]
    add_team_member(world.client, mentor, "Mentor", world.admin)  # admins may too


def test_referral_permissions(world, db):  # noqa: ANN001
    referral = factories.make_referral(world.client, world.service, world.counselor)
    expected = {
        "referral.view": {"counselor", "provider", "admin"},
        "referral.respond": {"provider", "admin"},
        "referral.cancel": {"counselor", "admin"},
    }
    everyone = ("counselor", "provider", "admin", "outsider", "other_provider", "analyst")
    for action, allowed in expected.items():
        for name in everyone:
            assert can(getattr(world, name), action, referral) == (name in allowed), (action, name)
    assert can(world.counselor, "referral.create", world.client)
    assert not can(world.outsider, "referral.create", world.client)
    assert not can(world.provider, "referral.create")
    assert can(world.admin, "audit.view") and not can(world.counselor, "audit.view")
    assert can(world.provider, "inbox.view") and not can(world.analyst, "inbox.view")


# --- the inbox ------------------------------------------------------------------------------------


def test_provider_inbox_shows_only_their_organizations_referrals(world, db):  # noqa: ANN001
    other_service = factories.make_service(world.other_org, name="Elsewhere Beds")
    mine = factories.make_referral(world.client, world.service, world.counselor)
    theirs = factories.make_referral(world.client, other_service, world.counselor)

    def inbox(user, **kw):  # noqa: ANN001,ANN003,ANN202
        return list(db.session.scalars(inbox_query(user, **kw)))

    assert inbox(world.provider) == [mine]
    assert inbox(world.other_provider) == [theirs]
    assert set(inbox(world.counselor)) == {mine, theirs}
    assert inbox(world.outsider) == []
    assert inbox(world.analyst) == []
    assert set(inbox(world.admin)) == {mine, theirs}
    orgless = factories.make_user(Role.PROVIDER)
    assert inbox(orgless) == []
    transition(mine, "accept", world.provider, expected_version=mine.version)
    db.session.commit()
    assert inbox(world.provider, status_filter="awaiting") == []
    assert inbox(world.provider, status_filter="accepted") == [mine]
    assert inbox(world.provider, status_filter=["sent", "accepted"]) == [mine]
    with pytest.raises(ReferralValidationError):
        inbox(world.provider, status_filter="lost")


# --- sending --------------------------------------------------------------------------------------


def test_not_eligible_needs_an_override_reason(world, db):  # noqa: ANN001
    factories.make_rule(world.service, Criterion.VETERANS_ONLY, Answer.YES)
    update = data(first_name=FIRST_NAME, last_name=LAST_NAME, date_of_birth=DATE_OF_BIRTH)
    update.eligibility = {"veteran": False}
    update_client(world.client, update, world.counselor)
    factories.make_consent(world.client, world.counselor, organization=world.org)
    codes = [w.code for w in referral_warnings(world.client, world.service)]
    assert codes == ["not_eligible"]
    with pytest.raises(ReferralValidationError) as error:
        send_referral(world.client, ReferralData(service_id=world.service.id), world.counselor)
    assert error.value.field == "eligibility_override_reason"
    assert "veterans only" in error.value.message.lower()
    referral = send_referral(
        world.client,
        ReferralData(world.service.id, eligibility_override_reason="Director agreed by phone"),
        world.counselor,
    )
    assert referral.eligibility_override_reason == "Director agreed by phone"


def test_no_fresh_capacity_needs_acknowledgement(world, db):  # noqa: ANN001
    capacity = world.service.capacities[0]
    capacity.status, capacity.available = CapacityStatus.NO_CAPACITY, 0
    db.session.commit()
    factories.make_consent(world.client, world.counselor, organization=world.org)
    assert [w.code for w in referral_warnings(world.client, world.service)] == ["no_fresh_capacity"]
    with pytest.raises(ReferralValidationError) as error:
        send_referral(world.client, ReferralData(service_id=world.service.id), world.counselor)
    assert error.value.field == "acknowledge_no_capacity"
    referral = send_referral(
        world.client,
        ReferralData(world.service.id, acknowledge_no_capacity=True),
        world.counselor,
    )
    assert referral.status == "sent"


def test_send_copies_organization_facility_and_need_area(world, db):  # noqa: ANN001
    referral = factories.make_referral(
        world.client, world.service, world.counselor, location_id=world.location.id
    )
    assert referral.organization_id == world.org.id
    assert referral.facility_id == world.facility.id
    assert referral.referrer_id == world.counselor.id
    assert referral.need_area_code == "housing.transitional"  # the most specific area
    assert [(e.action, e.to_status) for e in referral.events] == [("send", "sent")]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"service_id": "nope"}, "service_id"),
        ({"location_id": "elsewhere"}, "location_id"),
        ({"priority": "whenever"}, "priority"),
        ({"need_area_code": "astrology"}, "need_area_code"),
        ({"note_to_provider": "x" * 2001}, "note_to_provider"),
    ],
)
def test_bad_referral_input_is_refused(world, db, changes, field):  # noqa: ANN001
    factories.make_consent(world.client, world.counselor, organization=world.org)
    values = {"service_id": world.service.id, "acknowledge_no_capacity": True} | changes
    with pytest.raises(ReferralValidationError) as error:
        send_referral(world.client, ReferralData(**values), world.counselor)
    assert error.value.field == field


def test_only_the_team_sends(world, db):  # noqa: ANN001
    factories.make_consent(world.client, world.counselor, organization=world.org)
    for user in (world.outsider, world.provider):
        with pytest.raises(NotAllowed):
            send_referral(world.client, ReferralData(world.service.id), user)


# --- capacity on accept ---------------------------------------------------------------------------


def history(capacity):  # noqa: ANN001,ANN201
    from app.extensions import db

    return list(
        db.session.scalars(
            select(CapacityHistory).where(CapacityHistory.capacity_id == capacity.id)
        )
    )


def test_accept_takes_one_place_when_the_service_says_so(world, db):  # noqa: ANN001
    world.service.capacity_decrements_on_accept = True
    db.session.commit()
    capacity = world.service.capacities[0]
    referral = factories.make_referral(world.client, world.service, world.counselor)
    event = transition(referral, "accept", world.provider, expected_version=referral.version)
    db.session.commit()
    factories.reload(capacity)
    assert capacity.available == 2
    [row] = history(capacity)
    assert (row.old_available, row.new_available, row.changed_by_id) == (3, 2, world.provider.id)
    assert event.details["available_after"] == 2


def test_accept_never_takes_below_zero_or_when_off(world, db):  # noqa: ANN001
    capacity = world.service.capacities[0]
    first = factories.make_referral(world.client, world.service, world.counselor)
    transition(first, "accept", world.provider, expected_version=first.version)
    db.session.commit()
    assert factories.reload(capacity).available == 3  # setting off: unchanged
    world.service.capacity_decrements_on_accept = True
    capacity.available, capacity.status = 0, CapacityStatus.NO_CAPACITY
    db.session.commit()
    second = factories.make_referral(world.client, world.service, world.counselor)
    with pytest.raises(NoRoomLeft):  # none left: the provider is asked, never silently over
        transition(second, "accept", world.provider, expected_version=second.version)
    db.session.rollback()
    transition(
        second, "accept", world.provider, expected_version=second.version, over_capacity=True
    )
    db.session.commit()
    assert factories.reload(capacity).available == 0
    assert history(capacity) == []


def test_last_place_taken_marks_the_figure_full(world, db):  # noqa: ANN001
    world.service.capacity_decrements_on_accept = True
    capacity = world.service.capacities[0]
    capacity.available = 1
    db.session.commit()
    referral = factories.make_referral(world.client, world.service, world.counselor)
    transition(referral, "accept", world.provider, expected_version=referral.version)
    db.session.commit()
    factories.reload(capacity)
    assert (capacity.available, capacity.status) == (0, CapacityStatus.NO_CAPACITY)


def test_a_deactivated_account_cannot_act(world, db):  # noqa: ANN001
    from app.referrals.errors import NotAllowed as Refused

    referral = factories.make_referral(world.client, world.service, world.counselor)
    world.provider.active = False
    db.session.commit()
    with pytest.raises(Refused):
        transition(referral, "accept", world.provider, expected_version=referral.version)
