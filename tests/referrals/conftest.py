"""Referral fixtures: a small world (provider, counselor, client, service) and a real SMTP server.

The SMTP part copies tests/accounts/conftest.py: Flask-Mail reads MAIL_* (and
MAIL_SUPPRESS_SEND, which defaults to TESTING) when it is initialised, so pointing the session app
at a test server means changing the config *and* re-initialising Flask-Mail, then undoing both.
"""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller

from app.accounts.models import Role
from app.extensions import mail
from tests import factories

# --- a small world -------------------------------------------------------------------------------

FIRST_NAME = "Zebulon"
LAST_NAME = "Quixwell"
DATE_OF_BIRTH = date(1979, 11, 23)
INMATE_NUMBER = "INM-448812"


NEED_AREAS = (
    ("housing", None, "Housing"),
    ("housing.transitional", "housing", "Transitional and halfway housing"),
    ("employment", None, "Employment and job training"),
    ("food", None, "Food"),
)


def need_area_terms(db):  # noqa: ANN001,ANN201
    """A few need areas with the seed's ids (need-<code>), much faster than load_taxonomies()."""
    from app.directory.models import NEED_AREA_TAXONOMY, TaxonomyTerm

    terms = []
    for order, (code, parent, name) in enumerate(NEED_AREAS):
        term = TaxonomyTerm(
            id=f"need-{code}",
            code=code,
            name=name,
            parent_id=f"need-{parent}" if parent else None,
            taxonomy=NEED_AREA_TAXONOMY,
            sort_order=order,
        )
        db.session.add(term)
        db.session.flush()
        terms.append(term)
    db.session.commit()
    return terms


@pytest.fixture
def world(db):  # noqa: ANN001,ANN201
    """Two provider organizations, a housing service with room, a counselor with one client.

    The client's name, date of birth and inmate number are distinctive so tests can assert that
    they never leak into e-mails or notifications.
    """
    housing, transitional = need_area_terms(db)[:2]
    facility = factories.make_facility()
    org = factories.make_organization(name="Harbor House Org", email="intake@harbor.example.org")
    other_org = factories.make_organization(name="Elsewhere Org")
    location = factories.make_location(org, town="Hartford")
    service = factories.make_service(org, location=location, name="Transitional Housing")
    service.taxonomy_terms = [housing, transitional]
    db.session.commit()
    factories.make_capacity(service, available=3, maximum=10)
    counselor = factories.make_user(Role.COUNSELOR, facility=facility, name="Casey Counselor")
    w = SimpleNamespace(
        facility=facility,
        org=org,
        other_org=other_org,
        location=location,
        service=service,
        counselor=counselor,
        provider=factories.make_user(Role.PROVIDER, organizations=[org], name="Pat Provider"),
        other_provider=factories.make_user(Role.PROVIDER, organizations=[other_org]),
        outsider=factories.make_user(Role.COUNSELOR, facility=facility, name="Other Counselor"),
        admin=factories.make_user(Role.ADMIN),
        analyst=factories.make_user(Role.ANALYST),
    )
    w.client = factories.make_client(
        counselor,
        first_name=FIRST_NAME,
        last_name=LAST_NAME,
        date_of_birth=DATE_OF_BIRTH,
        inmate_number=INMATE_NUMBER,
        destination_town="Hartford",
        projected_release_date=date(2030, 1, 15),
    )
    return w


# --- a real SMTP server --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Collector:
    """aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: ANN001, N802
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if address in m["To"]]


_MISSING = object()


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


@pytest.fixture
def smtp_down(app) -> Iterator[SmtpServer]:  # noqa: ANN001
    """Mail points at a port with nothing listening (yet); call .start() to bring it up."""
    server = SmtpServer(free_port())
    with mail_to_port(app, server.port):
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def smtp(smtp_down: SmtpServer) -> Collector:
    """A running SMTP server that the app sends to; returns the collected messages."""
    smtp_down.start()
    return smtp_down.collector
