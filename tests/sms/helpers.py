"""Builders for the SMS tests: a person on a counselor's team who agreed to texts."""

from __future__ import annotations

from app.extensions import db
from app.sms.consent import record_text_consent
from tests.public.helpers import counselor_and_client

MOBILE = "(860) 555-0123"
E164 = "+18605550123"


def person_with_texts(**client_kw):  # noqa: ANN003,ANN201
    counselor, client = counselor_and_client(**client_kw)
    consent = record_text_consent(client, MOBILE, counselor)
    db.session.commit()
    return counselor, client, consent
