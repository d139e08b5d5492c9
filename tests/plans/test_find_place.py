""" "Find a place" from a plan item: the kind -> need-area map, the staff search it opens
(need area, profile from the record, destination, radius), results first, the hidden line and
its counts, and who may open a search for a person."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from app.directory.vocabulary import CapacityStatus
from app.extensions import db
from app.plans import services
from app.plans.places import FIND_RADIUS_MILES, NEED_AREAS_FOR, can_find_place
from app.plans.vocabulary import ItemKind, ItemStatus
from app.referrals.clients import client_profile
from app.search import SearchRequest, search
from tests.plans.findplace_helpers import housing, href, reindex
from tests.search.conftest import index_dir  # noqa: F401

SEED = Path(__file__).resolve().parents[2] / "seed" / "need_areas.csv"


def _item(plan, kind: ItemKind):  # noqa: ANN001,ANN202
    return next(i for i in plan.items if i.kind == kind)


@pytest.fixture
def plan(world):  # noqa: ANN001,ANN201
    plan = services.start_plan(world.client, world.counselor)
    db.session.commit()
    return plan


@pytest.fixture
def places(world, index_dir):  # noqa: ANN001,ANN201,F811
    """The person is on the registry. Around Hartford: the world's house (takes them, has room),
    two that refuse them (one also full), one full, one whose only figure is too old."""
    world.client.eligibility = {"on_registry": True}
    db.session.commit()
    made = {
        "refuses": housing("Registry No House", refuses_registry=True),
        "refuses_and_full": housing(
            "Closed Door House", rooms=0, status=CapacityStatus.NO_CAPACITY, refuses_registry=True
        ),
        "full": housing("Full House", rooms=0, status=CapacityStatus.NO_CAPACITY),
        "stale": housing("Old Figure House", age_days=30),
    }
    reindex(index_dir)
    return made


def _search_url(world, item) -> str:  # noqa: ANN001
    return f"/staff/search?client={world.client.id}&item={item.id}"


# --- the map -------------------------------------------------------------------------------


def test_every_mapped_need_area_exists_in_the_seed() -> None:
    with SEED.open(encoding="utf-8") as f:
        codes = {row["code"] for row in csv.DictReader(f)}
    for kind, areas in NEED_AREAS_FOR.items():
        assert areas, kind
        assert set(areas) <= codes, kind
    # What the facility or the authorities arrange has no place in the directory.
    assert {ItemKind.DISCHARGE_FUNDS, ItemKind.REGISTRATION, ItemKind.OTHER}.isdisjoint(
        NEED_AREAS_FOR
    )
    assert NEED_AREAS_FOR[ItemKind.HOUSING] == ("housing",)
    assert NEED_AREAS_FOR[ItemKind.ID_DOCUMENTS] == ("entitlements",)


def test_only_open_items_with_a_need_area_get_the_link(client, login, world, plan) -> None:  # noqa: ANN001
    home, funds = _item(plan, ItemKind.HOUSING), _item(plan, ItemKind.DISCHARGE_FUNDS)
    assert can_find_place(home) and not can_find_place(funds)
    login(world.counselor)
    html = client.get(f"/referrals/clients/{world.client.id}/plan").get_data(as_text=True)
    assert html.count("Find a place<span") == len([i for i in plan.items if can_find_place(i)])
    assert f'href="/staff/search?client={world.client.id}&amp;item={home.id}"' in html
    assert f"item={funds.id}" not in html
    services.update_item(home, world.counselor, status=ItemStatus.ARRANGED, expected_version=1)
    db.session.commit()
    assert not can_find_place(home)
    html = client.get(f"/referrals/clients/{world.client.id}/plan").get_data(as_text=True)
    assert f"item={home.id}" not in html


# --- the search it opens -------------------------------------------------------------------


def test_the_link_opens_a_search_prefilled_from_the_item_and_the_record(
    client, login, world, plan, places
) -> None:  # noqa: ANN001
    login(world.counselor)
    plan_html = client.get(f"/referrals/clients/{world.client.id}/plan").get_data(as_text=True)
    url = href(plan_html, rf"item={_item(plan, ItemKind.HOUSING).id}")
    assert url == _search_url(world, _item(plan, ItemKind.HOUSING))  # ids only
    response = client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    summary = (
        f"Housing near Hartford, CT within {FIND_RADIUS_MILES} miles, with room now, "
        "will accept this person: on the registry"
    )
    assert summary in html
    # Near the destination town, which stays on the server: no address on the page carries it.
    assert 'checked id="at_destination"' in html
    assert "Near where the person is going (Hartford)" in html
    assert 'name="near" type="text" value=""' in html
    links = re.findall(r'href="([^"]+)"', html)
    assert [a for a in links if "at_destination=1" in a]
    assert not [a for a in links if "near=" in a]
    assert f'<option selected value="{FIND_RADIUS_MILES}">' in html
    assert 'checked id="need-0" name="need" type="checkbox" value="housing"' in html
    assert 'checked id="has_capacity"' in html
    # The profile is the record's: the registry answer hides the two houses that refuse it,
    # although nothing about it is in the address or the form.
    assert "Transitional Housing" in html and "Registry No House" not in html
    assert "on_registry" not in html
    assert f'<input type="hidden" name="client" value="{world.client.id}">' in html


def test_defaults_stop_once_the_counselor_edits_the_search(
    client, login, world, plan, places
) -> None:  # noqa: ANN001
    login(world.counselor)
    item = _item(plan, ItemKind.HOUSING)
    html = client.get(_search_url(world, item) + "&need=food").get_data(as_text=True)
    assert "Food, will accept this person: on the registry" in html  # no near, no room filter added
    assert "0 places found" in html


def test_the_edited_form_keeps_what_the_counselor_chose(client, login, world, plan, places) -> None:  # noqa: ANN001
    login(world.counselor)
    base = _search_url(world, _item(plan, ItemKind.HOUSING))
    # The form sent back with "near where the person is going" and "has room now" unticked.
    html = client.get(base + "&need=housing&radius_miles=15&near=").get_data(as_text=True)
    assert "Housing, will accept this person: on the registry" in html
    assert "2 hidden — 2 would refuse this person" in html
    # A place typed in wins over the destination.
    html = client.get(base + "&need=housing&at_destination=1&near=New+Haven").get_data(as_text=True)
    assert "Housing near New Haven, CT within 25 miles" in html
    # A bad "show them" value is a message, not an error page.
    assert client.get(base + "&show_hidden=maybe").status_code == 422


def test_a_town_the_map_does_not_know_is_left_out(client, login, world, plan, places) -> None:  # noqa: ANN001
    world.client.destination_town = "Atlantis Upon Sea"
    db.session.commit()
    login(world.counselor)
    response = client.get(_search_url(world, _item(plan, ItemKind.HOUSING)))
    assert response.status_code == 200
    assert "Housing, with room now, will accept this person: on the registry" in (
        response.get_data(as_text=True)
    )


def test_results_come_first_with_the_form_folded(client, login, world, plan, places) -> None:  # noqa: ANN001
    login(world.counselor)
    html = client.get(_search_url(world, _item(plan, ItemKind.HOUSING))).get_data(as_text=True)
    folded = html.index('<details class="search-edit">')
    assert html.index('<span id="search-summary">') > folded
    assert html.index('id="search-form"') > folded
    assert html.index('id="results-heading"') > html.index("</details>", html.index("search-form"))
    assert "1 place found" in html
    # Every staff search reads the same way, not only one from a plan...
    plain = client.get("/staff/search?q=house").get_data(as_text=True)
    assert '<details class="search-edit">' in plain
    assert "Any service matching “house”" in plain
    # ...and the blank page shows the form itself.
    blank = client.get("/staff/search").get_data(as_text=True)
    assert "search-edit" not in blank and 'id="search-form"' in blank


def test_the_hidden_line_counts_each_place_once(client, login, world, plan, places) -> None:  # noqa: ANN001
    login(world.counselor)
    html = client.get(_search_url(world, _item(plan, ItemKind.HOUSING))).get_data(as_text=True)
    # Closed Door House refuses the person and is full: counted once, as refusing.
    why = "2 would refuse this person, 2 have no room now (1 full, 1 no recent figure)"
    assert f"4 hidden — {why} — <a" in html
    show = href(html, r"show_hidden=1")
    assert "on_registry" not in show and f"client={world.client.id}" in show
    shown = client.get(show).get_data(as_text=True)
    assert "5 places found" in shown
    assert f"Showing 4 usually hidden — {why}." in shown and "Hide them" in shown
    for name in ("Registry No House", "Closed Door House", "Full House", "Old Figure House"):
        assert name in shown
    assert shown.count(">Would refuse this person</span>") == 2
    assert shown.count(">No room: full</span>") == 1
    assert shown.count(">No recent room figure</span>") == 1


def test_the_engine_counts_by_first_reason(world, places, index_dir) -> None:  # noqa: ANN001,F811
    request = SearchRequest(
        need_areas=("housing",),
        has_capacity=True,
        profile=client_profile(world.client),
    )
    results = search(request)
    assert [r.name for r in results.results] == ["Transitional Housing"]
    assert results.hidden == {"refuses": 2, "full": 1, "no_figure": 1}
    # Without the room filter only the refusals are hidden; with "show all" nothing is.
    request.has_capacity = False
    assert search(request).hidden == {"refuses": 2}
    request.eligibility_mode = "show_all"
    assert search(request).hidden == {}


def test_results_offer_to_refer_for_this_item(client, login, world, plan, places) -> None:  # noqa: ANN001
    item = _item(plan, ItemKind.HOUSING)
    login(world.counselor)
    html = client.get(_search_url(world, item)).get_data(as_text=True)
    refer = href(html, r"/refer\?")
    assert refer == (
        f"/plans/items/{item.id}/refer?service={world.service.id}&location={world.location.id}"
    )
    assert "Refer a client" not in html


# --- who may open a search for a person ------------------------------------------------------


def test_off_the_team_or_unknown_ids_are_refused(client, login, world, plan, places) -> None:  # noqa: ANN001
    item = _item(plan, ItemKind.HOUSING)
    login(world.outsider)
    assert client.get(_search_url(world, item)).status_code == 403
    assert client.get(f"/staff/search?client={world.client.id}").status_code == 403
    assert client.get(f"/staff/search?item={item.id}").status_code == 403
    assert client.get("/staff/search?q=house").status_code == 200  # the plain search is theirs


@pytest.mark.parametrize("who", ["provider", "analyst"])
def test_providers_and_analysts_cannot_search_for_a_person(
    client, login, world, plan, places, who
) -> None:  # noqa: ANN001
    login(getattr(world, who))
    assert client.get(_search_url(world, _item(plan, ItemKind.HOUSING))).status_code == 403


def test_an_item_of_someone_else_is_not_found(client, login, world, plan, places) -> None:  # noqa: ANN001
    from tests import factories

    other = factories.make_client(world.counselor)
    login(world.counselor)
    item = _item(plan, ItemKind.HOUSING)
    assert client.get(f"/staff/search?client={other.id}&item={item.id}").status_code == 404
    assert client.get("/staff/search?client=no-such-person").status_code == 404
