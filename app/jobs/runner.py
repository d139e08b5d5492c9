"""The job queue: RQ on the Redis at REDIS_URL, or none when it is empty.

`enqueue` never raises and never waits long: a request that commits e-mail while Redis is down
still answers, and the e-mail waits in the outbox for the next run (the scheduler's minute run,
or `flask jobs run outbox` from cron).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

log = logging.getLogger(__name__)

EXTENSION = "partners_jobs"
ENTRY_POINT = "app.jobs.tasks.run_job"
CONNECT_TIMEOUT = 1.0  # seconds: a Redis that is down must not hold a request up
SOCKET_TIMEOUT = 5.0


def enabled(app: Flask) -> bool:
    """Whether a queue is configured (REDIS_URL set)."""
    return bool((app.config.get("REDIS_URL") or "").strip())


def connection(app: Flask) -> Any:
    """One Redis client per app and URL (it pools its own connections)."""
    from redis import Redis

    url = app.config["REDIS_URL"].strip()
    state = app.extensions.setdefault(EXTENSION, {})
    if state.get("url") != url:
        state["url"] = url
        state["redis"] = Redis.from_url(
            url,
            socket_connect_timeout=CONNECT_TIMEOUT,
            socket_timeout=SOCKET_TIMEOUT,
            health_check_interval=30,
        )
    return state["redis"]


def queue(app: Flask) -> Any:
    from rq import Queue

    return Queue(app.config.get("JOBS_QUEUE") or "partners", connection=connection(app))


def enqueue(
    app: Flask,
    name: str,
    *,
    kwargs: dict | None = None,
    job_id: str | None = None,
    timeout: int | None = None,
) -> bool:
    """Put job `name` on the queue. False when there is no queue or Redis did not answer (the
    work then waits for the next run). With `job_id`, at most one such job waits or runs."""
    if not enabled(app):
        return False
    from redis.exceptions import RedisError
    from rq.exceptions import DuplicateJobError

    from app.jobs.tasks import JOBS

    spec = JOBS[name]
    options: dict[str, Any] = {
        "args": (name,),
        "kwargs": kwargs or {},
        "timeout": timeout or spec.timeout,
        "description": f"partners job {name}",
        "failure_ttl": 7 * 24 * 3600,
    }
    if job_id is not None:
        # The id goes as soon as the job ends, so the next request can ask again.
        options.update(job_id=job_id, unique=True, result_ttl=0, failure_ttl=300)
    try:
        queue(app).enqueue_call(ENTRY_POINT, **options)
    except DuplicateJobError:
        return True  # already waiting or running
    except (RedisError, OSError) as exc:
        log.warning("jobs: could not queue %s (%s); it waits for the next run", name, type(exc))
        return False
    return True
