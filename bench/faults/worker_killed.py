"""Fault: the job worker is killed (SIGKILL) in the middle of sending a batch of e-mail.

    .venv/bin/python bench/faults/worker_killed.py [--messages 30] [--database-url …]

Queues N messages (one send job), starts a real `flask jobs worker`, lets it send a few to a
mail server that then holds the next message's DATA, kills the worker mid-send, waits for its
claim to run out (OUTBOX_CLAIM_SECONDS, 3 here), queues the minute's outbox run as the scheduler
would, starts a new worker and counts what the mail server accepted: every message exactly once.
(tests/jobs/test_kill_worker.py is the same scenario as a test.) SQLite by default.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from aiosmtpd.controller import Controller  # noqa: E402
from common import app_for, scratch_database  # noqa: E402
from stack import BIN, ROOT, base_env, flask, free_port  # noqa: E402

from tests.jobs.test_kill_worker import HoldingServer  # noqa: E402

REDIS_URL = "redis://127.0.0.1:6379/14"
CLAIM_SECONDS = 3


def wait(condition, timeout: float, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            sys.exit(f"timed out waiting for {what}")
        time.sleep(0.05)


def worker(env: dict[str, str], *extra: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own binary
        [str(BIN / "flask"), "jobs", "worker", *extra],
        env=env,
        cwd=ROOT,
        stdout=open(env["SEARCH_INDEX_DIR"] + ".worker.log", "a"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=30)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "partners-faults"))
    args = parser.parse_args()

    workdir = Path(args.workdir) / "worker_killed"
    url = scratch_database(args.database_url, workdir)
    handler = HoldingServer(delay=0.1)
    port = free_port()
    env = base_env(
        url,
        workdir,
        REDIS_URL=REDIS_URL,
        JOBS_QUEUE="partners-faults",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(port),
        OUTBOX_CLAIM_SECONDS=str(CLAIM_SECONDS),
    )
    flask(env, "db", "upgrade")
    subprocess.run(["redis-cli", "-n", "14", "flushdb"], check=True, capture_output=True)  # noqa: S603,S607
    app = app_for(env)

    from app.extensions import db
    from app.notify.services import queue_email

    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    first = second = None
    try:
        with app.app_context():
            for n in range(args.messages):
                queue_email(f"person{n}@example.org", f"Message {n}", "Open Partners.", "fault")
            db.session.commit()  # after the commit: one send job for all of them
        first = worker(env)
        wait(lambda: len(handler.delivered) >= 5, 60, "the first worker to send some")
        handler.hold = True
        wait(lambda: handler.holding, 10, "the first worker to be mid-send")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        wait(lambda: handler.dropped, 10, "the mail server to drop the message cut off")
        handler.hold = False
        by_first = len(handler.delivered)
        print(f"first worker killed after {by_first} of {args.messages} messages, mid-send")
        time.sleep(CLAIM_SECONDS + 0.5)
        flask(env, "jobs", "run", "outbox", "--queue")  # the scheduler's minute run
        second = worker(env, "--burst")
        second.wait(timeout=120)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
        controller.stop()

    counts = Counter(handler.delivered)
    missing = args.messages - len(counts)
    twice = sum(1 for c in counts.values() if c > 1)
    print(
        f"accepted by the mail server: {len(counts)} distinct of {args.messages}; "
        f"missing: {missing}; twice: {twice}; the cut-off message sent again: "
        f"{handler.dropped[0] in counts}"
    )
    problems = missing + twice
    print("RESULT:", "every message exactly once" if problems == 0 else f"{problems} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
