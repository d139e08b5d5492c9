"""Public search is kept per process for the minute it is true in: built once and the same for
every visitor; a capacity figure or a name saved through another server (another app on the
same database, with its own cache) shows on the next search; open now turns at the minute; a
figure that turns stale during a minute is never shown as room; the language is part of the
key; with the cache off every search is built."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest

from app import create_app
from app.accounts.api_tokens import create_token
from app.accounts.models import Role
from app.clock import local_today, network_zone
from app.extensions import db
from app.public.models import ServiceTranslation
from app.public.search_cache import search_cache
from tests import factories
from tests.conftest import IsolatedClient
from tests.public.helpers import load_reference_data, public_service

URL = "/search?need=housing"
ROOM, FULL, UNKNOWN = "Has space now", "Full right now", "Space not known"


@pytest.fixture
def other(app):  # noqa: ANN001,ANN201
    """A second app on the same database: another web server, with its own search cache."""
    second = create_app(dict(app.config))
    second.test_client_class = IsolatedClient
    yield second.test_client()
    with second.app_context():
        db.engine.dispose()


@pytest.fixture
def house(app):  # noqa: ANN001,ANN201
    """A housing service open 9 to 5 on weekdays."""
    load_reference_data()
    return public_service("Hope House", needs=("housing",))


def _monday() -> date:
    today = local_today()
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


def _local(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    moment = datetime.combine(day, time(hour, minute, second), tzinfo=network_zone())
    return moment.astimezone(UTC)


def _page(client, url: str = URL) -> str:  # noqa: ANN001
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _results(html: str) -> str:
    return re.search(r'<ol class="results".*?</ol>', html, re.S).group()


def _badges(html: str) -> set[str]:
    found = {ROOM, FULL, UNKNOWN, "Open now", "Closed now"}
    return {text for text in found if text in _results(html)}


def test_a_search_is_built_once_a_minute_and_the_same_for_every_visitor(
    app, client, login, house, time_machine
) -> None:  # noqa: ANN001
    time_machine.move_to(_local(_monday(), 10, 0, 5), tick=False)
    cache = search_cache(app)
    first = _page(client)
    built = cache.info().misses
    again = [_page(client) for _ in range(2)]
    assert cache.info().misses == built  # not searched again
    assert "Hope House" in first and all(_results(p) == _results(first) for p in again)
    counselor = factories.make_user(Role.COUNSELOR, facility=factories.make_facility())
    signed_in = _page(login(counselor))
    assert cache.info().misses == built
    assert _results(signed_in) == _results(first)  # the results are the same for everybody
    time_machine.move_to(_local(_monday(), 10, 1, 0), tick=False)
    _page(client)
    assert cache.info().misses == built + 1  # a new minute: searched again


def test_a_kept_page_is_its_compressed_content_only(app, client, house) -> None:  # noqa: ANN001
    """Once rendered, a kept page lets its results' objects go and keeps its content packed
    (a worker keeps 500 of them); the next visitor gets the same page from it."""
    cache = search_cache(app)
    cache.clear()  # this test's page alone
    first = _page(client)
    (page, _), *_ = cache._data.values()
    assert page.found is None  # the results, names and call links let go
    assert len(page.packed) < len(str(page.body).encode()) / 2
    assert "Hope House" in str(page.body)
    assert _results(_page(client)) == _results(first)


def test_a_capacity_figure_saved_through_another_server_shows_at_once(
    client, other, house, time_machine
) -> None:  # noqa: ANN001
    time_machine.move_to(_local(_monday(), 10, 0, 5), tick=False)
    figure = factories.make_capacity(house, available=3)
    staff = factories.make_user(Role.PROVIDER, organizations=[house.organization])
    _, token = create_token(staff, "capacity script")
    db.session.commit()
    assert all(_badges(p) >= {ROOM} for p in (_page(client), _page(other)))
    saved = other.put(  # the provider's script saves the figure through the other server
        f"/api/services/{house.id}/capacity",
        json={"action": "mark_full", "version": figure.version},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert saved.status_code == 200, saved.get_json()
    pages = [_page(client), _page(other)]  # the same minute: only the new token tells
    assert all(FULL in _badges(p) and ROOM not in _badges(p) for p in pages)


def test_a_new_name_shows_at_once_on_every_server(client, other, house, time_machine) -> None:  # noqa: ANN001
    time_machine.move_to(_local(_monday(), 10, 0, 5), tick=False)
    assert all("Hope House West" not in p for p in (_page(client), _page(other)))
    house.name = "Hope House West"
    db.session.commit()
    assert all("Hope House West" in p for p in (_page(client), _page(other)))


def test_open_now_turns_at_the_minute(client, house, time_machine) -> None:  # noqa: ANN001
    monday = _monday()
    time_machine.move_to(_local(monday, 8, 59, 0), tick=False)
    assert "Closed now" in _badges(_page(client))
    time_machine.move_to(_local(monday, 8, 59, 59), tick=False)
    assert "Closed now" in _badges(_page(client))
    time_machine.move_to(_local(monday, 9, 0, 0), tick=False)
    assert "Open now" in _badges(_page(client))


def test_a_figure_turning_stale_during_a_minute_is_never_shown_as_room(
    app, client, house, time_machine
) -> None:  # noqa: ANN001
    monday = _monday()
    turns_stale = _local(monday, 10, 0, 30)
    figure = factories.make_capacity(house, available=3)
    figure.updated = turns_stale - timedelta(days=app.config["CAPACITY_STALE_DAYS"])
    db.session.commit()
    time_machine.move_to(_local(monday, 9, 59, 59), tick=False)
    assert ROOM in _badges(_page(client))  # fresh until after this minute ends
    time_machine.move_to(_local(monday, 10, 0, 10), tick=False)  # still fresh for 20 s
    assert ROOM not in _badges(_page(client))
    time_machine.move_to(_local(monday, 10, 0, 40), tick=False)  # stale now, same minute
    assert _badges(_page(client)) >= {UNKNOWN} and ROOM not in _badges(_page(client))


def test_the_language_is_part_of_the_key(client, house, time_machine) -> None:  # noqa: ANN001
    time_machine.move_to(_local(_monday(), 10, 0, 5), tick=False)
    db.session.add(ServiceTranslation(service_id=house.id, language="es", name="Casa Esperanza"))
    db.session.commit()
    english = _page(client, URL + "&lang=en")
    spanish = _page(client, URL + "&lang=es")
    assert "Hope House" in _results(english) and "Casa Esperanza" not in english
    assert "Casa Esperanza" in _results(spanish)
    assert "Casa Esperanza" not in _page(client, URL + "&lang=en")


def test_with_the_cache_off_every_search_is_built(app, house) -> None:  # noqa: ANN001
    off = create_app({**app.config, "SEARCH_CACHE_SIZE": 0})
    off.test_client_class = IsolatedClient
    assert search_cache(off) is None
    client = off.test_client()
    assert "Hope House" in _page(client)
    house.name = "Hope House West"
    db.session.commit()
    assert "Hope House West" in _page(client)
    with off.app_context():
        db.engine.dispose()
