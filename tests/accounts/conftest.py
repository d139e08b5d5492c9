"""Account test helpers (the SMTP fixtures are shared: tests/conftest.py, tests/smtp.py)."""

from __future__ import annotations

import re


def link_in(body: str) -> str:
    match = re.search(r"http://localhost(/account/reset/\S+)", body)
    assert match, body
    return match.group(1)
