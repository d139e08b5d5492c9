"""Administration in one place, and the user list in pages."""

from __future__ import annotations

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.notify.services import queue_email
from app.public.models import ProblemReport
from tests import factories

ADMIN_PAGES = ("Users", "Facilities", "Problem reports", "E-mail outbox", "Audit trail")


@pytest.fixture
def admin(login):  # noqa: ANN001,ANN201
    user = factories.make_user(Role.ADMIN, name="Ada Admin")
    login(user)
    return user


def _header(html: str) -> str:
    return html[html.index("<header") : html.index("</header>")]


def test_the_header_has_one_administration_link(client, admin) -> None:  # noqa: ANN001
    header = _header(client.get("/account/me").get_data(as_text=True))
    assert '<a href="/account/admin">Administration</a>' in header
    for label in ADMIN_PAGES:
        assert f">{label}</a>" not in header


def test_the_administration_page_links_every_page_and_what_waits(client, admin) -> None:  # noqa: ANN001
    message = queue_email("someone@example.org", "Hello", "Body", kind="test")
    message.failed = True
    service = factories.make_service()
    db.session.add(ProblemReport(service_id=service.id, kind="wrong_phone"))
    db.session.commit()
    html = client.get("/account/admin").get_data(as_text=True)
    for label in ADMIN_PAGES:
        assert f">{label}</a>" in html
    assert "(1 open)" in html and "(1 failed)" in html and "(1 active)" in html


@pytest.mark.parametrize("role", [Role.COUNSELOR, Role.PROVIDER, Role.ANALYST])
def test_others_have_no_administration_link(client, login, role) -> None:  # noqa: ANN001
    login(factories.make_user(role, organizations=[factories.make_organization()]))
    assert "Administration" not in _header(client.get("/account/me").get_data(as_text=True))
    assert client.get("/account/admin").status_code == 403


def test_users_come_fifty_a_page_and_can_be_found(client, admin) -> None:  # noqa: ANN001
    for n in range(52):
        factories.make_user(
            Role.COUNSELOR, name=f"Counselor {n:02d}", email=f"c{n:02d}@example.org"
        )
    first = client.get("/account/users/").get_data(as_text=True)
    assert "53 accounts · page 1 of 2" in first
    assert first.count('aria-label="Edit ') == 50
    assert '<a rel="next" href="/account/users/?page=2">Next page</a>' in first
    second = client.get("/account/users/?page=2").get_data(as_text=True)
    assert second.count('aria-label="Edit ') == 3
    found = client.get("/account/users/?q=C07@EXAMPLE").get_data(as_text=True)
    assert "1 account matching" in found and "Counselor 07" in found and "Counselor 08" not in found
    assert "No account matches “nobody”." in client.get("/account/users/?q=nobody").get_data(
        as_text=True
    )
