"""The inbox (order, filters, isolation between organizations) and the notification list."""

from __future__ import annotations

from datetime import date, timedelta

from app.common import utcnow
from app.extensions import db
from app.notify.models import Notification
from app.referrals.vocabulary import Priority
from tests import factories
from tests.referrals.conftest import FIRST_NAME


def _rows(html: str) -> str:
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""


def test_inbox_puts_urgent_then_overdue_first(client, login, world):  # noqa: ANN001
    factories.make_consent(
        world.client, world.counselor, organization=world.org, signed_on=date(2020, 1, 1)
    )
    names = {}
    for label, priority, age in (
        ("Routine new", Priority.ROUTINE, 0),
        ("Routine overdue", Priority.ROUTINE, 10),
        ("Urgent new", Priority.URGENT, 0),
    ):
        service = factories.make_service(world.org, name=label)
        names[label] = factories.make_referral(
            world.client,
            service,
            world.counselor,
            priority=priority,
            now=utcnow() - timedelta(days=age),
        )
    login(world.provider)
    # One list (every status); the start page splits open ones into groups (test_provider_home).
    html = client.get("/referrals/inbox?status=all").get_data(as_text=True)
    rows = _rows(html)
    assert rows.index("Urgent new") < rows.index("Routine overdue") < rows.index("Routine new")
    assert "Overdue</span> answer was due" in rows
    assert "Urgent" in rows
    assert FIRST_NAME not in html  # the provider inbox lists no names


def test_inbox_filters_by_status(client, login, world):  # noqa: ANN001
    waiting = factories.make_referral(world.client, world.service, world.counselor)
    other = factories.make_service(world.org, name="Closed Service")
    closed = factories.make_referral(world.client, other, world.counselor)
    from app.referrals.services import transition

    transition(
        waiting, "waitlist", world.provider, expected_version=waiting.version, reason_text="Full"
    )
    transition(
        closed,
        "decline",
        world.provider,
        expected_version=closed.version,
        reason_code="no_capacity",
    )
    db.session.commit()
    login(world.provider)
    rows = _rows(client.get("/referrals/inbox?status=waitlisted").get_data(as_text=True))
    assert "Transitional Housing" in rows and "Closed Service" not in rows
    rows = _rows(client.get("/referrals/inbox?status=closed").get_data(as_text=True))
    assert "Closed Service" in rows and "Transitional Housing" not in rows
    rows = _rows(client.get("/referrals/inbox").get_data(as_text=True))  # open by default
    assert "Transitional Housing" in rows and "Closed Service" not in rows
    assert client.get("/referrals/inbox?status=bogus").status_code == 404


def test_inbox_isolation_between_organizations(client, login, world):  # noqa: ANN001
    factories.make_referral(world.client, world.service, world.counselor)
    login(world.other_provider)
    html = client.get("/referrals/inbox?status=all").get_data(as_text=True)
    assert "Transitional Housing" not in html
    assert "No referrals here." in html


def test_counselor_sees_sent_referrals_of_own_teams_only(client, login, world):  # noqa: ANN001
    factories.make_referral(world.client, world.service, world.counselor)
    login(world.counselor)
    html = client.get("/referrals/inbox").get_data(as_text=True)
    assert "Sent referrals" in html and FIRST_NAME in _rows(html)
    client.post("/account/logout")
    login(world.outsider)
    html = client.get("/referrals/inbox?status=all").get_data(as_text=True)
    assert FIRST_NAME not in html and "Transitional Housing" not in html


def test_analyst_has_no_inbox(client, login, world):  # noqa: ANN001
    login(world.analyst)
    assert client.get("/referrals/inbox").status_code == 403


def test_notifications_newest_first_and_mark_all_read(client, login, world):  # noqa: ANN001
    factories.make_referral(world.client, world.service, world.counselor)
    db.session.add(
        Notification(
            user_id=world.provider.id,
            kind="test",
            text="An older notice",
            created_at=utcnow() - timedelta(days=3),
        )
    )
    db.session.add(Notification(user_id=world.counselor.id, kind="test", text="Not yours"))
    db.session.commit()
    login(world.provider)
    html = client.get("/referrals/notifications").get_data(as_text=True)
    assert "You have a new referral for Transitional Housing" in html
    assert html.index("You have a new referral") < html.index("An older notice")
    assert "Not yours" not in html
    assert "2 unread" in html
    response = client.post("/referrals/notifications/read")
    assert response.status_code == 302
    html = client.get("/referrals/notifications").get_data(as_text=True)
    assert "unread" not in html
    mine = db.session.query(Notification).filter_by(user_id=world.provider.id).all()
    assert all(n.read_at is not None for n in mine)
    other = db.session.query(Notification).filter_by(user_id=world.counselor.id).one()
    assert other.read_at is None


def test_notifications_need_sign_in(client, world):  # noqa: ANN001
    response = client.get("/referrals/notifications")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
