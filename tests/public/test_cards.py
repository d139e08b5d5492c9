"""Discharge cards: codes, the public page, print view, expiry, revocation, rate limit."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from app.directory.vocabulary import ServiceStatus
from app.extensions import db
from app.public import cards
from app.public.models import DischargeCard
from tests import factories
from tests.public.helpers import (
    SECRET_DOB_TEXTS,
    SECRET_FACILITY,
    SECRET_FIRST,
    SECRET_INMATE,
    SECRET_LAST,
    accepted_referral,
    counselor_and_client,
    expire,
    load_reference_data,
    make_card,
    public_service,
)

SECRETS = (SECRET_FIRST, SECRET_LAST, SECRET_INMATE, SECRET_FACILITY, *SECRET_DOB_TEXTS)


def assert_no_client_data(text: str) -> None:
    lowered = text.lower()
    for secret in SECRETS:
        assert secret.lower() not in lowered, secret


@pytest.fixture
def card_with_client(app):  # noqa: ANN001,ANN201
    """A card for a client with distinctive personal data, from an accepted referral."""
    load_reference_data()
    counselor, client = counselor_and_client()
    house = public_service("Hope House", needs=("housing.transitional",), bring=("State ID",))
    id_office = public_service("Town ID Office", needs=("entitlements",))
    referral = accepted_referral(
        client, house, counselor, what_to_bring="Two pay stubs\nYour medicine list"
    )
    card = make_card(
        [house, id_office], client=client, actor=counselor, referrals={house.id: referral}
    )
    return card


# --- codes --------------------------------------------------------------------------------------


def test_codes_carry_at_least_40_bits_and_avoid_look_alikes(app):  # noqa: ANN001
    assert cards.CODE_BITS >= 40
    assert cards.CODE_LENGTH * math.log2(len(cards.ALPHABET)) >= 40
    assert not set("01ILOU") & set(cards.ALPHABET)
    codes = [cards.new_code() for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == cards.CODE_LENGTH and set(c) <= set(cards.ALPHABET) for c in codes)
    # every letter of the alphabet is used, none overwhelmingly (randomness sanity check)
    counts = Counter("".join(codes))
    assert set(counts) == set(cards.ALPHABET)
    assert max(counts.values()) < 2 * min(counts.values())


def test_codes_are_typed_forgivingly(app):  # noqa: ANN001
    assert cards.format_code("7KQ4M2XPRT") == "7KQ4M-2XPRT"
    for typed in ("7kq4m-2xprt", " 7KQ4M 2XPRT ", "7kq4m2xprt", "7KQ4M–2XPRT".replace("–", "-")):
        assert cards.normalize_code(typed) == "7KQ4M2XPRT"
    assert cards.normalize_code("7KQ4M-2XPR") is None  # too short
    assert cards.normalize_code("7KQ4M-2XPR0") is None  # 0 is not in the alphabet
    assert cards.normalize_code("") is None


def test_card_expires_after_180_days_by_default(app):  # noqa: ANN001
    service = public_service("Pantry")
    card = make_card([service])
    assert (card.expires_at - card.created_at).days == 180


# --- the public page ----------------------------------------------------------------------------


def test_card_page_shows_live_services_and_no_client_data(app, client, card_with_client):  # noqa: ANN001
    code = cards.format_code(card_with_client.code)
    response = client.get(f"/card/{code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Hope House" in html and "Town ID Office" in html
    assert "Your appointment:" in html and "2031" in html
    assert "Two pay stubs" in html and "State ID" in html
    assert code in html and "<svg" in html  # code and QR
    assert response.headers["Cache-Control"] == "private, no-store"
    assert_no_client_data(html)


def test_card_page_follows_catalog_changes(app, client, card_with_client):  # noqa: ANN001
    house = card_with_client.entries[0].service
    house.phones[0].number = "(860) 555-0199"
    db.session.commit()
    html = client.get(f"/card/{card_with_client.code}").get_data(as_text=True)
    assert "(860) 555-0199" in html


def test_closed_service_is_marked_with_an_alternative(app, client):  # noqa: ANN001
    load_reference_data()
    closed = public_service("Old Shelter", needs=("housing.emergency_shelter",))
    public_service("New Shelter", needs=("housing.emergency_shelter",))
    card = make_card([closed])
    closed.status = ServiceStatus.DEFUNCT
    db.session.commit()
    html = client.get(f"/card/{card.code}").get_data(as_text=True)
    assert "Closed: Closed for good" in html
    assert "Try instead:" in html and "New Shelter" in html


def test_code_lookup_is_case_and_dash_insensitive(app, client, card_with_client):  # noqa: ANN001
    raw = card_with_client.code.lower()
    response = client.get(f"/card?code={raw[:3]}%20{raw[3:]}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        "/card/" + cards.format_code(card_with_client.code)
    )
    assert client.get(f"/card/{raw}").status_code == 200


@pytest.mark.parametrize("state", ["unknown", "revoked", "expired"])
def test_dead_codes_get_a_friendly_page_with_search(app, client, card_with_client, state):  # noqa: ANN001
    code = card_with_client.code
    if state == "unknown":
        code = "22222-22222"
    elif state == "revoked":
        cards.revoke_card(card_with_client, None)
        db.session.commit()
    else:
        expire(card_with_client)
    for path in (f"/card/{code}", f"/card/{code}/print", f"/card/{code}/pdf"):
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 404
        assert "We could not open this card" in html
        assert 'action="/search"' in html  # the public search
        assert "Hope House" not in html


def test_card_lookups_are_rate_limited(app, client, card_with_client):  # noqa: ANN001
    statuses = [client.get(f"/card/33333-{i:05d}".replace("0", "3")).status_code for i in range(30)]
    assert set(statuses) == {404}
    response = client.get(f"/card/{card_with_client.code}")  # even a good code now waits
    assert response.status_code == 429
    assert "Please wait a minute" in response.get_data(as_text=True)


def test_card_opens_in_its_language_unless_the_reader_chose(app, client):  # noqa: ANN001
    service = public_service("Pantry")
    card = make_card([service], language="es")
    html = client.get(f"/card/{card.code}").get_data(as_text=True)
    assert '<html lang="es">' in html and "Lugares que le pueden ayudar" in html
    html = client.get(f"/card/{card.code}?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html and "Places that can help you" in html


def test_print_view_is_one_plain_page_with_code_qr_and_address(app, client, card_with_client):  # noqa: ANN001
    code = cards.format_code(card_with_client.code)
    html = client.get(f"/card/{code}/print").get_data(as_text=True)
    assert "public-card.css" in html
    assert code in html and "<svg" in html
    assert f"http://localhost/card/{code}" in html
    assert "Information checked on" in html
    assert "Hope House" in html and "Hours:" in html and "Bring:" in html
    assert_no_client_data(html)


def test_revoked_card_keeps_its_row(app, card_with_client):  # noqa: ANN001
    cards.revoke_card(card_with_client, None)
    db.session.commit()
    assert db.session.get(DischargeCard, card_with_client.id).revoked_at is not None
    assert cards.find_active_card(card_with_client.code) is None


def test_a_card_needs_a_service(app):  # noqa: ANN001
    with pytest.raises(cards.CardError):
        cards.create_card([], language="en", client=None, actor=None)
    with pytest.raises(cards.CardError):
        cards.create_card(
            [cards.EntryChoice(factories.make_service().id)], language="fr", client=None, actor=None
        )


def test_sample_card_is_made_once_from_sample_services(app, client):  # noqa: ANN001
    from app.public.sample import SAMPLE_CODE, ensure_sample_card, sample_card_code

    load_reference_data()
    assert ensure_sample_card() is None  # no sample services yet
    public_service("Sample Shelter", needs=("housing.emergency_shelter",))
    sample = factories.make_organization(name="Sample Org", is_sample=True)
    location = factories.make_location(sample)
    service = factories.make_service(sample, location=location, name="Sample ID Help")
    from app.directory.models import TaxonomyTerm

    service.taxonomy_terms = [db.session.get(TaxonomyTerm, "need-entitlements")]
    db.session.commit()
    card = ensure_sample_card()
    db.session.commit()
    assert card.code == SAMPLE_CODE and [e.service_id for e in card.entries] == [service.id]
    assert ensure_sample_card().id == card.id
    html = client.get(f"/card/{sample_card_code()}").get_data(as_text=True)
    assert "Sample ID Help" in html and "Sample Shelter" not in html
