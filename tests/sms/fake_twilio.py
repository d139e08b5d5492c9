"""A local HTTP server that speaks Twilio's Messages API (the part we use): POST
/2010-04-01/Accounts/<sid>/Messages.json with basic auth answers 201 and a Twilio-shaped
message, or the error queued with `fail_next` (Twilio's JSON error body); GET
.../Messages/<MessageSid>.json answers the message as Twilio has it now (`set_status`), 404 for
a message it never sent."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "test-auth-token-0123456789"
FROM_NUMBER = "+18605550000"


@dataclass
class FakeTwilio:
    sent: list[dict] = field(default_factory=list)
    failures: list[tuple[int, dict]] = field(default_factory=list)
    port: int = 0
    # Fetches: each message's current status and error code (Twilio's default after sending is
    # "sent" until the carrier reports), every sid asked about, and a delay per answer.
    statuses: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    fetched: list[str] = field(default_factory=list)
    fetch_delay: float = 0.0

    def set_status(self, sid: str, status: str, error_code: int | None = None) -> None:
        self.statuses[sid] = (status, error_code)

    def fail_next(self, status: int, code: int | None, message: str = "error") -> None:
        self.failures.append((status, {"code": code, "message": message, "status": status}))

    def __call__(self, environ, start_response):  # noqa: ANN001,ANN204
        request = Request(environ)
        expected = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
        auth = request.authorization
        if auth is None or (auth.username, auth.password) != (ACCOUNT_SID, AUTH_TOKEN):
            body = {"code": 20003, "message": "Authenticate", "status": 401}
            return Response(_json(body), 401, mimetype="application/json")(environ, start_response)
        prefix = expected.removesuffix(".json") + "/"
        if request.method == "GET" and request.path.startswith(prefix):
            return self.fetch(request.path[len(prefix) :].removesuffix(".json"))(
                environ, start_response
            )
        if request.method != "POST" or request.path != expected:
            return Response("{}", 404, mimetype="application/json")(environ, start_response)
        if self.failures:
            status, body = self.failures.pop(0)
            return Response(_json(body), status, mimetype="application/json")(
                environ, start_response
            )
        form = request.form.to_dict()
        sid = "SM" + uuid.uuid4().hex
        self.sent.append({**form, "sid": sid})
        self.statuses.setdefault(sid, ("sent", None))
        body = {
            "sid": sid,
            "account_sid": ACCOUNT_SID,
            "to": form.get("To"),
            "from": form.get("From"),
            "body": form.get("Body"),
            "status": "queued",
            "num_segments": "1",
            "error_code": None,
        }
        return Response(_json(body), 201, mimetype="application/json")(environ, start_response)

    def fetch(self, sid: str) -> Response:
        self.fetched.append(sid)
        time.sleep(self.fetch_delay)
        if self.failures:
            status, body = self.failures.pop(0)
            return Response(_json(body), status, mimetype="application/json")
        if sid not in self.statuses:
            body = {"code": 20404, "message": "The requested resource was not found", "status": 404}
            return Response(_json(body), 404, mimetype="application/json")
        state, code = self.statuses[sid]
        body = {
            "sid": sid,
            "account_sid": ACCOUNT_SID,
            "status": state,
            "error_code": code,
            "error_message": None if code is None else "Unknown error",
            "num_segments": "1",
        }
        return Response(_json(body), 200, mimetype="application/json")


def _json(body: dict) -> str:
    import json

    return json.dumps(body)


class Server:
    def __init__(self, fake: FakeTwilio) -> None:
        self.server = make_server("127.0.0.1", 0, fake, threaded=True)
        fake.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(5)
