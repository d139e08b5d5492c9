"""Every read of a client record, by any role and through any door, is in the audit trail,
with ids and field names only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.api_tokens import create_token
from app.audit.models import AuditEntry
from app.extensions import db
from tests import factories
from tests.referrals.conftest import FIRST_NAME, INMATE_NUMBER, LAST_NAME


def views() -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.action == "client.view").order_by(AuditEntry.at)
    return list(db.session.scalars(query))


def bearer(user) -> dict[str, str]:  # noqa: ANN001
    _, plaintext = create_token(user, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {plaintext}"}


@pytest.mark.parametrize("who", ["counselor", "admin"])
def test_staff_reads_of_client_pages_are_audited(client, login, world, who):  # noqa: ANN001
    user = getattr(world, who)
    referral = factories.make_referral(world.client, world.service, world.counselor)
    db.session.commit()
    login(user)
    for path in (
        f"/referrals/clients/{world.client.id}",
        f"/referrals/clients/{world.client.id}/edit",
        f"/referrals/{referral.id}",
    ):
        assert client.get(path).status_code == 200, path
    trail = views()
    assert [(e.actor_id, e.client_id, e.details["via"]) for e in trail] == [
        (user.id, world.client.id, "page")
    ] * 3
    assert trail[2].details["referral_id"] == referral.id
    for entry in trail:
        for value in (FIRST_NAME, LAST_NAME, INMATE_NUMBER):
            assert value not in repr(entry.details)


def test_a_refused_read_leaves_no_view_entry(client, login, world):  # noqa: ANN001
    login(world.outsider)
    assert client.get(f"/referrals/clients/{world.client.id}").status_code == 403
    assert views() == []


@pytest.mark.parametrize("who", ["counselor", "admin", "provider"])
def test_api_and_fhir_reads_are_audited_for_every_role(client, world, who):  # noqa: ANN001
    user = getattr(world, who)
    referral = factories.make_referral(world.client, world.service, world.counselor)
    db.session.commit()
    headers = bearer(user)
    assert client.get(f"/api/referrals/{referral.id}", headers=headers).status_code == 200
    assert client.get(f"/api/referrals/{referral.id}/fhir", headers=headers).status_code == 200
    trail = views()
    assert [(e.actor_id, e.details["via"], e.details["referral_id"]) for e in trail] == [
        (user.id, "api", referral.id),
        (user.id, "fhir", referral.id),
    ]
    assert all(e.client_id == world.client.id for e in trail)


def test_the_api_answer_to_a_step_is_an_audited_read_too(client, world):  # noqa: ANN001
    referral = factories.make_referral(world.client, world.service, world.counselor)
    db.session.commit()
    response = client.post(
        f"/api/referrals/{referral.id}/transitions",
        json={"to": "received", "version": referral.version},
        headers=bearer(world.provider),
    )
    assert response.status_code == 200, response.get_json()
    [entry] = views()
    assert entry.actor_id == world.provider.id and entry.details["via"] == "api"
    assert "first_name" in entry.details["fields"]  # names of what was shown, never values
    assert FIRST_NAME not in repr(entry.details)
