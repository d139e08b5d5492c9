"""A real worker process, killed mid-batch, then a new one: every message delivered exactly once.

The SMTP server is slow, and holds one message's DATA until the worker is dead, so the kill falls
mid-send. Like a real mail server, it counts a message only once it has answered "250" (RFC 5321:
responsibility passes with the reply); the held one's sender is gone before that. The dead
worker's claim runs out (OUTBOX_CLAIM_SECONDS, short here) and the next worker sends that
message and the rest.
Runs on the suite's database: a SQLite file, or PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.extensions import db
from app.jobs import runner
from app.notify.models import OutboxMessage
from app.notify.services import queue_email
from tests.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 12
CLAIM_SECONDS = 3


class HoldingServer:
    """Accepts after `delay`; while `hold` is on, keeps the next DATA waiting."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.hold = False
        self.holding = False
        self.delivered: list[str] = []
        self.dropped: list[str] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        recipient = envelope.rcpt_tos[0]
        try:
            await asyncio.sleep(self.delay)
            while self.hold:
                self.holding = True
                await asyncio.sleep(0.05)
        except asyncio.CancelledError:
            # aiosmtpd cancels the handler when the client goes: it never heard "250"
            self.dropped.append(recipient)
            raise
        self.holding = False
        self.delivered.append(recipient)
        return "250 Message accepted for delivery"


def _wait(condition, timeout: float, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _database_url(database: dict) -> str:
    url = database["url"]
    if database["schema"]:
        url += (
            ("&" if "?" in url else "?") + "options=" + quote(f"-csearch_path={database['schema']}")
        )
    return url


def _worker(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and flask app
        [sys.executable, "-m", "flask", "jobs", "worker", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    app,
    database,
    job_queue,
    tmp_path,  # noqa: ANN001
) -> None:
    handler = HoldingServer(delay=0.25)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "PARTNERS_"))},
        "FLASK_APP": "wsgi.py",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": _database_url(database),
        "REDIS_URL": app.config["REDIS_URL"],
        "JOBS_QUEUE": app.config["JOBS_QUEUE"],
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(port),
        "OUTBOX_CLAIM_SECONDS": str(CLAIM_SECONDS),
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
    }
    first = second = None
    try:
        for n in range(MESSAGES):
            queue_email(f"person{n}@example.org", f"Message {n}", "Open Partners.", "test")
        db.session.commit()  # asks for one send job with all twelve
        assert job_queue.count == 1

        first = _worker(env)
        _wait(lambda: len(handler.delivered) >= 4, 60, "the first worker to send some")
        handler.hold = True
        _wait(lambda: handler.holding, 10, "the first worker to be mid-send")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        _wait(lambda: handler.dropped, 10, "the server to drop the held message")
        handler.hold = False
        sent_by_first = len(handler.delivered)
        assert 4 <= sent_by_first < MESSAGES

        time.sleep(CLAIM_SECONDS + 0.5)  # the dead worker's claim runs out
        # The scheduler's minute run (the killed job itself is not run again by RQ).
        assert runner.enqueue(app, "outbox")
        second = _worker(env, "--burst")
        output = second.communicate(timeout=60)[0].decode()
        assert second.returncode == 0, output
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(timeout=10)
            if process is not None and process.stdout is not None:
                process.stdout.close()
        controller.stop()

    counts = Counter(handler.delivered)
    assert sorted(counts) == sorted(f"person{n}@example.org" for n in range(MESSAGES))
    assert set(counts.values()) == {1}, counts  # exactly once each
    assert handler.dropped[0] in counts  # the message cut off mid-send was sent again
    db.session.expire_all()
    rows = db.session.scalars(select(OutboxMessage)).all()
    assert all(m.sent_at is not None and m.claimed_until is None for m in rows)
