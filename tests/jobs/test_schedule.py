"""The periodic jobs: what runs how often, and cron times in the network's zone."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

import pytest
from redis import Redis

from app.jobs.schedule import build_scheduler, periodic_jobs, use_network_zone


@pytest.fixture
def network_zone(app):  # noqa: ANN001,ANN201
    """The scheduler process's zone change, undone after the test."""
    saved = os.environ.get("TZ")
    use_network_zone(app)
    yield
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


def _next_runs(app) -> dict[str, datetime]:  # noqa: ANN001
    # A client that never connects: registering jobs talks to nobody.
    scheduler = build_scheduler(app, Redis(host="127.0.0.1", port=1))
    return {job.name: job for job in scheduler.get_jobs()}


@pytest.mark.parametrize(
    ("now", "maintenance", "outreach"),
    [
        # Summer (EDT, UTC-4): 03:00 local is 07:00 UTC
        (datetime(2030, 7, 1, 12, 0, tzinfo=UTC), datetime(2030, 7, 2, 7, 0, tzinfo=UTC), 13),
        # Winter (EST, UTC-5), just before 03:00 local
        (datetime(2030, 1, 10, 7, 59, tzinfo=UTC), datetime(2030, 1, 10, 8, 0, tzinfo=UTC), 14),
        # 23:30 local on the evening before the spring change: 03:00 comes after the jump
        (datetime(2030, 3, 10, 4, 30, tzinfo=UTC), datetime(2030, 3, 10, 7, 0, tzinfo=UTC), 13),
    ],
)
def test_cron_jobs_run_at_network_local_times(
    app,
    network_zone,
    time_machine,
    now,
    maintenance,
    outreach,  # noqa: ANN001
) -> None:
    # A timestamp, not an aware datetime: time-machine would make the process zone the
    # datetime's own (UTC) and undo use_network_zone.
    time_machine.move_to(now.timestamp(), tick=False)
    jobs = _next_runs(app)
    assert jobs["maintenance"].next_enqueue_time == maintenance
    assert jobs["verification_outreach"].next_enqueue_time.hour == outreach  # 09:00 local
    assert jobs["referral_reminders"].next_enqueue_time.minute == 0  # hourly
    assert jobs["referral_reminders"].cron == "0 * * * *"


@pytest.mark.usefixtures("whoosh_search")  # the Whoosh machinery itself
def test_the_schedule(app) -> None:  # noqa: ANN001
    jobs = _next_runs(app)
    assert {name: job.interval for name, job in jobs.items() if job.interval} == {
        "outbox": 60,
        "sms_outbox": 60,
        "sms_status": 300,
        "search_queue": 60,
    }
    assert {name: job.cron for name, job in jobs.items() if job.cron} == {
        "referral_reminders": "0 * * * *",
        "consent_notices": "5 * * * *",
        "verification_outreach": "0 9 * * *",
        "intake_texts": "0 10-20 * * *",
        "maintenance": "0 3 * * *",
    }
    assert all(job.args == (name,) for name, job in jobs.items())


def test_the_whoosh_queue_job_is_not_scheduled_on_the_postgres_backend(app, is_postgres) -> None:  # noqa: ANN001
    if not is_postgres:
        pytest.skip("the postgres backend needs PostgreSQL")
    saved = app.config.get("SEARCH_BACKEND")
    app.config["SEARCH_BACKEND"] = "postgres"
    try:
        names = [p.job for p in periodic_jobs(app)]
    finally:
        app.config["SEARCH_BACKEND"] = saved
    assert "search_queue" not in names and "outbox" in names and "maintenance" in names
