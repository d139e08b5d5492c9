"""Job fixtures: a real Redis for the queue, one queue name per test.

Redis: JOBS_TEST_REDIS_URL (default database 12 on 127.0.0.1:6379, this suite's own). Tests that
need it skip when Redis does not answer, unless REDIS_REQUIRED=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from tests.referrals.conftest import world  # noqa: F401 - the referral world, reused here

REDIS_TEST_URL = os.environ.get("JOBS_TEST_REDIS_URL", "redis://127.0.0.1:6379/12")
REDIS_REQUIRED = os.environ.get("REDIS_REQUIRED", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def redis_url() -> str:
    from redis import Redis
    from redis.exceptions import RedisError

    client = Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except RedisError as exc:
        if REDIS_REQUIRED:
            pytest.fail(
                f"REDIS_REQUIRED is set but Redis at {REDIS_TEST_URL} does not answer: {exc}"
            )
        pytest.skip(f"needs Redis at {REDIS_TEST_URL} (set REDIS_REQUIRED=1 to fail instead)")
    finally:
        client.close()
    return REDIS_TEST_URL


@pytest.fixture
def job_queue(app, redis_url: str) -> Iterator:  # noqa: ANN001
    """The app queues jobs on a fresh RQ queue of its own; yields the rq Queue."""
    from app.jobs import runner

    saved = {key: app.config.get(key) for key in ("REDIS_URL", "JOBS_QUEUE")}
    app.config.update(REDIS_URL=redis_url, JOBS_QUEUE=f"test-{uuid.uuid4().hex[:12]}")
    app.extensions.pop(runner.EXTENSION, None)
    queue = runner.queue(app)
    try:
        yield queue
    finally:
        connection = queue.connection
        queue.empty()
        for registry in (
            queue.started_job_registry,
            queue.finished_job_registry,
            queue.failed_job_registry,
        ):
            for job_id in registry.get_job_ids():
                connection.delete(f"rq:job:{job_id}", f"rq:results:{job_id}")
            connection.delete(registry.key)
        app.config.update(saved)
        app.extensions.pop(runner.EXTENSION, None)
        connection.close()


def run_worker_burst(queue) -> None:  # noqa: ANN001
    """Run every job waiting on `queue`, here (the same worker `flask jobs worker` runs)."""
    from rq import SimpleWorker

    SimpleWorker([queue], connection=queue.connection).work(burst=True, logging_level="WARNING")
