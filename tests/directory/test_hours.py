"""Weekly hours: how the service page reads Schedule rows, and the hours form."""

from __future__ import annotations

from datetime import time

import pytest

from app.accounts.models import Role
from app.directory.hours import DayHours, describe_interval, weekly_hours
from app.directory.models import Schedule
from app.extensions import db
from tests import factories


def _schedule(service, byday, opens, closes):  # noqa: ANN001,ANN202
    row = Schedule(service=service, freq="WEEKLY", byday=byday, opens_at=opens, closes_at=closes)
    db.session.add(row)
    db.session.commit()
    return row


def test_describe_interval_cases():
    assert describe_interval(time(9, 0), time(17, 0)) == "9:00 am – 5:00 pm"
    assert describe_interval(time(0, 0), time(0, 0)) == "Open 24 hours"
    assert describe_interval(time(20, 0), time(2, 0)) == "8:00 pm – 2:00 am (next day)"
    assert describe_interval(time(18, 0), time(0, 0)) == "6:00 pm – midnight"
    assert describe_interval(time(8, 30), time(12, 0)) == "8:30 am – noon"


def test_weekly_hours_is_none_without_rows_and_lists_closed_days(db):
    service = factories.make_service()
    assert weekly_hours(service.schedules) is None
    _schedule(service, "MO,TU", time(9, 0), time(17, 0))
    factories.reload(service)
    rows = dict(weekly_hours(service.schedules))
    assert rows["Monday"] == "9:00 am – 5:00 pm"
    assert rows["Tuesday"] == "9:00 am – 5:00 pm"
    assert rows["Wednesday"] == "Closed"
    assert list(rows) == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]


def test_service_page_shows_each_schedule_case(client, login):
    service = factories.make_service(name="Night Shelter")
    _schedule(service, "MO", time(9, 0), time(17, 0))
    _schedule(service, "FR", time(20, 0), time(2, 0))
    _schedule(service, "SA", time(0, 0), time(0, 0))
    login(factories.make_user(Role.COUNSELOR))
    page = client.get(f"/directory/services/{service.id}").get_data(as_text=True)
    assert '<th scope="row">Monday</th><td>9:00 am – 5:00 pm</td>' in page
    assert '<th scope="row">Tuesday</th><td>Closed</td>' in page
    assert '<th scope="row">Friday</th><td>8:00 pm – 2:00 am (next day)</td>' in page
    assert '<th scope="row">Saturday</th><td>Open 24 hours</td>' in page
    assert "Hours not listed" not in page


def test_service_without_hours_says_call(client, login):
    service = factories.make_service()
    login(factories.make_user(Role.COUNSELOR))
    page = client.get(f"/directory/services/{service.id}").get_data(as_text=True)
    assert "Hours not listed — call" in page
    assert '<th scope="row">Monday</th>' not in page


def _hours_form(**days: tuple[str, str, str]) -> dict[str, str]:
    data = {}
    for code in ("mo", "tu", "we", "th", "fr", "sa", "su"):
        mode, opens, closes = days.get(code, ("closed", "", ""))
        data.update({f"{code}_mode": mode, f"{code}_opens": opens, f"{code}_closes": closes})
    return data


def test_provider_sets_weekly_hours(client, login):
    org = factories.make_organization()
    service = factories.make_service(org)
    login(factories.make_user(Role.PROVIDER, organizations=[org]))
    form = client.get(f"/directory/services/{service.id}/hours")
    assert form.status_code == 200
    assert "Monday opens" in form.get_data(as_text=True)

    response = client.post(
        f"/directory/services/{service.id}/hours",
        data=_hours_form(
            mo=("open", "09:00", "17:00"), fr=("open", "8:00 pm", "02:00"), su=("24h", "", "")
        ),
    )
    assert response.status_code == 302
    rows = {s.byday: (s.opens_at, s.closes_at) for s in factories.reload(service).schedules}
    assert rows == {
        "MO": (time(9, 0), time(17, 0)),
        "FR": (time(20, 0), time(2, 0)),
        "SU": (time(0, 0), time(0, 0)),
    }
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Opening hours saved." in page
    assert "8:00 pm – 2:00 am (next day)" in page

    # The form shows the saved hours again, with the past-midnight day labelled.
    again = client.get(f"/directory/services/{service.id}/hours").get_data(as_text=True)
    assert 'value="20:00"' in again
    assert "Closes after midnight (next day)." in again


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (("open", "", "17:00"), "Enter the opening time"),
        (("open", "09:00", ""), "Enter the closing time"),
        (("open", "09:00", "09:00"), "Choose Open 24 hours if it never closes"),
        (("open", "nine", "17:00"), "Not a valid time value"),
    ],
)
def test_open_without_good_times_is_refused(client, login, day, message):
    org = factories.make_organization()
    service = factories.make_service(org)
    _schedule(service, "TU", time(10, 0), time(12, 0))
    login(factories.make_user(Role.PROVIDER, organizations=[org]))
    response = client.post(
        f"/directory/services/{service.id}/hours", data=_hours_form(mo=day, tu=("closed", "", ""))
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    rows = factories.reload(service).schedules
    assert [(s.byday, s.opens_at) for s in rows] == [("TU", time(10, 0))]


def test_set_weekly_hours_rejects_open_without_times(db):
    from app.directory.services import EditError, set_weekly_hours

    service = factories.make_service()
    with pytest.raises(EditError) as info:
        set_weekly_hours(service, {"MO": DayHours("open", time(9, 0), None)})
    assert info.value.field == "mo_closes"


def test_hours_form_forbidden_to_other_provider_and_counselor(client, login):
    service = factories.make_service()
    other = factories.make_organization()
    login(factories.make_user(Role.PROVIDER, organizations=[other]))
    assert client.get(f"/directory/services/{service.id}/hours").status_code == 403
    response = client.post(
        f"/directory/services/{service.id}/hours", data=_hours_form(mo=("24h", "", ""))
    )
    assert response.status_code == 403
    assert factories.reload(service).schedules == []


def test_split_hours_are_shown_and_the_form_warns_before_replacing_them(client, login):
    org = factories.make_organization()
    service = factories.make_service(org)
    _schedule(service, "MO", time(13, 0), time(17, 0))
    _schedule(service, "MO", time(9, 0), time(12, 0))
    login(factories.make_user(Role.PROVIDER, organizations=[org]))
    page = client.get(f"/directory/services/{service.id}").get_data(as_text=True)
    assert "9:00 am – noon; 1:00 pm – 5:00 pm" in page
    form = client.get(f"/directory/services/{service.id}/hours").get_data(as_text=True)
    assert "Monday has more than one opening listed." in form


def test_empty_hours_post_does_not_wipe_hours(client, login):
    org = factories.make_organization()
    service = factories.make_service(org)
    _schedule(service, "MO", time(9, 0), time(17, 0))
    login(factories.make_user(Role.ADMIN))
    response = client.post(f"/directory/services/{service.id}/hours", data={})
    assert response.status_code == 422
    assert len(factories.reload(service).schedules) == 1
