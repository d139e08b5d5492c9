""" "Hide housing barred by residency rules" is a filter of the search itself: the total, the
facets, the pages and the hidden reasons are those of the places left, on both backends; the
barred set follows changes to sites, rules and places."""

from __future__ import annotations

from app.directory.eligibility import EligibilityProfile
from app.directory.models import ServiceAtLocation
from app.extensions import db
from app.residency.barred import barred_ids
from app.residency.vocabulary import SiteKind
from app.search import SearchRequest, search
from app.search.hidden import BARRED, LABELS
from tests import factories
from tests.residency.conftest import FAR, add_site
from tests.residency.geo_helpers import HOUSE, moved
from tests.search.conftest import service

REGISTRANT = EligibilityProfile(on_registry=True)


def _more_barred_houses() -> list:
    """Two more houses a few hundred feet from the fixture's school."""
    return [
        service("Elm Court Annex", needs=("housing.transitional",), lat=HOUSE[0], lon=HOUSE[1]),
        service("School Lane Rooms", needs=("housing",), lat=HOUSE[0] + 0.0005, lon=HOUSE[1]),
    ]


def _find(**kw) -> object:  # noqa: ANN003
    kw.setdefault("near", "Hartford")
    kw.setdefault("eligibility_mode", "show_all")
    return search(SearchRequest(profile=REGISTRANT, **kw))


def test_barred_houses_leave_the_total_facets_and_pages(town, index_dir) -> None:  # noqa: ANN001
    from app.search.index import forget, rebuild_index

    annex, lane = _more_barred_houses()
    rebuild_index(index_dir)
    forget(index_dir)
    barred = barred_ids()
    assert barred == {town["barred"].id, annex.id, lane.id}

    everything = _find(per_page=2)
    assert everything.total == 5 and everything.hidden == {}
    results = _find(per_page=2, barred=barred)
    assert results.total == 2  # Far Field House and the soup kitchen, on one page
    assert sorted(r.name for r in results.results) == ["Elm Court Soup Kitchen", "Far Field House"]
    assert results.hidden == {BARRED: 3}
    assert results.facets["town"] == {"Hartford": 2}
    assert sum(results.facets["need_area"].get(code, 0) for code in ("housing",)) == 1
    second = _find(per_page=2, page=2, barred=barred)
    assert second.results == []

    shown = _find(per_page=10, barred=barred, show_hidden=True)
    marked = {r.name: r.hidden_reason for r in shown.results}
    assert marked["Elm Court House"] == BARRED and marked["Far Field House"] is None
    assert LABELS[BARRED] == "Barred by residency rules"


def test_staff_page_counts_the_barred_among_the_hidden(town, login, index_dir) -> None:  # noqa: ANN001
    from app.search.index import forget, rebuild_index

    _more_barred_houses()
    rebuild_index(index_dir)
    forget(index_dir)
    client = login(town["counselor"])
    url = (
        f"/staff/search?client={town['registrant'].id}&near=Hartford&eligibility_mode=show_all"
        "&hide_barred=1&per_page=1"
    )
    html = client.get(url).get_data(as_text=True)
    assert "2 places found" in html
    assert "3 hidden — 3 barred by residency rules" in html
    assert "Elm Court House" not in html and "School Lane Rooms" not in html
    shown = client.get(url.replace("per_page=1", "per_page=10") + "&show_hidden=1").get_data(
        as_text=True
    )
    assert "Barred by residency rules" in shown and "Elm Court House" in shown


def test_the_barred_set_follows_sites_rules_and_places(town) -> None:  # noqa: ANN001
    assert barred_ids() == {town["barred"].id}
    # A school beside the far house bars it too.
    add_site("Far Field School", SiteKind.SCHOOL, *moved(FAR, 300, 0))
    assert barred_ids() == {town["barred"].id, town["clear"].id}
    # The barred house gains a second place, a mile from any school: it stays usable.
    org = town["barred"].organization
    elsewhere = factories.make_location(
        org, town="Hartford", latitude=moved(HOUSE, 5280, 180)[0], longitude=HOUSE[1]
    )
    db.session.add(ServiceAtLocation(service=town["barred"], location=elsewhere))
    db.session.commit()
    assert barred_ids() == {town["clear"].id}
    # No rule in force: nothing is barred.
    town["rule"].active = False
    db.session.commit()
    assert barred_ids() == frozenset()
