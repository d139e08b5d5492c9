"""The counselor's card builder: pre-checked from accepted referrals and nearby benefits."""

from __future__ import annotations

from app.accounts.models import Role
from app.extensions import db
from app.public.models import DischargeCard
from app.referrals.vocabulary import ReferralStatus
from tests import factories
from tests.public.helpers import (
    accepted_referral,
    counselor_and_client,
    load_reference_data,
    public_service,
)


def _setup():  # noqa: ANN202
    load_reference_data()
    counselor, client = counselor_and_client(destination_town="Hartford")
    house = public_service("Hope House", needs=("housing.transitional",))
    snap = public_service("SNAP Office", needs=("entitlements",), town="Hartford")
    far_id = public_service("Far ID Office", needs=("entitlements",), town="Norwich")
    pending = public_service("Pending Program", needs=("employment",))
    accepted = accepted_referral(client, house, counselor)
    factories.make_referral(client, pending, counselor)  # only sent: not offered
    return counselor, client, house, snap, far_id, pending, accepted


def test_builder_prechecks_accepted_referrals_and_benefits_near_the_destination(app, client, login):  # noqa: ANN001
    counselor, person, house, snap, far_id, pending, accepted = _setup()
    login(counselor)
    response = client.get(f"/cards/new?client={person.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'value="r:{accepted.id}" checked' in html
    assert f'value="s:{snap.id}" checked' in html
    assert "Hope House" in html and "SNAP Office" in html
    assert "Far ID Office" not in html and "Pending Program" not in html
    assert (
        '<input checked id="language-0" name="language" required type="radio" value="en">' in html
    )


def test_making_a_card_takes_one_post(app, client, login):  # noqa: ANN001
    counselor, person, house, snap, *_, accepted = _setup()
    login(counselor)
    response = client.post(
        f"/cards/new?client={person.id}",
        data={"services": [f"r:{accepted.id}", f"s:{snap.id}"], "language": "es"},
    )
    assert response.status_code == 302
    card = db.session.query(DischargeCard).one()
    assert response.headers["Location"].endswith(f"/cards/{card.id}")
    assert card.language == "es" and card.client_id == person.id
    assert [e.service_id for e in card.entries] == [house.id, snap.id]
    assert card.entries[0].referral_id == accepted.id
    page = client.get(f"/cards/{card.id}").get_data(as_text=True)
    assert "<svg" in page and "Print the card" in page and "Download PDF" in page


def test_a_card_without_services_is_refused(app, client, login):  # noqa: ANN001
    counselor, person, *_ = _setup()
    login(counselor)
    response = client.post(f"/cards/new?client={person.id}", data={"language": "en"})
    assert response.status_code == 422
    assert "Choose at least one service" in response.get_data(as_text=True)
    assert db.session.query(DischargeCard).count() == 0


def test_revoking_stops_the_code(app, client, login):  # noqa: ANN001
    counselor, person, house, snap, *_, accepted = _setup()
    login(counselor)
    client.post(
        f"/cards/new?client={person.id}", data={"services": [f"s:{snap.id}"], "language": "en"}
    )
    card = db.session.query(DischargeCard).one()
    assert client.get(f"/card/{card.code}").status_code == 200
    assert client.post(f"/cards/{card.id}/revoke").status_code == 302
    assert client.get(f"/card/{card.code}").status_code == 404


def test_only_the_clients_team_may_make_or_see_cards(app, client, login):  # noqa: ANN001
    counselor, person, house, snap, *_ = _setup()
    other = factories.make_user(Role.COUNSELOR, facility=factories.make_facility())
    login(other)
    assert client.get(f"/cards/new?client={person.id}").status_code == 403
    assert client.get("/cards/new?client=nobody").status_code == 404
    assert client.get("/cards/new").status_code == 404


def test_withdrawn_referrals_lose_their_intake_time_on_the_card(app, client, login):  # noqa: ANN001
    counselor, person, house, snap, *_, accepted = _setup()
    login(counselor)
    client.post(
        f"/cards/new?client={person.id}",
        data={"services": [f"r:{accepted.id}"], "language": "en"},
    )
    card = db.session.query(DischargeCard).one()
    assert "Your appointment:" in client.get(f"/card/{card.code}").get_data(as_text=True)
    accepted.status = ReferralStatus.CANCELLED
    db.session.commit()
    assert "Your appointment:" not in client.get(f"/card/{card.code}").get_data(as_text=True)


def test_counselor_finds_and_adds_any_active_service(app, client, login):  # noqa: ANN001
    counselor, person, house, snap, far_id, pending, accepted = _setup()
    closed = public_service("Closed Food Bank", needs=("food",), status="inactive")
    pantry = public_service("Elm Food Pantry", needs=("food",), town="Norwich")
    login(counselor)

    found = client.get(f"/cards/new?client={person.id}&find=food").get_data(as_text=True)
    assert "Elm Food Pantry" in found and "Closed Food Bank" not in found
    assert f"add={pantry.id}" in found

    page = client.get(f"/cards/new?client={person.id}&add={pantry.id}").get_data(as_text=True)
    assert f'value="s:{pantry.id}" checked' in page and "Added by you" in page
    assert f'action="/cards/new?client={person.id}&amp;add={pantry.id}"' in page

    inactive = client.get(f"/cards/new?client={person.id}&add={closed.id}")
    assert "Closed Food Bank" not in inactive.get_data(as_text=True)  # never offered

    response = client.post(
        f"/cards/new?client={person.id}&add={pantry.id}",
        data={"services": [f"r:{accepted.id}", f"s:{pantry.id}"], "language": "en"},
    )
    assert response.status_code == 302
    card = db.session.query(DischargeCard).one()
    assert [e.service_id for e in card.entries] == [house.id, pantry.id]


def test_an_evening_intake_keeps_its_local_day_and_hour(app, client, login):  # noqa: ANN001
    """Stored 01:30 UTC on May 7 is 9:30 PM on May 6 in New York (8:30 PM in Chicago)."""
    from datetime import UTC, datetime

    load_reference_data()
    counselor, person = counselor_and_client(destination_town="Hartford")
    house = public_service("Hope House", needs=("housing.transitional",))
    evening = datetime(2031, 5, 7, 1, 30, tzinfo=UTC)
    accepted = accepted_referral(person, house, counselor, intake_at=evening)
    login(counselor)
    builder = client.get(f"/cards/new?client={person.id}").get_data(as_text=True)
    assert "intake May 6, 2031" in builder
    client.post(
        f"/cards/new?client={person.id}", data={"services": [f"r:{accepted.id}"], "language": "en"}
    )
    card = db.session.query(DischargeCard).one()
    assert "(intake May 6, 2031)" in client.get(f"/cards/{card.id}").get_data(as_text=True)
    public = client.get(f"/card/{card.code}").get_data(as_text=True)
    assert "Tuesday, May 6, 2031 at 9:30" in public
    app.config["TIMEZONE"] = "America/Chicago"
    try:
        assert "Tuesday, May 6, 2031 at 8:30" in client.get(f"/card/{card.code}").get_data(
            as_text=True
        )
    finally:
        app.config["TIMEZONE"] = "America/New_York"


def test_a_card_with_no_client_link_is_for_administrators_only(app, client, login):  # noqa: ANN001
    """The sample card has no client: no counselor may view or revoke it; an admin manages it."""
    from app.public.sample import ensure_sample_card

    _setup()
    public_service("Sample Housing", needs=("housing",)).organization.is_sample = True
    card = ensure_sample_card()
    db.session.commit()
    assert card is not None and card.client_id is None
    login(factories.make_user(Role.COUNSELOR, facility=factories.make_facility()))
    assert client.get(f"/cards/{card.id}").status_code == 403
    assert client.post(f"/cards/{card.id}/revoke").status_code == 403
    assert factories.reload(card).revoked_at is None
    assert client.get(f"/card/{card.code}").status_code == 200
    client.post("/account/logout")
    login(factories.make_user(Role.ADMIN))
    assert client.get(f"/cards/{card.id}").status_code == 200
    assert client.post(f"/cards/{card.id}/revoke").status_code == 302
    assert factories.reload(card).revoked_at is not None
