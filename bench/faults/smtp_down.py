"""Fault: the mail server is down while e-mail is queued, then comes back.

    .venv/bin/python bench/faults/smtp_down.py [--messages 50] [--database-url …]

Queues N messages in the outbox (as the app does, in the cause's own transaction), tries to send
them with nothing listening on the mail port, and checks every message is still pending (none
lost, none given up on after one try). Then it starts a real SMTP server (aiosmtpd, a little
slow), moves each message's next try to now (standing in for the backoff's wait), runs two
senders at once, and counts what the server received: every message exactly once.
SQLite by default (a file under --workdir); --database-url runs it on PostgreSQL.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from common import app_for, scratch_database  # noqa: E402
from stack import BIN, ROOT, base_env, flask, free_port  # noqa: E402

from tests.smtp import Collector, SmtpServer  # noqa: E402


def send(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own binary
        [str(BIN / "flask"), "outbox", "send"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "partners-faults"))
    args = parser.parse_args()

    workdir = Path(args.workdir) / "smtp_down"
    url = scratch_database(args.database_url, workdir)
    port = free_port()  # nothing listens here until the server "comes back"
    env = base_env(url, workdir, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(port), MAIL_TIMEOUT="5")
    flask(env, "db", "upgrade")
    app = app_for(env)

    from sqlalchemy import func, select, update

    from app.common import utcnow
    from app.extensions import db
    from app.notify.models import OutboxMessage
    from app.notify.services import queue_email

    with app.app_context():
        for n in range(args.messages):
            queue_email(f"person{n}@example.org", f"Message {n}", "A test message.", "fault")
        db.session.commit()

    first = send(env)
    print("mail server down:", first.communicate()[0].strip())
    with app.app_context():
        pending = db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed.is_(False))
        )
        print(f"pending after the failed try: {pending} of {args.messages} (none given up on)")
        # The backoff would wait minutes before the next try; the script moves it to now.
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()

    server = SmtpServer(port)
    server.collector = Collector(delay=0.02)
    server.start()
    try:
        senders = [send(env), send(env)]
        for n, sender in enumerate(senders, 1):
            print(f"sender {n} after the server came back:", sender.communicate()[0].strip())
    finally:
        server.stop()

    received = Counter(m["To"] for m in server.collector.messages)
    twice = sum(1 for c in received.values() if c > 1)
    with app.app_context():
        unsent = db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
        )
    print(
        f"received by the mail server: {len(received)} distinct of {args.messages}; "
        f"received twice: {twice}; still unsent in the outbox: {unsent}"
    )
    problems = (args.messages - pending) + (args.messages - len(received)) + twice + unsent
    print("RESULT:", "every message exactly once" if problems == 0 else f"{problems} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
