"""One rule for provider web addresses: http or https with a host, nothing else.

Checked when an address is saved (the service and organization forms, the HSDS import) and again
when one is rendered as a link (the `web_href` template filter), so an address stored before
this rule, or by any other path, never becomes a `javascript:` or `data:` link.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

SCHEMES = ("http", "https")
MESSAGE = "Enter a full web address starting with https:// or http://."


def is_web_address(value: Any) -> bool:
    """An absolute http(s) address with a host and no spaces or control characters."""
    if not isinstance(value, str) or not value or any(c.isspace() or ord(c) < 32 for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in SCHEMES and bool(parts.hostname)


def web_href(value: Any) -> str | None:
    """Template filter: the address when it is safe as an href, else None (show no link)."""
    return value if is_web_address(value) else None
