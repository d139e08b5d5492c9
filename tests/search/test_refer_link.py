"""Staff search results offer "Refer a client" to the people who may refer (counselors, admins)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.accounts.models import Role
from tests import factories
from tests.search.conftest import service


@pytest.fixture
def elm(index_dir: Path, taxonomy):  # noqa: ANN001,ANN201
    return service("Elm Recovery House", needs=("housing.recovery",))


def _results(client) -> str:  # noqa: ANN001
    response = client.get("/staff/search", query_string={"q": "elm"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Elm Recovery House" in html
    return html


@pytest.mark.parametrize("role", [Role.COUNSELOR, Role.ADMIN])
def test_counselors_and_admins_get_a_refer_link(client, login, elm, role) -> None:  # noqa: ANN001
    login(factories.make_user(role))
    html = _results(client)
    href = f'href="/referrals/refer?service={elm.id}"'
    assert href in html and "Refer a client" in html
    # The link leads to the page where they pick the person to refer.
    assert client.get(f"/referrals/refer?service={elm.id}").status_code == 200


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.ANALYST])
def test_others_get_no_refer_link(client, login, elm, role) -> None:  # noqa: ANN001
    login(factories.make_user(role))
    html = _results(client)
    assert "/referrals/refer" not in html and "Refer a client" not in html
