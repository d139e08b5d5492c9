"""Log lines: JSON (or text) with time, level, logger, message and the request's id; the id comes
from a valid X-Request-ID or is made here, and is echoed back; no client data in JSON mode."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from app.accounts.models import Role
from app.ops.logs import configure_logging
from tests import factories
from tests.referrals.test_log_privacy import SECRET_VALUES, _client_form, failing_writes

log = logging.getLogger("tests.ops")


@pytest.fixture
def log_output(make_app) -> Iterator[Callable[[str], tuple[Flask, io.StringIO]]]:  # noqa: ANN001
    """log_output(fmt) -> a new app (with a /_test/log route) whose log lines, in that format,
    go to the returned string. The root logger is put back as it was afterwards."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)

    def _use(log_format: str) -> tuple[Flask, io.StringIO]:
        other = make_app(LOG_FORMAT=log_format, PROPAGATE_EXCEPTIONS=False)

        def _log_something() -> str:
            log.warning("something worth a line")
            return "logged"

        _log_something.permission = "public"
        other.add_url_rule("/_test/log", "_log_something", _log_something)
        stream = io.StringIO()
        configure_logging(other, stream)
        return other, stream

    yield _use
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_a_json_line_has_the_fields_and_the_incoming_request_id(log_output):  # noqa: ANN001
    other, stream = log_output("json")
    response = other.test_client().get("/_test/log", headers={"X-Request-ID": "edge-1a2B.3_c"})
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
def test_an_unusable_request_id_is_replaced(log_output, incoming):  # noqa: ANN001
    other, stream = log_output("json")
    raw = {} if incoming is None else {"HTTP_X_REQUEST_ID": incoming}  # as sent, unchecked
    response = other.test_client().get("/_test/log", environ_base=raw)
    made = response.headers["X-Request-ID"]
    assert made != incoming and len(made) == 32 and made.isalnum()
    assert [x["request_id"] for x in _lines(stream) if x["logger"] == "tests.ops"] == [made]


def test_each_request_gets_its_own_id(client):  # noqa: ANN001
    ids = {client.get("/healthz").headers["X-Request-ID"] for _ in range(5)}
    assert len(ids) == 5


def test_text_lines_carry_the_request_id_too(log_output):  # noqa: ANN001
    other, stream = log_output("text")
    other.test_client().get("/_test/log", headers={"X-Request-ID": "abc-123"})
    log.warning("outside any request")
    text = stream.getvalue()
    assert "WARNING tests.ops [abc-123] something worth a line" in text
    assert "WARNING tests.ops [-] outside any request" in text


def test_an_unknown_log_format_refuses_to_start(make_app):  # noqa: ANN001
    with pytest.raises(RuntimeError, match="LOG_FORMAT"):
        make_app(LOG_FORMAT="yaml")


def test_a_failed_client_write_logs_no_client_data_in_json(log_output):  # noqa: ANN001
    counselor = factories.make_user(Role.COUNSELOR, facility=factories.make_facility())
    other, stream = log_output("json")
    client = other.test_client()
    signed_in = client.post(
        "/account/login", data={"email": counselor.email, "password": factories.PASSWORD}
    )
    assert signed_in.status_code == 302
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
