"""The dashboard's trend: hidden counts drawn as markers (never as tall as real bars), every
period of the range shown (0 when nothing was sent), a legend that names the step, and the
downloads: one CSV per table, or a ZIP of them, never tables stacked in one file."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, timedelta

import pytest
import time_machine

from app.accounts.models import Role
from app.clock import local_midnight
from app.reports.charts import MARKER, bar_chart
from app.reports.measures import periods
from app.reports.suppression import SUPPRESSED
from tests import factories
from tests.reports.builders import referral_at

TODAY = date(2026, 3, 18)  # a Wednesday


@pytest.fixture
def frozen():  # noqa: ANN201
    with time_machine.travel(local_midnight(TODAY) + timedelta(hours=14), tick=False):
        yield


@pytest.fixture
def sent(frozen, db):  # noqa: ANN001,ANN201
    """Seven referrals in the week of Monday 2026-02-02, none in the weeks around it, and six
    in the week of 2026-03-09; one of the seven and none of the six accepted."""
    from app.seeding.taxonomy import load_taxonomies

    load_taxonomies()
    counselor = factories.make_user(Role.COUNSELOR, facility=factories.make_facility())
    org = factories.make_organization()
    service = factories.make_service(org, location=factories.make_location(org))
    staff = factories.make_user(Role.PROVIDER, organizations=[org])
    for n in range(7):
        steps = [("accept", 1, {})] if n == 0 else []
        referral_at(counselor, staff, service, _at(date(2026, 2, 3)), steps)
    for _ in range(6):
        referral_at(counselor, staff, service, _at(date(2026, 3, 10)))


def _at(day: date):  # noqa: ANN202
    return local_midnight(day) + timedelta(hours=10)


def _period(**extra: str) -> dict[str, str]:
    return {"start": "2026-01-19", "end": "2026-03-18", **extra}


# --- the chart ---------------------------------------------------------------------------------


def test_a_hidden_count_is_a_short_marker_whatever_it_hides() -> None:
    hidden = [[True, False], [False, False]]
    chart = bar_chart("t", ("Sent", "Accepted"), [("a", [400, 6]), ("b", [8, 0])], hidden)
    bars = {bar.title: bar for bar in chart.bars}
    marker = bars[f"a, Sent: {SUPPRESSED}"]
    assert marker.suppressed and marker.height == MARKER and marker.words == SUPPRESSED
    # The 400 it hides plays no part in the scale: the tallest shown count fills the plot.
    assert bars["b, Sent: 8"].height == chart.baseline - 20
    assert bars["a, Accepted: 6"].height == pytest.approx(bars["b, Sent: 8"].height * 6 / 8, 0.01)
    assert marker.height < bars["a, Accepted: 6"].height
    assert chart.has_suppressed


def test_only_small_counts_are_markers_by_default() -> None:
    chart = bar_chart("t", ("Sent",), [("a", [4]), ("b", [5]), ("c", [0])])
    bars = {bar.title: bar for bar in chart.bars}
    assert bars["a, Sent: fewer than 5"].suppressed
    assert bars["a, Sent: fewer than 5"].height == MARKER < bars["b, Sent: 5"].height
    assert bars["c, Sent: 0"].height == 0 and not bars["c, Sent: 0"].suppressed


def test_labels_never_overlap() -> None:
    groups = [((date(2026, 1, 5) + timedelta(weeks=n)).isoformat(), [n]) for n in range(26)]
    chart = bar_chart("t", ("Sent",), groups, step="week")
    xs = [x for x, _ in chart.labels]
    assert 2 <= len(xs) < 26 and chart.labels[0][1] == "2026-01-05"
    assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= len("2026-01-05") * 6
    months = bar_chart("t", ("Sent",), [(f"2026-{m:02d}", [m]) for m in range(1, 4)])
    assert len(months.labels) == 3


# --- every period of the range -----------------------------------------------------------------


def test_periods_cover_the_range() -> None:
    assert periods(date(2026, 1, 21), date(2026, 2, 2), weekly=True) == [
        "2026-01-19",
        "2026-01-26",
        "2026-02-02",
    ]
    assert periods(date(2025, 11, 30), date(2026, 2, 1), weekly=False) == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    assert periods(date(2026, 3, 1), date(2026, 3, 1), weekly=False) == ["2026-03"]


def test_empty_weeks_read_zero_and_the_legend_says_week(sent, client, login) -> None:  # noqa: ANN001
    login(factories.make_user(Role.ANALYST))
    html = client.get("/reports/", query_string=_period(trend_by="week")).get_data(as_text=True)
    weeks = re.findall(r'<th scope="row">([A-Z][a-z]{2} \d+, 2026)</th>', html)
    assert weeks == [  # each week by its Monday, written as people write dates
        "Jan 19, 2026",
        "Jan 26, 2026",
        "Feb 2, 2026",
        "Feb 9, 2026",
        "Feb 16, 2026",
        "Feb 23, 2026",
        "Mar 2, 2026",
        "Mar 9, 2026",
        "Mar 16, 2026",
    ]
    assert "2026-01-19" not in re.sub(r'(href|value)="[^"]*"', "", html)  # no ISO dates shown
    assert '<th scope="row">Jan 26, 2026</th><td>0</td><td>0</td>' in html
    assert '<th scope="row">Feb 2, 2026</th><td>7</td><td>not shown</td>' in html
    assert "bar of each week" in html and "bar of each month" not in html
    assert "A short hatched marker stands for a count that is not shown" in html
    monthly = client.get("/reports/", query_string=_period()).get_data(as_text=True)
    assert re.findall(r'<th scope="row">([A-Z][a-z]{2} 2026)</th>', monthly) == [
        "Jan 2026",
        "Feb 2026",
        "Mar 2026",
    ]
    assert '<th scope="row">Jan 2026</th><td>0</td><td>0</td>' in monthly
    assert "bar of each month" in monthly and "bar of each week" not in monthly


# --- the downloads ----------------------------------------------------------------------------


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_each_table_downloads_on_its_own(sent, client, login) -> None:  # noqa: ANN001
    login(factories.make_user(Role.ANALYST))
    html = client.get("/reports/", query_string=_period(trend_by="week")).get_data(as_text=True)
    links = [a.replace("&amp;", "&") for a in re.findall(r'href="(/reports/network/[^"]+)"', html)]
    titles = re.findall(r"<h2 id=\"sec-[^\"]+\">([^<]+)</h2>", html)
    assert len(links) >= 5 and len(links) <= len(titles)
    assert all("trend_by=week" in a and "start=2026-01-19" in a for a in links)
    trend = next(a for a in links if "/referrals-by-week-sent.csv" in a)
    response = client.get(trend)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "referrals-by-week-sent.csv" in response.headers["Content-Disposition"]
    rows = _csv(response.get_data(as_text=True))
    assert rows[0] == ["Week starting (Monday)", "Sent", "Accepted"]  # a plain table
    assert rows[1] == ["Jan 19, 2026", "0", "0"]  # the page's table, as the page shows it
    assert len(rows) == 1 + 9
    for link in links:  # one header row each: no table stacked under another
        table = _csv(client.get(link).get_data(as_text=True))
        assert all(len(row) == len(table[0]) for row in table), link
    missing = client.get("/reports/network/nothing-here.csv", query_string=_period())
    assert missing.status_code == 404
    bad = client.get("/reports/network/referrals.csv?start=2026-05-01&end=2026-04-01")
    assert bad.status_code == 422


def test_all_tables_in_one_zip(sent, client, login) -> None:  # noqa: ANN001
    login(factories.make_user(Role.ANALYST))
    html = client.get("/reports/", query_string=_period()).get_data(as_text=True)
    href = re.search(r'href="(/reports/network\.zip[^"]*)"', html).group(1).replace("&amp;", "&")
    response = client.get(href)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert (
        'filename="partners-measures-2026-01-19-2026-03-18.zip"'
        in response.headers["Content-Disposition"]
    )
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert names[0] == "README.txt" and names[1] == "01-referrals.csv"
    readme = archive.read("README.txt").decode()
    assert "from 2026-01-19 to 2026-03-18" in readme and "'not shown' marks" in readme
    for name in names[1:]:
        table = _csv(archive.read(name).decode())
        assert all(len(row) == len(table[0]) for row in table), name
        assert f"- {name}: " in readme
    page = client.get("/reports/network/referrals.csv", query_string=_period())
    assert archive.read("01-referrals.csv").decode() == page.get_data(as_text=True)
    # The same figures give the same file.
    assert client.get(href).data == response.data


def test_the_zip_names_the_filters_in_words(sent, client, login) -> None:  # noqa: ANN001
    facility = factories.make_facility(name="Sample Facility North")
    login(factories.make_user(Role.ADMIN))
    response = client.get("/reports/network.zip", query_string=_period(facility=facility.id))
    readme = zipfile.ZipFile(io.BytesIO(response.data)).read("README.txt").decode()
    assert "Facility: Sample Facility North" in readme and facility.id not in readme
