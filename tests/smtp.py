"""A real SMTP server (aiosmtpd) for mail tests; the fixtures `smtp` and `smtp_down` live in
tests/conftest.py.

Flask-Mail copies MAIL_* settings (and MAIL_SUPPRESS_SEND, which defaults to TESTING) into
app.extensions["mail"] when it is initialised, not at send time. So pointing the session app at a
test server means changing the config *and* re-initialising Flask-Mail, then undoing both.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from aiosmtpd.controller import Controller

from app.extensions import mail


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Collector:
    """aiosmtpd handler that keeps every message it receives."""

    def __init__(self, delay: float = 0) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.delay = delay  # seconds per message: a slow server, so concurrent senders overlap

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if address in m["To"]]

    def bodies_to(self, address: str) -> list[str]:
        return [
            m.get_body(preferencelist=("plain",)).get_content()
            for m in self.messages
            if address in m["To"]
        ]


@contextmanager
def mail_to_port(app, port: int) -> Iterator[None]:  # noqa: ANN001
    keys = ("MAIL_SERVER", "MAIL_PORT", "MAIL_SUPPRESS_SEND", "MAIL_TIMEOUT")
    saved = {key: app.config.get(key, _MISSING) for key in keys}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_SUPPRESS_SEND=False)
    mail.init_app(app)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is _MISSING:
                app.config.pop(key, None)
            else:
                app.config[key] = value
        mail.init_app(app)


_MISSING = object()


class SmtpServer:
    """Start/stop a collecting server on a fixed port, so a test can take it down and up."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.collector = Collector()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
