"""Admin pages: the read-only audit trail (filters, paging, links) and the e-mail outbox
(failed messages with their error, "try again", filters), and who may open them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.audit.services import record
from app.common import utcnow
from app.extensions import db
from app.notify.models import OutboxMessage
from app.notify.services import send_pending
from app.templating import format_moment
from tests import factories

OTHER_ROLES = (Role.COUNSELOR, Role.PROVIDER, Role.ANALYST)


@pytest.fixture
def admin(login):  # noqa: ANN001,ANN201
    user = factories.make_user(Role.ADMIN, name="Ada Admin", email="ada@example.org")
    login(user)
    return user


@pytest.fixture
def trail():  # noqa: ANN201
    """A counselor creates a person and refers them (client, consent, referral entries)."""
    counselor = factories.make_user(Role.COUNSELOR, name="Cora Counselor", email="cora@dpt.example")
    person = factories.make_client(counselor)
    service = factories.make_service(factories.make_organization())
    referral = factories.make_referral(person, service, counselor)
    return {"counselor": counselor, "client": person, "referral": referral}


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return re.findall(r"<tr>.*?</tr>", body, flags=re.S)


def _audit(client, status: int = 200, **args) -> str:  # noqa: ANN001,ANN003
    response = client.get("/account/audit", query_string=args)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


# --- audit trail ----------------------------------------------------------------------------------


def test_admin_sees_who_did_what_in_words_with_links(client, admin, trail) -> None:  # noqa: ANN001
    html = _audit(client)
    rows = _rows(html)
    assert len(rows) == 3
    # Newest first: the referral was sent after the person was created. Words, not codes.
    assert "Sent a referral" in rows[0] and "Added a person" in rows[-1]
    assert "referral.create" not in rows[0] and "client.create" not in rows[-1]
    assert "Cora Counselor" in rows[0] and "cora@dpt.example" in rows[0]
    assert f'href="/referrals/{trail["referral"].id}"' in rows[0]
    assert f'href="/referrals/clients/{trail["client"].id}"' in rows[-1]
    assert "priority" in rows[0] and "routine" in rows[0]  # details: codes as stored
    # Field names and codes only: the person's name never shows up on the page.
    assert trail["client"].first_name not in html and trail["client"].last_name not in html
    main = html.split("<main", 1)[1]
    assert 'method="post"' not in main  # read-only: nothing to edit or delete


def test_filters_by_action_actor_and_object(client, admin, trail) -> None:  # noqa: ANN001
    other = factories.make_user(Role.COUNSELOR, email="otto@elsewhere.example")
    record("client.view", trail["client"], other, client_id=trail["client"].id)
    db.session.commit()

    html = _audit(client)
    # The action select lists what exists, in words.
    assert '<option value="referral.create">Sent a referral</option>' in html
    rows = _rows(_audit(client, action="referral.create"))
    assert len(rows) == 1 and "Sent a referral" in rows[0]

    rows = _rows(_audit(client, actor="ELSEWHERE"))  # e-mail contains, any case
    assert len(rows) == 1 and "otto@elsewhere.example" in rows[0]

    rows = _rows(_audit(client, object_id=trail["client"].id))
    assert len(rows) == 2
    assert all("Sent a referral" not in row for row in rows)

    assert _rows(_audit(client, actor="nobody%")) == []  # % is a character, not a wildcard


def test_an_unknown_action_is_a_422_with_a_message(client, admin, trail) -> None:  # noqa: ANN001
    html = _audit(client, 422, action="client.delete")
    assert "Not a valid choice" in html
    assert _rows(html) == []


def test_pages_of_twenty_five_newest_first(client, admin) -> None:  # noqa: ANN001
    actor = factories.make_user(Role.COUNSELOR)
    start = utcnow() - timedelta(days=1)
    for i in range(30):
        record("client.view", actor, actor, details={"n": i}, at=start + timedelta(minutes=i))
    db.session.commit()

    first = _audit(client)
    assert len(_rows(first)) == 25
    assert "page 1 of 2" in first
    assert ">29</dd>" in _rows(first)[0]
    assert '<a rel="next" href="/account/audit?page=2">Older entries</a>' in first
    assert "Newer entries" not in first
    second = _audit(client, page=2)
    assert len(_rows(second)) == 5
    assert ">0</dd>" in _rows(second)[-1]
    assert '<a rel="prev" href="/account/audit?page=1">Newer entries</a>' in second
    assert "Older entries" not in second


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_only_admins_see_the_audit_trail(client, login, role) -> None:  # noqa: ANN001
    login(factories.make_user(role))
    assert client.get("/account/audit").status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client) -> None:  # noqa: ANN001
    for url in ("/account/audit", "/account/outbox"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login" in response.headers["Location"]


# --- outbox ---------------------------------------------------------------------------------------


def _message(**kw) -> OutboxMessage:  # noqa: ANN003
    fields = {
        "recipient": "intake@provider.example",
        "subject": "You have a new referral",
        "body": "SECRET-BODY-LINK",
        "kind": "referral.new",
    }
    message = OutboxMessage(**{**fields, **kw})
    db.session.add(message)
    db.session.commit()
    return message


def test_outbox_lists_failed_and_pending_but_not_bodies(client, admin) -> None:  # noqa: ANN001
    failed = _message(
        subject="Failed one", attempts=6, failed=True, last_error="SMTPConnectError: refused"
    )
    _message(subject="Pending one", attempts=1, last_error="timed out")
    _message(subject="Delivered one", sent_at=utcnow())

    html = client.get("/account/outbox").get_data(as_text=True)
    assert "Failed one" in html and "SMTPConnectError: refused" in html
    assert "Pending one" in html and "Delivered one" not in html
    assert "Failed</span>" in html and "Pending</span>" in html  # state in words, not colour
    assert "SECRET-BODY-LINK" not in html
    assert f"/account/outbox/{failed.id}/retry" in html

    only_failed = client.get("/account/outbox?state=failed").get_data(as_text=True)
    assert "Failed one" in only_failed and "Pending one" not in only_failed
    sent = client.get("/account/outbox?state=sent").get_data(as_text=True)
    assert "Delivered one" in sent and "Failed one" not in sent
    assert client.get("/account/outbox?state=lost").status_code == 422
    assert "Failed one" in client.get("/account/outbox?page=1").get_data(as_text=True)


def test_try_again_puts_a_failed_message_back_in_the_queue(client, admin) -> None:  # noqa: ANN001
    later = utcnow() + timedelta(hours=3)
    message = _message(attempts=6, failed=True, last_error="boom", next_attempt_at=later)

    response = client.post(f"/account/outbox/{message.id}/retry")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/outbox")
    message = factories.reload(message)
    assert message.failed is False
    assert message.next_attempt_at <= utcnow()
    follow = client.get("/account/outbox").get_data(as_text=True)
    assert "will be sent on the next outbox run" in follow

    # The next `flask outbox send` now picks it up (mail is suppressed under TESTING).
    assert send_pending() == (1, 0)
    assert factories.reload(message).sent_at is not None


def test_try_again_on_a_sent_message_changes_nothing(client, admin) -> None:  # noqa: ANN001
    sent_at = utcnow() - timedelta(hours=1)
    message = _message(sent_at=sent_at, attempts=1)
    response = client.post(f"/account/outbox/{message.id}/retry", follow_redirects=True)
    assert "already sent" in response.get_data(as_text=True)
    assert factories.reload(message).attempts == 1


def test_try_again_with_an_unknown_id_is_404(client, admin) -> None:  # noqa: ANN001
    assert client.post("/account/outbox/no-such-message/retry").status_code == 404


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_only_admins_use_the_outbox(client, login, role) -> None:  # noqa: ANN001
    message = _message(failed=True, attempts=6, last_error="boom")
    login(factories.make_user(role))
    assert client.get("/account/outbox").status_code == 403
    assert client.post(f"/account/outbox/{message.id}/retry").status_code == 403
    assert factories.reload(message).failed is True


# --- audit trail by day -----------------------------------------------------------------------


def test_filters_by_network_local_days_and_keeps_the_filter_across_pages(
    client, login, time_machine
) -> None:  # noqa: ANN001
    """Hartford days: 03:30 UTC on March 10 is still March 9 there (23:30 EDT)."""
    time_machine.move_to("2026-03-12T15:00:00Z")
    login(factories.make_user(Role.ADMIN))
    actor = factories.make_user(Role.COUNSELOR, email="dora@dpt.example")
    moments = {
        "late on the 8th": datetime(2026, 3, 9, 3, 30, tzinfo=UTC),  # Mar 8, 23:30 EDT
        "evening of the 9th": datetime(2026, 3, 10, 3, 30, tzinfo=UTC),  # Mar 9, 23:30 EDT
        "morning of the 10th": datetime(2026, 3, 10, 14, 0, tzinfo=UTC),
    }
    for label, at in moments.items():
        record("client.view", actor, actor, details={"when": label}, at=at)
    db.session.commit()

    rows = _rows(_audit(client, since="2026-03-09", until="2026-03-09"))
    assert len(rows) == 1 and "evening of the 9th" in rows[0]
    rows = _rows(_audit(client, since="2026-03-09"))
    assert [("evening of the 9th" in r, "morning of the 10th" in r) for r in rows] == [
        (False, True),
        (True, False),
    ]
    rows = _rows(_audit(client, until="2026-03-08"))
    assert len(rows) == 1 and "late on the 8th" in rows[0]
    # Combined with actor and action, and the pager keeps every filter.
    morning = moments["morning of the 10th"]
    for i in range(30):
        record("client.view", actor, actor, at=morning + timedelta(seconds=i))
    db.session.commit()
    day = "2026-03-10"
    html = _audit(client, since=day, until=day, actor="dora", action="client.view")
    assert len(_rows(html)) == 25 and "31 entries" in html
    next_link = re.search(r'<a rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    for part in ("since=2026-03-10", "until=2026-03-10", "actor=dora", "action=client.view"):
        assert part in next_link
    assert len(_rows(client.get(next_link).get_data(as_text=True))) == 6


def test_reversed_or_impossible_days_are_named_at_the_field(client, admin, trail) -> None:  # noqa: ANN001
    html = _audit(client, 422, since="2026-03-10", until="2026-03-01")
    assert "The last day cannot be before the first." in html and _rows(html) == []
    html = _audit(client, 422, until="9999-12-31")
    assert "Enter a date no later than" in html
    html = _audit(client, 422, since="yesterday")
    assert "Not a valid date value" in html


# --- one message in full ----------------------------------------------------------------------


def test_a_message_page_shows_everything_about_it(client, admin) -> None:  # noqa: ANN001
    sent_at = utcnow() - timedelta(hours=2)
    message = _message(
        subject="Delivered in the end",
        body="Hello,\nYou have a new referral.\nOpen Partners to answer it.",
        attempts=3,
        last_error="SMTPServerDisconnected: gone",
        sent_at=sent_at,
    )
    listing = client.get("/account/outbox?state=sent").get_data(as_text=True)
    assert f'href="/account/outbox/{message.id}">Delivered in the end</a>' in listing
    html = client.get(f"/account/outbox/{message.id}").get_data(as_text=True)
    assert "<h1>Delivered in the end</h1>" in html
    assert "<dt>To</dt><dd>intake@provider.example</dd>" in html
    assert "You have a new referral.\nOpen Partners to answer it." in html
    assert "<dt>Attempts</dt><dd>3</dd>" in html
    assert "SMTPServerDisconnected: gone" in html
    assert "Sent</span>" in html and format_moment(sent_at) in html
    assert "Try again" not in html.split("<main", 1)[1]  # sent already


def test_a_message_page_hides_one_time_sign_in_links(app, client, admin) -> None:  # noqa: ANN001
    from app.accounts.services import queue_password_email

    user = factories.make_user(Role.PROVIDER, email="reset.me@example.org")
    with app.test_request_context():
        queue_password_email(user)
    db.session.commit()
    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == "reset.me@example.org")
    ).one()
    token = re.search(r"/account/reset/(\S+)", message.body).group(1)
    html = client.get(f"/account/outbox/{message.id}").get_data(as_text=True)
    assert token not in html
    assert "/account/reset/… (one-time link hidden)" in html
    assert "Try again" in html  # not sent yet


def test_an_unknown_message_is_404(client, admin) -> None:  # noqa: ANN001
    assert client.get("/account/outbox/no-such-message").status_code == 404


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_only_admins_read_a_message(client, login, role) -> None:  # noqa: ANN001
    message = _message()
    login(factories.make_user(role))
    assert client.get(f"/account/outbox/{message.id}").status_code == 403
