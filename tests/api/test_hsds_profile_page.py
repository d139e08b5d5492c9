"""The profile URL GET /api/ names: JSON for programs, a readable page for a browser."""

from __future__ import annotations

import pytest
from markupsafe import escape

from app.api.openapi import PROFILE

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _profile_path(client) -> str:  # noqa: ANN001
    return client.get("/api/").get_json()["profile"].replace("http://localhost", "")


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/json, */*"])
def test_programs_get_the_profile_as_json(client, accept) -> None:  # noqa: ANN001
    headers = {"Accept": accept} if accept else {}
    response = client.get(_profile_path(client), headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == PROFILE
    assert "Accept" in response.headers["Vary"]


@pytest.mark.parametrize("accept", [BROWSER, "text/html"])
def test_a_browser_gets_a_readable_page_explaining_every_field(client, accept) -> None:  # noqa: ANN001
    response = client.get(_profile_path(client), headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "Accept" in response.headers["Vary"]
    page = response.get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "HSDS 3.1" in page
    for key, meaning in PROFILE["extensions"].items():
        if "." not in key:
            continue
        obj, field = key.split(".", 1)
        assert f'<tr id="{obj}.{field}">' in page
        assert f"<code>{field}</code>" in page
        assert str(escape(meaning)) in page  # the whole explanation, as Jinja escapes it
    assert "x_partners_eligibility_rules.csv" in page
    assert "never part of the API" in page
