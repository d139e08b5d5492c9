"""Twilio's Messages API, the one SMS provider adapter, and its webhook signature.

POST {TWILIO_API_BASE}/2010-04-01/Accounts/{sid}/Messages.json with To, From, Body and
StatusCallback, HTTP basic auth (account SID, auth token); GET .../Messages/{MessageSid}.json
fetches one message's delivery status. Tests point TWILIO_API_BASE at a local server that answers
the same way; nothing here knows it is a test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

import requests
from flask import current_app

# Twilio error codes that mean "never try this number again" (the person is unsubscribed, the
# number is not a mobile, not valid): the message fails at once and texts stop.
UNSUBSCRIBED = "21610"
PERMANENT_CODES = {UNSUBSCRIBED, "21211", "21612", "21614", "21408"}


class SmsNotConfigured(RuntimeError):
    """SMS_PROVIDER is not set (or not twilio): messages wait in the outbox."""


@dataclass(frozen=True)
class SendResult:
    ok: bool
    sid: str | None = None
    status: str | None = None
    error_code: str | None = None
    error: str | None = None
    permanent: bool = False  # retrying will not help


@dataclass(frozen=True)
class FetchResult:
    ok: bool
    status: str | None = None
    error_code: str | None = None
    unknown: bool = False  # Twilio does not know this message (404): asking again will not help
    error: str | None = None


def configured() -> bool:
    config = current_app.config
    return (config.get("SMS_PROVIDER") or "").strip().lower() == "twilio" and bool(
        config.get("TWILIO_ACCOUNT_SID") and config.get("TWILIO_AUTH_TOKEN")
    )


def _messages_url() -> str:
    if not configured():
        raise SmsNotConfigured("SMS_PROVIDER=twilio and Twilio credentials are needed")
    config = current_app.config
    sid = config["TWILIO_ACCOUNT_SID"]
    return f"{config['TWILIO_API_BASE'].rstrip('/')}/2010-04-01/Accounts/{sid}/Messages"


def _auth() -> tuple[str, str]:
    return current_app.config["TWILIO_ACCOUNT_SID"], current_app.config["TWILIO_AUTH_TOKEN"]


def _timeout() -> int:
    return int(current_app.config.get("SMS_TIMEOUT") or 10)


def send(to: str, body: str, status_callback: str | None) -> SendResult:
    """Hand one text to Twilio. Network trouble and 5xx are retryable; 4xx are not."""
    url = _messages_url() + ".json"
    config = current_app.config
    data = {"To": to, "From": config["TWILIO_FROM_NUMBER"], "Body": body}
    if status_callback:
        data["StatusCallback"] = status_callback
    try:
        response = requests.post(url, data=data, auth=_auth(), timeout=_timeout())
    except requests.RequestException as exc:
        return SendResult(ok=False, error=type(exc).__name__)
    try:
        payload = response.json()
    except ValueError:
        payload = {}
    if response.status_code in (200, 201):
        return SendResult(ok=True, sid=payload.get("sid"), status=payload.get("status"))
    code = str(payload.get("code") or "") or None
    permanent = 400 <= response.status_code < 500 and response.status_code != 429
    # Only the code and Twilio's own short message: never the number or the body.
    message = f"HTTP {response.status_code}" + (f" (Twilio {code})" if code else "")
    return SendResult(
        ok=False,
        error_code=code,
        error=message,
        permanent=permanent or code in PERMANENT_CODES,
    )


def fetch(message_sid: str) -> FetchResult:
    """One message's status as Twilio has it now ("delivered", "undelivered" with its error
    code...). Network trouble and 5xx: not ok, ask again later."""
    try:
        response = requests.get(
            f"{_messages_url()}/{quote(message_sid, safe='')}.json",
            auth=_auth(),
            timeout=_timeout(),
        )
    except requests.RequestException as exc:
        return FetchResult(ok=False, error=type(exc).__name__)
    if response.status_code == 404:
        return FetchResult(ok=False, unknown=True, error="HTTP 404")
    try:
        payload = response.json()
    except ValueError:
        payload = {}
    if response.status_code != 200 or not isinstance(payload, dict):
        return FetchResult(ok=False, error=f"HTTP {response.status_code}")
    code = payload.get("error_code")
    return FetchResult(
        ok=True,
        status=str(payload.get("status") or "").lower() or None,
        error_code=str(code) if code not in (None, "") else None,
    )


def signature(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """X-Twilio-Signature: base64 HMAC-SHA1 of the URL followed by each POST parameter's name
    and value, sorted by name."""
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def valid_signature(url: str, params: Mapping[str, str], given: str | None) -> bool:
    token = current_app.config.get("TWILIO_AUTH_TOKEN") or ""
    if not token or not given:
        return False
    return hmac.compare_digest(signature(token, url, params), given)
