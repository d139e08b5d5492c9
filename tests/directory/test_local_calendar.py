"""Calendar days in the directory are Hartford's: evening figures and evening forms."""

from __future__ import annotations

from datetime import UTC, datetime

from app.accounts.models import Role
from app.directory import capacity as rules
from tests import factories
from tests.directory.test_site_visits import valid_form

NINE_PM_EST = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)  # Sat Dec 5 in Hartford, Sun in UTC


def test_capacity_set_at_6pm_reads_updated_today_at_8pm_local(app, time_machine) -> None:  # noqa: ANN001
    time_machine.move_to(datetime(2026, 12, 5, 23, 0, tzinfo=UTC), tick=False)  # 6 pm EST
    org = factories.make_organization()
    service = factories.make_service(org, location=factories.make_location(org))
    factories.make_capacity(service, available=3, maximum=10)
    time_machine.move_to(datetime(2026, 12, 6, 1, 0, tzinfo=UTC), tick=False)  # 8 pm EST
    assert rules.capacity_summary(service) == "3 of 10 beds open · updated today"
    time_machine.move_to(datetime(2026, 12, 6, 5, 30, tzinfo=UTC), tick=False)  # 00:30 EST
    assert rules.capacity_summary(service) == "3 of 10 beds open · updated yesterday"


def test_site_visit_form_at_9pm_defaults_to_the_local_date(client, login, time_machine) -> None:  # noqa: ANN001
    time_machine.move_to(NINE_PM_EST, tick=False)
    org = factories.make_organization()
    service = factories.make_service(org, location=factories.make_location(org))
    login(factories.make_user(Role.COUNSELOR))
    url = f"/directory/services/{service.id}/visits/new"
    page = client.get(url).get_data(as_text=True)
    assert 'value="2026-12-05"' in page
    assert 'value="2026-12-06"' not in page
    # The UTC date is already the 6th, but in Hartford that is still tomorrow.
    response = client.post(
        url,
        data=valid_form(visited_on="2026-12-06"),
    )
    assert response.status_code == 422
    assert "cannot be in the future" in response.get_data(as_text=True)
    assert client.post(url, data=valid_form(visited_on="2026-12-05")).status_code == 302
