"""Consent dates and ages follow Hartford's calendar, not the UTC date."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.referrals.clients import client_profile

NINE_PM_EST = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)  # Sat Dec 5 in Hartford, Sun in UTC


def test_consent_form_opened_at_9pm_defaults_to_the_local_date(
    client, login, world, time_machine
) -> None:  # noqa: ANN001
    time_machine.move_to(NINE_PM_EST, tick=False)
    login(world.counselor)
    page = client.get(f"/referrals/clients/{world.client.id}/consents/new")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="2026-12-05"' in html  # signed on: today in Hartford
    assert 'value="2027-12-05"' in html  # expires a year later
    assert "2026-12-06" not in html


def test_a_birthday_counts_from_local_midnight(world, time_machine) -> None:  # noqa: ANN001
    world.client.date_of_birth = date(2000, 12, 6)
    time_machine.move_to(NINE_PM_EST, tick=False)
    assert client_profile(world.client).age == 25  # still the 5th in Hartford
    time_machine.move_to(datetime(2026, 12, 6, 5, 30, tzinfo=UTC), tick=False)
    assert client_profile(world.client).age == 26
