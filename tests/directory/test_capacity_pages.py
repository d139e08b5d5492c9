"""The capacity page and its one-click actions, through the real views."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select

from app.accounts.models import Role
from app.directory.models import CapacityHistory
from app.directory.vocabulary import CapacityStatus
from app.extensions import db as database
from tests import factories


def sign_in(app, user):  # noqa: ANN001,ANN201
    """A second, independent browser signed in as `user`."""
    browser = app.test_client()
    response = browser.post(
        "/account/login", data={"email": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    return browser


@pytest.fixture
def shelter(db):  # noqa: ANN001,ANN201
    org = factories.make_organization(name="Harbor Shelter")
    service = factories.make_service(org, name="Harbor Beds")
    staff = factories.make_user(Role.PROVIDER, organizations=[org], name="Ann Provider")
    capacity = factories.make_capacity(service, available=3, maximum=10)
    return org, service, staff, capacity


def save_data(**values):  # noqa: ANN003,ANN201
    data = {
        "version": "1",
        "available": "3",
        "maximum": "10",
        "status": "",
        "waitlist_length": "",
        "expected_wait": "",
    }
    data.update({k: str(v) for k, v in values.items()})
    return data


def history_actions(capacity) -> list[str]:  # noqa: ANN001
    return list(
        database.session.scalars(
            select(CapacityHistory.action)
            .where(CapacityHistory.capacity_id == capacity.id)
            .order_by(CapacityHistory.changed_at)
        )
    )


def test_provider_sees_every_figure_of_their_organizations(login, shelter):  # noqa: ANN001
    org, service, staff, capacity = shelter
    other_service = factories.make_service(org, name="Harbor Jobs")
    factories.make_capacity(
        other_service, available=None, maximum=None, age_days=20,
        unit=factories.make_unit("job_opening", "Job openings"),
    )  # fmt: skip
    foreign = factories.make_service(name="Someone Else's Beds")
    factories.make_capacity(foreign)
    client = login(staff)

    page = client.get("/directory/capacity").get_data(as_text=True)

    assert "Harbor Shelter" in page
    assert "Harbor Beds" in page and "Harbor Jobs" in page
    assert "3 of 10 beds open" in page
    assert "updated today</span>" in page  # no "by …" when nobody is recorded
    assert page.count("Stale — treat as unknown") == 1
    assert "Someone Else" not in page
    assert f'action="/directory/capacity/{capacity.id}/full"' in page
    assert f'action="/directory/capacity/{capacity.id}/confirm"' in page


def test_stale_label_follows_configured_days(app, login, shelter, monkeypatch):  # noqa: ANN001
    _, service, staff, capacity = shelter
    capacity.updated = capacity.updated.replace(year=capacity.updated.year - 1)
    database.session.commit()
    client = login(staff)
    assert "Stale — treat as unknown" in client.get("/directory/capacity").get_data(as_text=True)
    monkeypatch.setitem(app.config, "CAPACITY_STALE_DAYS", 400)
    assert "Stale — treat as unknown" not in client.get("/directory/capacity").get_data(
        as_text=True
    )


def test_save_updates_the_figure_and_returns_to_the_page(login, shelter):  # noqa: ANN001
    _, _, staff, capacity = shelter
    client = login(staff)
    response = client.post(f"/directory/capacity/{capacity.id}", data=save_data(available=1))
    assert response.status_code in (302, 303)
    assert response.headers["Location"].startswith("/directory/capacity")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Harbor Beds: capacity saved." in page
    factories.reload(capacity)
    assert (capacity.available, capacity.version, capacity.updated_by_id) == (1, 2, staff.id)
    assert history_actions(capacity) == ["update"]


def test_mark_full_in_one_click(login, shelter):  # noqa: ANN001
    _, _, staff, capacity = shelter
    client = login(staff)
    response = client.post(f"/directory/capacity/{capacity.id}/full", data={"version": "1"})
    assert response.status_code in (302, 303)
    factories.reload(capacity)
    assert (capacity.available, capacity.status) == (0, CapacityStatus.NO_CAPACITY)
    assert history_actions(capacity) == ["mark_full"]


def test_still_accurate_makes_a_stale_figure_fresh(login, shelter):  # noqa: ANN001
    _, _, staff, capacity = shelter
    capacity.updated = capacity.updated.replace(year=capacity.updated.year - 1)
    database.session.commit()
    client = login(staff)
    version = str(capacity.version)  # our own edit above counted as a change
    response = client.post(f"/directory/capacity/{capacity.id}/confirm", data={"version": version})
    assert response.status_code in (302, 303)
    page = client.get("/directory/capacity").get_data(as_text=True)
    assert "Stale — treat as unknown" not in page
    assert "updated today by Ann Provider" in page
    factories.reload(capacity)
    assert (capacity.available, capacity.maximum) == (3, 10)
    assert history_actions(capacity) == ["confirm"]


@pytest.mark.parametrize(
    ("values", "message", "kept"),
    [
        ({"available": 12}, "Available cannot be more than the maximum", 'value="12"'),
        ({"available": -1}, "Available cannot be a negative number", 'value="-1"'),
        ({"maximum": -4}, "Maximum cannot be a negative number", 'value="-4"'),
        ({"available": "lots"}, "Enter a whole number", 'value="lots"'),
        # Past PostgreSQL's integer range: a message at the field, not a 500.
        ({"available": 10**20, "maximum": 10**20}, "Available is too large", 'value="1000'),
        ({"maximum": 2**31}, "Maximum is too large (at most 2,147,483,647)", 'value="2147483648"'),
        ({"waitlist_length": 10**20}, "People waiting is too large", 'value="1000'),
        ({"expected_wait": "w" * 101}, "longer than 100 characters", "w" * 101),
    ],
)
def test_bad_input_is_shown_on_the_row_and_nothing_saved(login, shelter, values, message, kept):  # noqa: ANN001
    _, _, staff, capacity = shelter
    client = login(staff)
    response = client.post(f"/directory/capacity/{capacity.id}", data=save_data(**values))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    row = page[page.index(f'id="cap-{capacity.id}"') :]
    assert message in row
    assert kept in row
    factories.reload(capacity)
    assert (capacity.available, capacity.maximum, capacity.version) == (3, 10, 1)
    assert history_actions(capacity) == []


def test_second_save_from_an_old_page_gets_409_with_the_current_figure(app, shelter):  # noqa: ANN001
    org, _, ann, capacity = shelter
    bob = factories.make_user(Role.PROVIDER, organizations=[org], name="Bob Colleague")
    ann_browser, bob_browser = sign_in(app, ann), sign_in(app, bob)
    version_field = re.compile(r'name="version"[^>]*value="1"|value="1"[^>]*name="version"')
    for browser in (ann_browser, bob_browser):
        assert version_field.search(browser.get("/directory/capacity").get_data(as_text=True))

    first = ann_browser.post(f"/directory/capacity/{capacity.id}", data=save_data(available=2))
    assert first.status_code in (302, 303)
    second = bob_browser.post(f"/directory/capacity/{capacity.id}/full", data={"version": "1"})

    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert (
        "Someone else updated this today (Ann Provider). It now says 2 of 10 beds open, "
        "Has room. Your change was not saved — check the figure and save again."
    ) in page
    row = page[page.index(f'id="cap-{capacity.id}"') :]
    assert 'value="2"' in row  # the current figure, ready to check and save again
    assert re.search(r'name="version"[^>]*value="2"|value="2"[^>]*name="version"', row)
    factories.reload(capacity)
    assert (capacity.available, capacity.status, capacity.version) == (2, "has-capacity", 2)
    assert history_actions(capacity) == ["update"]


def test_provider_of_another_organization_cannot_change_it(login, shelter):  # noqa: ANN001
    _, _, _, capacity = shelter
    outsider = factories.make_user(Role.PROVIDER, organizations=[factories.make_organization()])
    client = login(outsider)
    for path, data in (
        (f"/directory/capacity/{capacity.id}", save_data(available=0)),
        (f"/directory/capacity/{capacity.id}/full", {"version": "1"}),
        (f"/directory/capacity/{capacity.id}/confirm", {"version": "1"}),
    ):
        assert client.post(path, data=data).status_code == 403
    assert client.get(f"/directory/services/{capacity.service_id}/capacity/new").status_code == 403
    factories.reload(capacity)
    assert (capacity.available, capacity.version) == (3, 1)


def test_counselor_cannot_open_the_capacity_page(login, db):  # noqa: ANN001
    client = login(factories.make_user(Role.COUNSELOR))
    assert client.get("/directory/capacity").status_code == 403


def test_unknown_ids_are_404(login, shelter):  # noqa: ANN001
    _, _, staff, _ = shelter
    client = login(staff)
    assert client.post("/directory/capacity/nope", data=save_data()).status_code == 404
    assert client.post("/directory/capacity/nope/full", data={"version": "1"}).status_code == 404
    assert client.post("/directory/capacity/nope/confirm", data={"version": "1"}).status_code == 404
    assert client.get("/directory/capacity/nope/history").status_code == 404
    assert client.get("/directory/services/nope/capacity/new").status_code == 404
    assert client.get("/directory/capacity?organization=nope").status_code == 404


def test_missing_version_is_a_conflict_not_a_blind_overwrite(login, shelter):  # noqa: ANN001
    _, _, staff, capacity = shelter
    client = login(staff)
    response = client.post(f"/directory/capacity/{capacity.id}/full", data={})
    assert response.status_code == 409
    assert "It now says 3 of 10 beds open, Has room." in response.get_data(as_text=True)
    assert client.post(f"/directory/capacity/{capacity.id}", data={}).status_code == 409
    factories.reload(capacity)
    assert (capacity.available, capacity.version) == (3, 1)


def test_admin_chooses_an_organization(login, shelter):  # noqa: ANN001
    org, _, _, capacity = shelter
    factories.make_organization(name="Beacon Recovery")
    client = login(factories.make_user(Role.ADMIN))
    start = client.get("/directory/capacity").get_data(as_text=True)
    assert "Harbor Shelter" in start and "Beacon Recovery" in start
    assert f'id="cap-{capacity.id}"' not in start
    chosen = client.get(f"/directory/capacity?organization={org.id}").get_data(as_text=True)
    assert f'id="cap-{capacity.id}"' in chosen
    response = client.post(f"/directory/capacity/{capacity.id}/full", data={"version": "1"})
    assert f"organization={org.id}" in response.headers["Location"]


def test_page_queries_do_not_grow_with_services(app, login, shelter):  # noqa: ANN001
    org, _, staff, _ = shelter
    client = login(staff)

    def count_queries() -> int:
        statements = []

        def record(*args, **kwargs) -> None:  # noqa: ANN002,ANN003
            statements.append(1)

        event.listen(database.engine, "before_cursor_execute", record)
        try:
            assert client.get("/directory/capacity").status_code == 200
        finally:
            event.remove(database.engine, "before_cursor_execute", record)
        return len(statements)

    before = count_queries()
    for n in range(4):
        service = factories.make_service(org, name=f"Extra {n}")
        factories.make_capacity(service)
    assert count_queries() == before


def test_add_a_figure(login, shelter):  # noqa: ANN001
    _, service, staff, _ = shelter
    unit = factories.make_unit("program_slot", "Program slots")
    client = login(staff)
    url = f"/directory/services/{service.id}/capacity/new"
    assert "Add a capacity figure" in client.get(url).get_data(as_text=True)

    bad = client.post(url, data={"unit": unit.id, "available": "5", "maximum": "2"})
    assert bad.status_code == 422
    assert "Available cannot be more than the maximum" in bad.get_data(as_text=True)

    ok = client.post(url, data={"unit": unit.id, "available": "2", "maximum": "5"})
    assert ok.status_code in (302, 303)
    factories.reload(service)
    [added] = [c for c in service.capacities if c.unit_id == unit.id]
    assert (added.available, added.maximum, added.status) == (2, 5, "has-capacity")
    assert added.updated_by_id == staff.id
    assert history_actions(added) == ["create"]


def test_history_newest_first(login, shelter):  # noqa: ANN001
    _, _, staff, capacity = shelter
    client = login(staff)
    client.post(f"/directory/capacity/{capacity.id}", data=save_data(available=1))
    client.post(f"/directory/capacity/{capacity.id}/full", data={"version": "2"})
    counselor = factories.make_user(Role.COUNSELOR)
    page = client.get(f"/directory/capacity/{capacity.id}/history").get_data(as_text=True)
    assert page.index("Marked full") < page.index("Updated")
    assert "3 → 1" in page and "1 → 0" in page
    assert "Has room → Full" in page
    assert "Ann Provider" in page
    reader = sign_in(client.application, counselor)
    assert reader.get(f"/directory/capacity/{capacity.id}/history").status_code == 200


def test_another_organizations_staff_cannot_read_the_history_or_who_changed_it(login, shelter):  # noqa: ANN001
    """Who updated a figure names a staff member: not for providers of other organizations."""
    _, service, staff, capacity = shelter
    client = login(staff)
    client.post(f"/directory/capacity/{capacity.id}", data=save_data(available=1))
    history = f"/directory/capacity/{capacity.id}/history"
    own_page = client.get(f"/directory/services/{service.id}").get_data(as_text=True)
    assert "by Ann Provider" in own_page and history in own_page

    rival = factories.make_user(Role.PROVIDER, organizations=[factories.make_organization()])
    other = sign_in(client.application, rival)
    assert other.get(history).status_code == 403
    page = other.get(f"/directory/services/{service.id}").get_data(as_text=True)
    assert "1 of 10" in page  # the figure itself stays visible
    assert "Ann Provider" not in page and history not in page

    analyst = sign_in(client.application, factories.make_user(Role.ANALYST))
    assert analyst.get(history).status_code == 403
