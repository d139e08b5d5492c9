"""My caseload's rules: whose people, in what order, and each figure on a row (readiness,
overdue items, referrals waiting and late, unread notifications), with the filters."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.clock import local_today, utcnow
from app.domain_errors import Invalid
from app.extensions import db
from app.notify.services import notify_users
from app.plans import services
from app.plans.caseload import NO_PLAN, my_caseload, release_in_words
from app.plans.vocabulary import ItemKind, PlanPhase
from app.referrals.models import Client
from app.referrals.services import transition
from app.referrals.workflow import Action
from tests import factories


def _person(world, days: int | None = None, released_days_ago: int | None = None, **kw):  # noqa: ANN001,ANN003,ANN202
    today = local_today()
    released = None if released_days_ago is None else today - timedelta(days=released_days_ago)
    return factories.make_client(
        kw.pop("counselor", world.counselor),
        projected_release_date=None if days is None else today + timedelta(days=days),
        released_on=released,
        **kw,
    )


def _names(caseload) -> list[str]:  # noqa: ANN001
    return [row.client.full_name for row in caseload.rows]


def _row(caseload, client: Client):  # noqa: ANN001,ANN202
    return next(row for row in caseload.rows if row.client.id == client.id)


# --- whose people, in what order ---------------------------------------------------------------


def test_soonest_release_first_then_the_released_then_unknown_dates(world) -> None:  # noqa: ANN001
    db.session.delete(world.client)
    db.session.commit()
    unknown = _person(world, first_name="Una", last_name="Unknown")
    long_gone = _person(world, days=None, released_days_ago=9, first_name="Lon", last_name="Gone")
    out_today = _person(world, released_days_ago=0, first_name="Ona", last_name="Today")
    in_20 = _person(world, 20, first_name="Twen", last_name="Ty")
    in_3 = _person(world, 3, first_name="Thre", last_name="E")
    late = _person(world, -1, first_name="Pas", last_name="Sed")
    rows = my_caseload(world.counselor).rows
    # A projected date that passed without a release recorded comes first: it needs a look.
    assert [r.client.id for r in rows] == [
        late.id,
        in_3.id,
        in_20.id,
        out_today.id,  # the released: most recent first
        long_gone.id,
        unknown.id,
    ]
    assert [r.days_to_release for r in rows] == [-1, 3, 20, None, None, None]


def test_another_counselors_people_never_appear(world) -> None:  # noqa: ANN001
    theirs = _person(world, 5, counselor=world.outsider, first_name="Not", last_name="Mine")
    mine = my_caseload(world.counselor)
    assert theirs.id not in [r.client.id for r in mine.rows]
    assert [r.client.id for r in my_caseload(world.outsider).rows] == [theirs.id]


def test_a_second_team_member_sees_the_person_too(world) -> None:  # noqa: ANN001
    from app.referrals.services import add_team_member

    add_team_member(world.client, world.outsider, "Parole officer", world.counselor)
    db.session.commit()
    assert [r.client.id for r in my_caseload(world.outsider).rows] == [world.client.id]


def test_admins_see_everyone_providers_and_analysts_nobody(world) -> None:  # noqa: ANN001
    theirs = _person(world, 5, counselor=world.outsider)
    everyone = my_caseload(world.admin)
    assert everyone.everyone is True
    assert {r.client.id for r in everyone.rows} == {world.client.id, theirs.id}
    assert my_caseload(world.provider).rows == []
    assert my_caseload(world.analyst).rows == []


# --- days to release ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("projected", "released", "words"),
    [
        (3, None, "Release in 3 days"),
        (2, None, "Release in 2 days"),
        (1, None, "Release tomorrow"),
        (0, None, "Release today"),
        (-1, None, "Projected release date passed 1 day ago"),
        (-4, None, "Projected release date passed 4 days ago"),
        (None, None, "Release date not known"),
        (5, 0, "Released today"),
        (None, 1, "Released yesterday"),
        (None, 2, "Released 2 days ago"),
    ],
)
def test_release_in_plain_words(projected, released, words) -> None:  # noqa: ANN001
    today = date(2026, 3, 8)
    client = Client(
        projected_release_date=None if projected is None else today + timedelta(days=projected),
        released_on=None if released is None else today - timedelta(days=released),
    )
    assert release_in_words(client, today) == words


def test_days_count_in_the_networks_calendar(world, time_machine) -> None:  # noqa: ANN001
    """8 pm in Hartford on Dec 5 is already Dec 6 in UTC: a release on Dec 8 is in 3 days."""
    from datetime import UTC, datetime

    time_machine.move_to(datetime(2026, 12, 6, 1, 0, tzinfo=UTC), tick=False)
    world.client.projected_release_date = date(2026, 12, 8)
    db.session.commit()
    row = my_caseload(world.counselor).rows[0]
    assert (row.days_to_release, row.release_words) == (3, "Release in 3 days")


def test_the_count_line_counts_releases_within_seven_days(world) -> None:  # noqa: ANN001
    for days in (0, 3, 7, 8, -1):
        _person(world, days)
    _person(world, released_days_ago=0)
    caseload = my_caseload(world.counselor)
    assert len(caseload.rows) == 7  # with the world's own person, releasing in 2030
    assert caseload.releasing_soon == 3  # today, in 3 and in 7 days


# --- the figures on a row ----------------------------------------------------------------------


def test_no_plan_yet_has_no_readiness(world) -> None:  # noqa: ANN001
    row = my_caseload(world.counselor).rows[0]
    assert row.plan is None
    assert row.readiness is None
    assert row.overdue_items == 0


def test_readiness_and_overdue_items_follow_the_plan(world) -> None:  # noqa: ANN001
    person = _person(world, 20)  # housing and ID were due 30 days before: 10 days ago
    plan = services.start_plan(person, world.counselor)
    db.session.commit()
    row = _row(my_caseload(world.counselor), person)
    assert row.plan.id == plan.id
    assert row.readiness == (0, 7) == services.readiness(plan)
    assert row.overdue_items == 2
    housing = next(i for i in plan.items if i.kind == ItemKind.HOUSING)
    services.update_item(
        housing, world.counselor, status="arranged", due_on=housing.due_on, expected_version=1
    )
    db.session.commit()
    db.session.expire_all()
    row = _row(my_caseload(world.counselor), person)
    assert row.readiness == (1, 7)
    assert row.overdue_items == 1


def test_referrals_awaiting_an_answer_and_overdue(world) -> None:  # noqa: ANN001
    signed = local_today() - timedelta(days=30)
    factories.make_consent(world.client, world.counselor, organization=world.org, signed_on=signed)
    factories.make_referral(world.client, world.service, world.counselor)  # on time
    factories.make_referral(
        world.client, world.service, world.counselor, now=utcnow() - timedelta(days=10)
    )  # no answer in time
    answered = factories.make_referral(world.client, world.service, world.counselor)
    transition(answered, Action.ACCEPT, world.provider, expected_version=answered.version)
    db.session.commit()
    row = my_caseload(world.counselor).rows[0]
    assert (row.awaiting_referrals, row.overdue_referrals) == (2, 1)


def test_unread_notifications_about_the_person(world) -> None:  # noqa: ANN001
    other = _person(world, 5)
    referral = factories.make_referral(world.client, world.service, world.counselor)
    others_referral = factories.make_referral(other, world.service, world.counselor)
    me = [world.counselor]
    notify_users(me, "referral.accept", "Accepted", f"/referrals/{referral.id}")
    notify_users(me, "consent.expiring", "Consent", f"/referrals/clients/{world.client.id}")
    notify_users(me, "plan.answer", "Answer", f"/referrals/clients/{world.client.id}/plan#i-1")
    notify_users(me, "referral.accept", "Other", f"/referrals/{others_referral.id}")
    notify_users(me, "general", "No person", "/directory/")
    read = notify_users(me, "referral.accept", "Old", f"/referrals/{referral.id}")[0]
    read.read_at = utcnow()
    notify_users([world.outsider], "x", "Not mine", f"/referrals/{referral.id}")
    db.session.commit()
    caseload = my_caseload(world.counselor)
    assert _row(caseload, world.client).unread == 3
    assert _row(caseload, other).unread == 1


# --- filters -----------------------------------------------------------------------------------


def test_filter_by_facility(world) -> None:  # noqa: ANN001
    elsewhere = factories.make_facility(name="Elsewhere Correctional")
    there = _person(world, 9, facility_id=elsewhere.id)
    world.client.facility_id = world.facility.id
    db.session.commit()
    assert _names(my_caseload(world.counselor, facility_id=elsewhere.id)) == [there.full_name]
    here = my_caseload(world.counselor, facility_id=world.facility.id)
    assert [r.client.id for r in here.rows] == [world.client.id]
    assert here.rows[0].client.facility.name == world.facility.name


def test_filter_by_phase_and_no_plan_yet(world) -> None:  # noqa: ANN001
    planned = _person(world, 9)
    services.start_plan(planned, world.counselor)
    db.session.commit()
    in_facility = my_caseload(world.counselor, phase=PlanPhase.IN_FACILITY.value)
    assert [r.client.id for r in in_facility.rows] == [planned.id]
    assert my_caseload(world.counselor, phase=PlanPhase.RELEASING.value).rows == []
    assert [r.client.id for r in my_caseload(world.counselor, phase=NO_PLAN).rows] == [
        world.client.id
    ]


def test_an_unknown_phase_is_refused_at_its_field(world) -> None:  # noqa: ANN001
    with pytest.raises(Invalid) as refused:
        my_caseload(world.counselor, phase="on_the_moon")
    assert refused.value.field == "phase"


def test_facility_choices_are_only_my_peoples(world) -> None:  # noqa: ANN001
    from app.plans.caseload import facility_options

    mine = factories.make_facility(name="Mine Correctional")
    theirs = factories.make_facility(name="Theirs Correctional")
    _person(world, 3, facility_id=mine.id)
    _person(world, 3, facility_id=theirs.id, counselor=world.outsider)
    names = [f.name for f in facility_options(world.counselor)]
    assert "Mine Correctional" in names
    assert "Theirs Correctional" not in names
    assert "Theirs Correctional" in [f.name for f in facility_options(world.outsider)]
