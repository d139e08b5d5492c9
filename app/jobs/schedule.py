"""The periodic jobs that `flask jobs scheduler` puts on the queue (RQ's cron scheduler).

Cron times are the network's local time (TIMEZONE, app.clock's zone): RQ reads cron fields in
the process's local zone, so the scheduler process sets TZ to the network zone first
(`use_network_zone`). Run ONE scheduler: a second would queue each job twice, which the jobs
survive (claims and leases) but is wasted work.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask

from app.jobs import runner
from app.jobs.tasks import JOBS


@dataclass(frozen=True)
class Periodic:
    job: str
    interval: int | None = None  # seconds
    cron: str | None = None  # network local time

    @property
    def when(self) -> str:
        if self.interval:
            minutes, seconds = divmod(self.interval, 60)
            return f"every {minutes} min" if not seconds else f"every {self.interval} s"
        return f"cron '{self.cron}' (network time)"


SCHEDULE: tuple[Periodic, ...] = (
    Periodic("outbox", interval=60),
    Periodic("sms_outbox", interval=60),
    Periodic("sms_status", interval=300),
    Periodic("search_queue", interval=60),
    Periodic("referral_reminders", cron="0 * * * *"),
    Periodic("consent_notices", cron="5 * * * *"),
    Periodic("verification_outreach", cron="0 9 * * *"),
    Periodic("intake_texts", cron="0 10-20 * * *"),
    Periodic("maintenance", cron="0 3 * * *"),
)


def periodic_jobs(app: Flask) -> list[Periodic]:
    """The schedule for this app: the Whoosh-only jobs only on the Whoosh backend."""
    from app.search.sync import backend_name

    whoosh = backend_name(app) == "whoosh"
    return [p for p in SCHEDULE if whoosh or not JOBS[p.job].whoosh_only]


def use_network_zone(app: Flask) -> None:
    """Make this process's local time the network's, for cron fields (POSIX only)."""
    os.environ["TZ"] = app.config.get("TIMEZONE") or "UTC"
    time.tzset()


def build_scheduler(app: Flask, connection: Any | None = None) -> Any:
    """An RQ CronScheduler with the periodic jobs registered (not started)."""
    from rq.cron import CronScheduler

    connection = connection if connection is not None else runner.connection(app)
    queue_name = app.config.get("JOBS_QUEUE") or "partners"
    scheduler = CronScheduler(connection=connection, name=f"partners-{os.getpid()}")
    from app.jobs import tasks

    for periodic in periodic_jobs(app):
        spec = JOBS[periodic.job]
        scheduler.register(
            tasks.run_job,
            queue_name,
            args=(periodic.job,),
            interval=periodic.interval,
            cron=periodic.cron,
            job_timeout=spec.timeout,
            name=periodic.job,
        )
    return scheduler
