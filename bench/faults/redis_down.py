"""Fault: Redis stops while the site serves pages and a password-reset e-mail is queued.

    .venv/bin/python bench/faults/redis_down.py [--database-url …/partners_faults]

Runs gunicorn and one job worker with the job queue and the rate limits in Redis (database 13),
and a local mail server. It stops Redis (`redis-cli shutdown nosave`), and while it is down
checks that public pages still answer 200, that sign-in is still limited (each process falls
back to counting in its own memory: rate limits fail neither open nor closed), and asks for a
password reset (the e-mail waits in the database outbox: the job that would send it cannot be
queued). Then it starts Redis again with the machine's own command line, queues the minute's
outbox run as the scheduler would, and counts what the mail server received: the reset e-mail,
exactly once. Redis is restarted even if the script fails half-way.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from common import DEFAULT_URL, prepared_postgres  # noqa: E402
from stack import BIN, ROOT, Gunicorn, flask, free_port, request  # noqa: E402

from tests.smtp import SmtpServer  # noqa: E402

REDIS_URL = "redis://127.0.0.1:6379/13"
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]


def redis_up() -> bool:
    result = subprocess.run(  # noqa: S603
        ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "ping"],  # noqa: S607
        capture_output=True,
        text=True,
    )
    return result.stdout.strip() == "PONG"


def start_redis() -> None:
    if not redis_up():
        subprocess.run(REDIS_START, check=True)  # noqa: S603
    deadline = time.monotonic() + 10
    while not redis_up():
        if time.monotonic() > deadline:
            sys.exit("Redis did not come back")
        time.sleep(0.1)


def stop_redis() -> None:
    subprocess.run(  # noqa: S603
        ["redis-cli", "-h", "127.0.0.1", "-p", "6379", "shutdown", "nosave"],  # noqa: S607
        capture_output=True,
    )
    while redis_up():
        time.sleep(0.1)


def forgot_password(port: int, email: str) -> int:
    cookies: dict[str, str] = {}
    _, _, page = request(port, "GET", "/account/forgot", cookies=cookies)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "email": email})
    return request(port, "POST", "/account/forgot", body, cookies)[0]


def bad_sign_ins(port: int, times: int) -> list[int]:
    statuses = []
    for _ in range(times):
        cookies: dict[str, str] = {}
        _, _, page = request(port, "GET", "/account/login", cookies=cookies)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        form = {"csrf_token": token, "email": "nobody@example.org", "password": "wrong password!"}
        statuses.append(
            request(port, "POST", "/account/login", urllib.parse.urlencode(form), cookies)[0]
        )
    return statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--workdir", default="/tmp/partners-faults")  # noqa: S108
    args = parser.parse_args()

    workdir = Path(args.workdir) / "redis_down"
    mail_port = free_port()
    env = prepared_postgres(
        args.database_url,
        workdir,
        REDIS_URL=REDIS_URL,
        RATELIMIT_STORAGE_URI=REDIS_URL,
        JOBS_QUEUE="partners-faults",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(mail_port),
    )
    start_redis()
    subprocess.run(["redis-cli", "-n", "13", "flushdb"], check=True, capture_output=True)  # noqa: S603,S607
    flask(env, "jobs", "run", "outbox")  # the demo's own e-mail, sent before the fault
    mail = SmtpServer(mail_port)
    mail.start()
    worker = subprocess.Popen(  # noqa: S603 - our own binary
        [str(BIN / "flask"), "jobs", "worker"],
        env=env,
        cwd=ROOT,
        stdout=open(workdir / "worker.log", "w"),  # noqa: SIM115 - lives with the process
        stderr=subprocess.STDOUT,
    )
    problems = 0
    try:
        with Gunicorn(env, 2, workdir / "gunicorn.log") as server:
            stop_redis()
            print("Redis stopped")
            pages = [request(server.port, "GET", p)[0] for p in ("/", "/search?q=housing") * 5]
            print(f"public pages while Redis is down: {pages}")
            problems += sum(1 for s in pages if s != 200)
            # Two workers: each counts in its own memory, so at most 10 per worker get through.
            signs = bad_sign_ins(server.port, 24)
            print(
                f"24 bad sign-ins while Redis is down: {signs.count(429)} refused with 429, "
                f"others {sorted(set(s for s in signs if s != 429))}"
            )
            problems += 0 if signs.count(429) >= 4 else 1
            status = forgot_password(server.port, "counselor@example.org")
            print(f"password reset asked while Redis is down: {status}")
            time.sleep(2)
            before = len(mail.collector.messages)
            print(f"e-mail received while Redis is down: {before} (it waits in the outbox)")
            start_redis()
            print("Redis started again")
            flask(env, "jobs", "run", "outbox", "--queue")  # the scheduler's minute run
            deadline = time.monotonic() + 30
            while not mail.collector.to("counselor@example.org") and time.monotonic() < deadline:
                time.sleep(0.2)
            got = len(mail.collector.to("counselor@example.org"))
            time.sleep(2)
            got = len(mail.collector.to("counselor@example.org"))
            print(f"reset e-mails received after Redis returned: {got} (goal: exactly 1)")
            problems += 0 if got == 1 else 1
            problems += 0 if before == 0 else 1
    finally:
        start_redis()
        worker.terminate()
        worker.wait(timeout=30)
        mail.stop()
    print("RESULT:", "nothing lost" if problems == 0 else f"{problems} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
