"""The card page is built once per change, per process: every change to what it shows (a
service's name, phone, hours or status, the card's entries, the referral, the plan, an answer)
shows on the next load, also through a second app on the same database (a second web server,
with its own cache); the language and the local day are part of the key; the QR code is encoded
once per address; the PDF is built once and revalidated by ETag."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest

from app import create_app
from app.clock import local_today, network_zone
from app.directory.capacity import update_capacity
from app.directory.models import Phone, Schedule
from app.directory.vocabulary import ServiceStatus
from app.extensions import db
from app.plans.vocabulary import ItemStatus
from app.public.card_cache import card_cache
from app.public.cards import EntryChoice, add_to_card, format_code
from app.public.listing import long_date
from app.public.qr import qr_cache_info
from tests import factories
from tests.conftest import IsolatedClient
from tests.plans.person_world import person_with_plan
from tests.public.helpers import public_service
from tests.public.pdftext import pdf_text

SVG = re.compile(r"<svg .*?</svg>", re.S)


@pytest.fixture
def w(app):  # noqa: ANN001,ANN201
    return person_with_plan()


@pytest.fixture
def other(app):  # noqa: ANN001,ANN201
    """A second app on the same database: another web server, with its own card cache."""
    second = create_app(dict(app.config))
    second.test_client_class = IsolatedClient
    yield second.test_client()
    with second.app_context():
        db.engine.dispose()


def _url(card, suffix: str = "") -> str:  # noqa: ANN001
    return f"/card/{format_code(card.code)}{suffix}"


def _page(client, card, suffix: str = "") -> str:  # noqa: ANN001
    response = client.get(_url(card, suffix))
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _both(client, other, card) -> list[str]:  # noqa: ANN001
    return [_page(client, card), _page(other, card)]


def _local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=network_zone()).astimezone(UTC)


# --- built once ---------------------------------------------------------------------------------


def test_a_card_is_built_once_and_its_qr_code_encoded_once(app, client, w) -> None:  # noqa: ANN001
    cache = card_cache(app)
    encodes = qr_cache_info()["encodes"]
    first = _page(client, w.card)
    built = cache.info().misses
    pages = [_page(client, w.card) for _ in range(3)]
    assert cache.info().misses == built  # the view and the plan were not built again
    assert cache.info().hits >= 6
    assert qr_cache_info()["encodes"] == encodes + 1
    assert {SVG.search(p).group() for p in [first, *pages]} == {SVG.search(first).group()}
    _page(client, w.card, "/print")
    assert client.get(_url(w.card, "/pdf")).status_code == 200
    assert qr_cache_info()["encodes"] == encodes + 1  # print view and PDF reuse the encoding


def test_with_the_cache_off_every_load_builds_and_encodes(app, w) -> None:  # noqa: ANN001
    off = create_app({**app.config, "CARD_CACHE_SIZE": 0})
    off.test_client_class = IsolatedClient
    assert card_cache(off) is None
    encodes = qr_cache_info()["encodes"]
    pages = [_page(off.test_client(), w.card) for _ in range(2)]
    assert all("Hope House" in p for p in pages)
    assert qr_cache_info()["encodes"] == encodes + 2
    with off.app_context():
        db.engine.dispose()


# --- a change shows on the next load, on every server -------------------------------------------


def _rename(w) -> str:  # noqa: ANN001
    w.house.name = "Hope House West"
    return "Hope House West"


def _new_phone(w) -> str:  # noqa: ANN001
    db.session.add(Phone(service_id=w.house.id, number="860-555-0199"))
    return "(860) 555-0199"


def _new_hours(w) -> str:  # noqa: ANN001
    for schedule in list(w.house.schedules):
        db.session.delete(schedule)
    db.session.add(Schedule(service=w.house, freq="WEEKLY", byday="SA", opens_at=time(7, 15),
                            closes_at=time(11, 45)))  # fmt: skip
    return "7:15"


def _close(w) -> str:  # noqa: ANN001
    w.house.status = ServiceStatus.INACTIVE
    return "Closed:"


def _new_org_name(w) -> str:  # noqa: ANN001
    w.house.organization.name = "Hope House Society"
    return "Hope House Society"


@pytest.mark.parametrize("change", [_rename, _new_phone, _new_hours, _close, _new_org_name])
def test_a_change_to_a_service_on_the_card_shows_next_load(client, other, w, change) -> None:  # noqa: ANN001
    before = _both(client, other, w.card)
    shown = change(w)
    db.session.commit()
    assert all(shown not in page for page in before)
    assert all(shown in page for page in _both(client, other, w.card))


def test_a_closed_services_alternative_may_be_any_new_service(client, other, w) -> None:  # noqa: ANN001
    w.house.status = ServiceStatus.INACTIVE
    db.session.commit()
    assert all("Try instead:" not in p for p in _both(client, other, w.card))
    public_service("Second Chance Rooms", needs=("housing.transitional",))
    assert all("Second Chance Rooms" in p for p in _both(client, other, w.card))


def test_capacity_is_not_on_the_card_and_does_not_rebuild_it(app, client, w) -> None:  # noqa: ANN001
    capacity = factories.make_capacity(w.house, available=3, maximum=10)
    _page(client, w.card)
    built = card_cache(app).info().misses
    update_capacity(capacity, actor=None, expected_version=capacity.version, available=0,
                    maximum=10)  # fmt: skip
    db.session.commit()
    assert "Beds" not in _page(client, w.card)
    assert card_cache(app).info().misses == built


def test_a_change_to_the_cards_entries_shows_next_load(client, other, w) -> None:  # noqa: ANN001
    pantry = public_service("Corner Food Pantry", needs=("food",))
    assert all("Corner Food Pantry" not in p for p in _both(client, other, w.card))
    add_to_card(w.card, [EntryChoice(service_id=pantry.id)])
    db.session.commit()
    assert all("Corner Food Pantry" in p for p in _both(client, other, w.card))
    [entry] = [e for e in w.card.entries if e.service_id == pantry.id]
    db.session.delete(entry)
    db.session.commit()
    assert all("Corner Food Pantry" not in p for p in _both(client, other, w.card))


def test_a_revoked_or_expired_card_is_gone_at_once(client, other, w) -> None:  # noqa: ANN001
    _both(client, other, w.card)
    w.card.revoked_at = datetime.now(UTC)
    db.session.commit()
    assert client.get(_url(w.card)).status_code == 404
    assert other.get(_url(w.card)).status_code == 404


def test_a_change_to_the_referral_shows_next_load(client, other, w) -> None:  # noqa: ANN001
    _both(client, other, w.card)
    w.housing.referral.intake_at = datetime(2031, 6, 9, 15, 0, tzinfo=UTC)
    db.session.commit()
    for page in _both(client, other, w.card):
        assert "June 9, 2031" in page and "May 6, 2031" not in page


def test_a_change_to_the_plan_shows_next_load(client, other, w) -> None:  # noqa: ANN001
    assert all("could not arrange this yet" in p for p in _both(client, other, w.card))
    w.documents.status = ItemStatus.ARRANGED
    db.session.commit()
    assert all("could not arrange this yet" not in p for p in _both(client, other, w.card))


def test_the_persons_answer_shows_next_load_on_every_server(client, other, w, time_machine) -> None:  # noqa: ANN001
    time_machine.move_to(_local(local_today() + timedelta(days=1), 11), tick=False)
    assert all("You already told us today" not in p for p in _both(client, other, w.card))
    response = other.post(_url(w.card, f"/items/{w.housing.id}/answer"), data={"answer": "went"})
    assert response.status_code == 200
    assert all("You already told us today" in p for p in _both(client, other, w.card))


# --- the key: language and day ------------------------------------------------------------------


def test_the_language_is_part_of_the_key(client, w) -> None:  # noqa: ANN001
    assert "Places that can help you" in _page(client, w.card)
    spanish = _page(client, w.card, "?lang=es")
    assert "Lugares que le pueden ayudar" in spanish and "Places that can help" not in spanish
    assert "Places that can help you" in _page(client, w.card, "?lang=en")


def test_the_local_day_is_part_of_the_key(app, client, w, time_machine) -> None:  # noqa: ANN001
    day = local_today() + timedelta(days=1)
    with app.test_request_context():
        today, tomorrow = long_date(day), long_date(day + timedelta(days=1))
    time_machine.move_to(_local(day, 23), tick=False)
    assert f"checked on {today}" in _page(client, w.card)
    time_machine.move_to(_local(day + timedelta(days=1), 0), tick=False)
    assert f"checked on {tomorrow}" in _page(client, w.card)


# --- the PDF ------------------------------------------------------------------------------------


def test_the_pdf_is_built_once_revalidated_by_etag_rebuilt_on_change(app, client, w) -> None:  # noqa: ANN001
    first = client.get(_url(w.card, "/pdf"))
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    built = card_cache(app).info().misses
    again = client.get(_url(w.card, "/pdf"))
    assert again.get_data() == first.get_data()
    assert card_cache(app).info().misses == built
    unchanged = client.get(_url(w.card, "/pdf"), headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and not unchanged.get_data()
    w.house.name = "Hope House West"
    db.session.commit()
    changed = client.get(_url(w.card, "/pdf"), headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Hope House West" in pdf_text(changed.get_data())


def test_the_page_itself_is_never_stored(client, w) -> None:  # noqa: ANN001
    response = client.get(_url(w.card))
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers
