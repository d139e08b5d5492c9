"""Consent enforcement: no consent, expired, revoked, another organization's, a need area's."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.clock import local_today
from app.referrals.data import ConsentData, ReferralData
from app.referrals.errors import ConsentRequired, NotAllowed, ReferralValidationError
from app.referrals.services import (
    active_consent_for,
    consent_state,
    provider_view_of_client,
    record_consent,
    referral_warnings,
    revoke_consent,
    send_referral,
)
from app.referrals.vocabulary import ConsentShare
from tests import factories
from tests.referrals.conftest import DATE_OF_BIRTH, FIRST_NAME, LAST_NAME

TODAY = local_today()


def send(world, **kw):  # noqa: ANN001,ANN003,ANN201
    data = ReferralData(service_id=world.service.id, acknowledge_no_capacity=True, **kw)
    return send_referral(world.client, data, world.counselor)


def test_no_consent_no_referral(world, db):  # noqa: ANN001
    with pytest.raises(ConsentRequired):
        send(world)
    assert [w.code for w in referral_warnings(world.client, world.service)] == ["no_consent"]


def test_expired_consent_does_not_count(world, db):  # noqa: ANN001
    factories.make_consent(
        world.client,
        world.counselor,
        organization=world.org,
        signed_on=TODAY - timedelta(days=400),
        expires_on=TODAY - timedelta(days=1),
    )
    assert active_consent_for(world.client, world.service, TODAY) is None
    with pytest.raises(ConsentRequired):
        send(world)


def test_consent_for_another_organization_does_not_count(world, db):  # noqa: ANN001
    factories.make_consent(world.client, world.counselor, organization=world.other_org)
    with pytest.raises(ConsentRequired):
        send(world)


def test_need_area_consent_covers_services_in_that_area(world, db):  # noqa: ANN001
    consent = factories.make_consent(world.client, world.counselor, need_area_code="housing")
    assert active_consent_for(world.client, world.service, TODAY) == consent
    referral = send(world)
    assert referral.consent_id == consent.id


def test_need_area_consent_for_another_area_does_not_count(world, db):  # noqa: ANN001
    factories.make_consent(world.client, world.counselor, need_area_code="employment")
    with pytest.raises(ConsentRequired):
        send(world)


def test_revoked_consent_withholds_details_and_blocks_new_referrals(world, db):  # noqa: ANN001
    consent = factories.make_consent(world.client, world.counselor, organization=world.org)
    referral = send(world, note_to_provider="Needs a ground-floor room")
    db.session.commit()
    view = provider_view_of_client(referral, TODAY)
    assert view["first_name"] == FIRST_NAME
    assert view["date_of_birth"] == DATE_OF_BIRTH
    assert view["note_to_provider"] == "Needs a ground-floor room"

    revoke_consent(consent, world.counselor, "Changed their mind")
    db.session.commit()
    factories.reload(referral)
    assert provider_view_of_client(referral, TODAY) == {}
    assert consent_state(referral, TODAY) == "revoked"
    assert referral.status == "sent"  # the referral stays, de-identified
    with pytest.raises(ConsentRequired):
        send(world)
    with pytest.raises(ReferralValidationError):
        revoke_consent(consent, world.counselor, "again")


def test_expiry_withholds_details(world, db):  # noqa: ANN001
    factories.make_consent(
        world.client, world.counselor, organization=world.org, expires_on=TODAY + timedelta(days=3)
    )
    referral = send(world)
    assert provider_view_of_client(referral, TODAY)
    later = TODAY + timedelta(days=4)
    assert provider_view_of_client(referral, later) == {}
    assert consent_state(referral, later) == "expired"


def test_provider_sees_only_what_was_shared(world, db):  # noqa: ANN001
    factories.make_consent(
        world.client,
        world.counselor,
        organization=world.org,
        shares=[ConsentShare.CONTACT.value, ConsentShare.DOCUMENTS.value],
    )
    referral = send(world, note_to_provider="private note")
    view = provider_view_of_client(referral, TODAY)
    assert "contact_method" in view and "documents_held" in view
    for hidden in ("first_name", "last_name", "date_of_birth", "note_to_provider", "eligibility"):
        assert hidden not in view
    assert LAST_NAME not in repr(view)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"organization_id": None}, "organization_id"),  # neither
        ({"need_area_code": "housing"}, "organization_id"),  # both
        ({"organization_id": "no-such-org"}, "organization_id"),
        ({"organization_id": None, "need_area_code": "no-such-area"}, "need_area_code"),
        ({"shares": []}, "shares"),
        ({"shares": ["identity", "everything"]}, "shares"),
        ({"expires_on": TODAY - timedelta(days=10)}, "expires_on"),
    ],
)
def test_bad_consent_is_refused(world, db, changes, field):  # noqa: ANN001
    values = {
        "organization_id": world.org.id,
        "need_area_code": None,
        "shares": ["identity"],
        "signed_on": TODAY,
        "expires_on": TODAY + timedelta(days=30),
    } | changes
    with pytest.raises(ReferralValidationError) as error:
        record_consent(world.client, ConsentData(**values), world.counselor)
    assert error.value.field == field
    assert world.client.consents == []


def test_only_the_team_records_consent(world, db):  # noqa: ANN001
    data = ConsentData(world.org.id, None, ["identity"], TODAY, TODAY + timedelta(days=30))
    for outsider in (world.outsider, world.provider, world.analyst):
        with pytest.raises(NotAllowed):
            record_consent(world.client, data, outsider)
    assert record_consent(world.client, data, world.admin).recorded_by_id == world.admin.id
