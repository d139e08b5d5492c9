"""A new network starts with no services: every search answers "nothing found", never a 500."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "args",
    [
        {"q": "goat"},
        {"near": "Hartford", "radius": "10"},
        {"q": "housing", "near": "06103", "has_capacity": "1", "open_now": "1"},
        {"need": "housing"},
    ],
)
def test_search_on_an_empty_directory_answers(client, index_dir, taxonomy, args) -> None:  # noqa: ANN001
    response = client.get("/api/search", query_string=args)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.get_json()["total"] == 0
    page = client.get("/search", query_string={k: v for k, v in args.items() if k != "radius"})
    assert page.status_code == 200
