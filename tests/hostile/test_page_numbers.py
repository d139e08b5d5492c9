"""Every HTML list page answers a page number it cannot use with a page, never a 500."""

from __future__ import annotations

import pytest

from app.pagination import MAX_PAGE, parse_page
from tests.test_route_permissions import ROLES, ROUTES, _login

HOSTILE_PAGES = ["²", "٣", "9" * 5000, "9" * 4000, "-1", "0", "1e9", " 2", "+2", "2_0", "\x00"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        ("7", 7),
        ("007", 7),
        ("²", 1),
        ("٣", 1),
        ("", 1),
        ("0", 1),
        ("-3", 1),
        ("+3", 1),
        (" 3", 1),
        ("3_0", 1),
        ("1e3", 1),
        (None, 1),
        (str(MAX_PAGE + 1), MAX_PAGE),
        ("9" * 5000, MAX_PAGE),
    ],
)
def test_parse_page(value, expected):  # noqa: ANN001
    assert parse_page(value) == expected


def _html_get_pages():  # noqa: ANN202
    """(endpoint, path builder, a role that sees it) for every HTML GET page answering 200."""
    for endpoint, spec in sorted(ROUTES.items()):
        for method, path, expected in spec if isinstance(spec, list) else [spec]:
            if method != "GET" or endpoint.startswith("api."):
                continue
            role = next((r for r in ROLES if expected[r] == 200), None)
            if role is not None:
                yield endpoint, path, role


PAGES = list(_html_get_pages())


@pytest.mark.parametrize(("endpoint", "path", "role"), PAGES, ids=[p[0] for p in PAGES])
def test_no_page_number_breaks_a_page(app, client, world, endpoint, path, role):  # noqa: ANN001
    if role != "anonymous":
        _login(client, world.users[role])
    url = path(world)
    joiner = "&" if "?" in url else "?"
    for value in HOSTILE_PAGES:
        response = client.get(f"{url}{joiner}page={value}")
        assert response.status_code < 500, (endpoint, value[:10], response.status_code)
