"""The jobs run inline (as `flask jobs run NAME` and the worker run them): each records its run,
single-flight jobs skip while another worker holds the lease, a failure rolls back and says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.common import utcnow
from app.extensions import db
from app.jobs import leases
from app.jobs.models import JobRun
from app.jobs.tasks import JOBS, JobSpec, execute
from app.notify.models import OutboxMessage
from app.notify.services import queue_email
from app.reports.models import VerificationReminder
from tests import factories


def _run_row(name: str) -> JobRun:
    db.session.expire_all()
    return db.session.get(JobRun, name)


@pytest.mark.parametrize("name", sorted(JOBS))
def test_every_job_runs_inline_and_records_its_run(app, name: str) -> None:  # noqa: ANN001
    summary = execute(name)
    row = _run_row(name)
    assert row.last_status == "ok" and row.last_summary == summary and row.runs == 1
    assert row.lease_until is None
    assert row.last_started_at <= row.last_finished_at


def test_the_outbox_job_sends_waiting_mail(app, smtp) -> None:  # noqa: ANN001
    for n in range(3):
        queue_email(f"p{n}@example.org", "Hello", "Open Partners to read it.", "test")
    db.session.commit()
    assert execute("outbox") == "3 sent, 0 failed"
    assert sorted(m["To"] for m in smtp.messages) == [f"p{n}@example.org" for n in range(3)]
    assert execute("outbox") == "0 sent, 0 failed"


@pytest.fixture
def stale_listing(app):  # noqa: ANN001,ANN201
    org = factories.make_organization(name="Old Listing Org", email="org@example.org")
    factories.make_service(org, name="Never Checked", last_verified_at=None)
    db.session.commit()
    return org


def test_a_single_flight_job_skips_while_another_worker_holds_its_lease(
    app,
    stale_listing,
    time_machine,  # noqa: ANN001
) -> None:
    lease = JOBS["verification_outreach"].lease
    assert leases.take_lease("verification_outreach", lease)  # another worker, mid-run
    assert not leases.take_lease("verification_outreach", lease)  # a second one loses
    assert execute("verification_outreach").startswith("skipped")
    assert db.session.scalar(select(func.count()).select_from(VerificationReminder)) == 0
    assert _run_row("verification_outreach").last_status == "skipped"

    # That worker died: its lease runs out and the next run does the work, once.
    time_machine.move_to(utcnow() + lease + timedelta(seconds=1))
    assert execute("verification_outreach") == "1 verification reminder queued"
    assert execute("verification_outreach") == "0 verification reminders queued"
    row = _run_row("verification_outreach")
    assert row.last_status == "ok" and row.lease_until is None


def test_a_failing_job_rolls_back_records_the_failure_and_lets_go(app, monkeypatch) -> None:  # noqa: ANN001
    def half_done() -> str:
        queue_email("someone@example.org", "Half", "Never sent.", "test")
        raise ValueError("something with data in it: someone@example.org")

    spec = JobSpec("half_done", half_done, timeout=60, lease=timedelta(minutes=5))
    monkeypatch.setitem(JOBS, "half_done", spec)
    with pytest.raises(ValueError, match="something"):
        execute("half_done")
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    row = _run_row("half_done")
    assert row.last_status == "failed"
    assert row.last_summary == "ValueError"  # the type, never the text
    assert row.lease_until is None  # the next run may start at once


def test_flask_jobs_run_and_status_work_without_redis(app, smtp) -> None:  # noqa: ANN001
    queue_email("p@example.org", "Hello", "Open Partners to read it.", "test")
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["jobs", "run", "outbox"])
    assert result.exit_code == 0, result.output
    assert "outbox: 1 sent, 0 failed" in result.output
    result = runner.invoke(args=["jobs", "status"])
    assert result.exit_code == 0, result.output
    assert "outbox: ok at" in result.output and "(1 sent, 0 failed); 1 run" in result.output
    assert "maintenance: never run" in result.output
    assert "Queue: none (REDIS_URL is not set" in result.output
    for command in (
        ["jobs", "worker"],
        ["jobs", "scheduler"],
        ["jobs", "run", "outbox", "--queue"],
    ):
        result = runner.invoke(args=command)
        assert result.exit_code != 0 and "REDIS_URL is not set" in result.output
    result = runner.invoke(args=["jobs", "run", "no_such_job"])
    assert result.exit_code != 0 and "no_such_job" in result.output
