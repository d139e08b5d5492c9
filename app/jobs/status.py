"""What `flask jobs status` prints: each job's last run (from the database, so it works without
Redis) and, with a queue, its length, failed jobs, workers and the scheduler's next runs."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from sqlalchemy import select

from app.clock import local_time
from app.extensions import db
from app.jobs import runner
from app.jobs.models import JobRun
from app.jobs.tasks import JOBS


def _when(moment: datetime | None) -> str:
    return local_time(moment).strftime("%Y-%m-%d %H:%M %Z") if moment else "never"


def last_runs() -> list[str]:
    rows = {row.name: row for row in db.session.scalars(select(JobRun))}
    lines = ["Last runs (network time):"]
    for name in sorted(JOBS):
        row = rows.get(name)
        if row is None or row.last_finished_at is None:
            lines.append(f"  {name}: never run")
            continue
        lines.append(
            f"  {name}: {row.last_status} at {_when(row.last_finished_at)} "
            f"({row.last_summary}); {row.runs} run{'' if row.runs == 1 else 's'}"
        )
    return lines


def _queue_lines(app: Flask) -> list[str]:
    from rq import Worker
    from rq.cron import CronScheduler

    queue = runner.queue(app)
    lines = [
        f"Queue {queue.name}: {queue.count} waiting, "
        f"{queue.started_job_registry.count} running, {queue.failed_job_registry.count} failed",
        f"Workers: {len(Worker.all(queue=queue))}",
    ]
    schedulers = CronScheduler.all(queue.connection)
    if not schedulers:
        lines.append("Scheduler: none running (start `flask jobs scheduler`)")
    for scheduler in schedulers:
        lines.append(f"Scheduler {scheduler.name}:")
        for job in scheduler.get_jobs():
            lines.append(
                f"  {job.name}: last queued {_when(job.latest_enqueue_time)}, "
                f"next {_when(job.next_enqueue_time)}"
            )
    return lines


def report(app: Flask) -> list[str]:
    lines = last_runs()
    if not runner.enabled(app):
        lines.append("Queue: none (REDIS_URL is not set; run jobs with `flask jobs run NAME`)")
        return lines
    from redis.exceptions import RedisError

    try:
        lines.extend(_queue_lines(app))
    except (RedisError, OSError) as exc:
        lines.append(f"Queue: Redis did not answer ({type(exc).__name__}); jobs wait until it does")
    return lines
