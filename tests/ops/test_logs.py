"""Log lines: JSON (or text) with time, level, logger, message and the request's id; the id comes
from a valid X-Request-ID or is made here, and is echoed back; no client data in JSON mode."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.logging import default_handler

from app.accounts.models import Role
from app.ops.logs import configure_logging
from tests import factories
from tests.referrals.test_log_privacy import SECRET_VALUES, _client_form, failing_writes

log = logging.getLogger("tests.ops")


@pytest.fixture
def log_output(app: Flask) -> Iterator[callable]:
    """log_output(fmt) routes every log line of the session app to a string, in that format."""
    root = logging.getLogger()
    level, had_default = root.level, default_handler in app.logger.handlers
    previous = app.config["LOG_FORMAT"]
    added: list[logging.Handler] = []

    def _use(log_format: str) -> io.StringIO:
        stream = io.StringIO()
        app.config["LOG_FORMAT"] = log_format
        added.append(configure_logging(app, stream))
        return stream

    yield _use
    app.config["LOG_FORMAT"] = previous
    for handler in added:
        root.removeHandler(handler)
    root.setLevel(level)
    if had_default:
        app.logger.addHandler(default_handler)


@pytest.fixture
def logging_route(app: Flask) -> str:
    if "_log_something" not in app.view_functions:

        def _log_something() -> str:
            log.warning("something worth a line")
            return "logged"

        _log_something.permission = "public"
        app.add_url_rule("/_test/log", "_log_something", _log_something)
    return "/_test/log"


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_a_json_line_has_the_fields_and_the_incoming_request_id(client, log_output, logging_route):  # noqa: ANN001
    stream = log_output("json")
    response = client.get(logging_route, headers={"X-Request-ID": "edge-1a2B.3_c"})
    assert response.headers["X-Request-ID"] == "edge-1a2B.3_c"
    (line,) = [x for x in _lines(stream) if x["logger"] == "tests.ops"]
    assert line["message"] == "something worth a line"
    assert line["level"] == "WARNING"
    assert line["request_id"] == "edge-1a2B.3_c"
    assert line["time"].endswith("+00:00")


@pytest.mark.parametrize(
    "incoming",
    [None, "", "x" * 65, "has space", "new\nline", 'quote"', "ünï", "a/b", "{id}"],
)
def test_an_unusable_request_id_is_replaced(client, log_output, logging_route, incoming):  # noqa: ANN001
    stream = log_output("json")
    raw = {} if incoming is None else {"HTTP_X_REQUEST_ID": incoming}  # as sent, unchecked
    response = client.get(logging_route, environ_base=raw)
    made = response.headers["X-Request-ID"]
    assert made != incoming and len(made) == 32 and made.isalnum()
    assert [x["request_id"] for x in _lines(stream) if x["logger"] == "tests.ops"] == [made]


def test_each_request_gets_its_own_id(client):  # noqa: ANN001
    ids = {client.get("/healthz").headers["X-Request-ID"] for _ in range(5)}
    assert len(ids) == 5


def test_text_lines_carry_the_request_id_too(client, log_output, logging_route):  # noqa: ANN001
    stream = log_output("text")
    client.get(logging_route, headers={"X-Request-ID": "abc-123"})
    log.warning("outside any request")
    text = stream.getvalue()
    assert "WARNING tests.ops [abc-123] something worth a line" in text
    assert "WARNING tests.ops [-] outside any request" in text


def test_an_unknown_log_format_refuses_to_start(make_app):  # noqa: ANN001
    with pytest.raises(RuntimeError, match="LOG_FORMAT"):
        make_app(LOG_FORMAT="yaml")


@pytest.fixture
def unpropagated(app):  # noqa: ANN001,ANN201
    previous = app.config.get("PROPAGATE_EXCEPTIONS")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    yield
    app.config["PROPAGATE_EXCEPTIONS"] = previous


def test_a_failed_client_write_logs_no_client_data_in_json(client, login, log_output, unpropagated):  # noqa: ANN001
    counselor = factories.make_user(Role.COUNSELOR, facility=factories.make_facility())
    login(counselor)
    stream = log_output("json")
    with failing_writes(("client",)):
        response = client.post(
            "/referrals/clients/new",
            data=_client_form(),
            headers={"X-Request-ID": "write-1"},
        )
    assert response.status_code == 500
    output = stream.getvalue()
    lines = _lines(stream)  # every line is one JSON object
    (error,) = [x for x in lines if x["level"] == "ERROR"]
    assert error["request_id"] == "write-1"
    assert "message withheld" in error["exception"]
    for label in ("first name", "last name", "birth date", "inmate number", "phone", "e-mail"):
        assert SECRET_VALUES[label] not in output, f"the {label} reached the log"
        assert json.dumps(SECRET_VALUES[label])[1:-1] not in output
