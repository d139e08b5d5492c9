"""Provider scorecard: own figures, network median, and no other organization by name."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.accounts.models import Role
from app.common import utcnow
from app.reports.scorecard import figures_by_organization
from tests import factories
from tests.reports.builders import referral_at


@pytest.fixture
def orgs(db):  # noqa: ANN001,ANN201
    counselor = factories.make_user(Role.COUNSELOR, facility=factories.make_facility())
    sent = utcnow() - timedelta(days=5)
    made = {}
    for name, steps_list in {
        "Ours Test Org": [[("accept", h, {})] for h in range(1, 6)]
        + [[("decline", h, {"reason_code": "no_capacity"})] for h in range(6, 11)],
        "Other Org Bravo": [[("accept", 1, {})]],
        "Other Org Charlie": [[("accept", 3, {})]],
    }.items():
        org = factories.make_organization(name=name)
        service = factories.make_service(org)
        staff = factories.make_user(Role.PROVIDER, organizations=[org])
        for steps in steps_list:
            referral_at(counselor, staff, service, sent, steps)
        made[name] = (org, staff)
    factories.make_capacity(factories.make_service(made["Ours Test Org"][0]), age_days=1)
    factories.make_capacity(factories.make_service(made["Ours Test Org"][0]), age_days=40)
    return made


def test_figures_per_organization_are_counted_in_the_database(orgs):  # noqa: ANN001
    ours = figures_by_organization(utcnow())[orgs["Ours Test Org"][0].id]
    assert (ours.received, ours.accepted, ours.declined, ours.completed) == (10, 5, 5, 0)
    assert ours.responded == 10
    assert ours.median_seconds == pytest.approx(5 * 3600, abs=1)
    assert (ours.capacities, ours.fresh_capacities) == (2, 1)


def test_provider_sees_own_figures_next_to_network_median(orgs, client, login):  # noqa: ANN001
    org, staff = orgs["Ours Test Org"]
    login(staff)
    response = client.get("/reports/scorecard")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Ours Test Org" in html
    assert "Other Org" not in html
    assert "<td>10</td><td>fewer than 5</td>" in html  # received: ours vs median (10, 1, 1)
    assert "<td>5.0 hours</td><td>3.0 hours</td>" in html  # median answer: ours vs (5h, 1h, 3h)
    assert "<td>50%</td><td>100%</td>" in html  # acceptance: 5 of 10; median of (50%, 100%, 100%)
    assert "<td>50%</td><td>—</td>" in html  # capacity freshness: only one provider has figures


def test_provider_cannot_open_another_organization(orgs, client, login):  # noqa: ANN001
    login(orgs["Other Org Bravo"][1])
    other = orgs["Ours Test Org"][0]
    assert client.get(f"/reports/scorecard?organization={other.id}").status_code == 404


def test_admin_picks_any_organization_and_counselor_is_refused(orgs, client, login):  # noqa: ANN001
    login(factories.make_user(Role.ADMIN))
    org = orgs["Other Org Bravo"][0]
    response = client.get(f"/reports/scorecard?organization={org.id}")
    assert response.status_code == 200
    assert "Other Org Bravo" in response.get_data(as_text=True)
    assert client.get("/reports/scorecard?organization=missing").status_code == 404
    client.post("/account/logout")
    login(factories.make_user(Role.COUNSELOR))
    assert client.get("/reports/scorecard").status_code == 403
