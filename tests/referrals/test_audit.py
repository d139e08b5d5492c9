"""The audit trail records every change and every provider view; nobody can alter it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.audit.services import audit_query
from app.referrals.data import ClientData
from app.referrals.models import ReferralEvent
from app.referrals.services import (
    create_client,
    open_referral_as_provider,
    revoke_consent,
    transition,
    update_client,
)
from tests import factories
from tests.referrals.conftest import DATE_OF_BIRTH, FIRST_NAME, INMATE_NUMBER, LAST_NAME


def entries(db, **kw) -> list[AuditEntry]:  # noqa: ANN001,ANN003
    return list(db.session.scalars(audit_query(**kw)))


def test_every_change_and_provider_view_is_recorded(world, db):  # noqa: ANN001
    client = world.client
    assert [e.action for e in entries(db, client_id=client.id)] == ["client.create"]

    update_client(
        client,
        ClientData(
            first_name=FIRST_NAME,
            last_name=LAST_NAME,
            date_of_birth=DATE_OF_BIRTH,
            inmate_number=INMATE_NUMBER,
            destination_town="Bridgeport",
            projected_release_date=date(2030, 1, 15),
            facility_id=world.facility.id,
        ),
        world.counselor,
    )
    consent = factories.make_consent(client, world.counselor, organization=world.org)
    referral = factories.make_referral(client, world.service, world.counselor)
    open_referral_as_provider(referral, world.provider)
    transition(referral, "accept", world.provider, expected_version=referral.version)
    revoke_consent(consent, world.counselor, "withdrawn")
    db.session.commit()

    # entries written in one step share their time; the action name breaks the tie here
    trail = sorted(entries(db, client_id=client.id), key=lambda e: (e.at, e.action))
    assert [(e.action, e.actor_id) for e in trail] == [
        ("client.create", world.counselor.id),
        ("client.update", world.counselor.id),
        ("consent.record", world.counselor.id),
        ("referral.create", world.counselor.id),
        ("client.view", world.provider.id),
        ("referral.receive", world.provider.id),
        ("referral.accept", world.provider.id),
        ("consent.revoke", world.counselor.id),
    ]
    update = trail[1]
    assert update.details == {"fields": ["destination_town"]}  # names, never values
    view = trail[4]
    assert view.object_id == client.id and view.details["referral_id"] == referral.id
    assert "first_name" in view.details["fields"]
    assert trail[6].details["from"] == "received" and trail[6].details["to"] == "accepted"
    for entry in trail:
        text = repr(entry.details)
        for value in (FIRST_NAME, LAST_NAME, INMATE_NUMBER, "Bridgeport"):
            assert value not in text


def test_opening_again_is_audited_again_but_received_once(world, db):  # noqa: ANN001
    referral = factories.make_referral(world.client, world.service, world.counselor)
    open_referral_as_provider(referral, world.provider)
    open_referral_as_provider(referral, world.provider)
    db.session.commit()
    assert len(entries(db, action="client.view")) == 2
    assert [e.action for e in factories.reload(referral).events] == ["send", "receive"]
    open_referral_as_provider(referral, world.counselor)  # not provider staff: nothing
    assert len(entries(db, action="client.view")) == 2


def test_team_changes_are_audited(world, db):  # noqa: ANN001
    from app.referrals.services import add_team_member, remove_team_member

    add_team_member(world.client, world.outsider, "Mentor", world.counselor)
    remove_team_member(world.client, world.outsider, world.counselor)
    db.session.commit()
    actions = [e.action for e in entries(db, client_id=world.client.id)]
    assert {"team.add", "team.remove"} <= set(actions)


def test_audit_entries_cannot_be_changed_or_deleted(world, db):  # noqa: ANN001
    create_client(
        ClientData("Ada", "Example", date(1990, 1, 2)), world.counselor, allow_duplicate=True
    )
    db.session.commit()
    entry = entries(db)[0]
    entry.action = "nothing.happened"
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).action == "client.create"


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_entry SET action = 'nothing.happened'", "DELETE FROM audit_entry"],
)
def test_the_database_itself_refuses_to_change_or_delete_entries(world, db, statement):  # noqa: ANN001
    """Raw SQL, past the ORM, on SQLite and PostgreSQL alike: the trigger says no."""
    from sqlalchemy.exc import DBAPIError

    db.session.commit()
    before = [(e.id, e.action) for e in entries(db)]
    assert before
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.exec_driver_sql(statement)
    db.session.expire_all()
    assert [(e.id, e.action) for e in entries(db)] == before


def test_referral_events_cannot_be_changed_or_deleted(world, db):  # noqa: ANN001
    referral = factories.make_referral(world.client, world.service, world.counselor)
    [event] = referral.events
    event.to_status = "completed"
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(ReferralEvent, event.id))
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()
    stored = db.session.scalar(select(ReferralEvent).where(ReferralEvent.id == event.id))
    assert stored.to_status == "sent"
