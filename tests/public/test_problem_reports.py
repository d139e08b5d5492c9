"""Report a problem with a listing: honeypot, rate limit, and the admins' queue."""

from __future__ import annotations

from app.accounts.models import Role
from app.extensions import db
from app.notify.models import Notification, OutboxMessage
from app.public.models import ProblemReport
from tests import factories
from tests.public.helpers import public_service


def test_a_report_reaches_the_queue(app, client):  # noqa: ANN001
    service = public_service("Hope House")
    page = client.get(f"/services/{service.id}/report").get_data(as_text=True)
    assert "What is wrong?" in page and 'name="website"' in page
    response = client.post(
        f"/services/{service.id}/report",
        data={"kind": "wrong_phone", "description": "The number rings a fax machine."},
    )
    assert response.status_code == 302
    report = db.session.query(ProblemReport).one()
    assert (report.kind, report.status) == ("wrong_phone", "open")
    assert report.assigned_organization_id == service.organization_id
    followed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you. We will check this listing." in followed


def test_a_report_without_a_kind_is_sent_back(app, client):  # noqa: ANN001
    service = public_service("Hope House")
    response = client.post(f"/services/{service.id}/report", data={"description": "hm"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choose what is wrong." in html and "\nhm</textarea>" in html
    assert db.session.query(ProblemReport).count() == 0


def test_honeypot_reports_are_thanked_and_dropped(app, client):  # noqa: ANN001
    service = public_service("Hope House")
    response = client.post(
        f"/services/{service.id}/report",
        data={"kind": "closed", "website": "http://spam.example"},
    )
    assert response.status_code == 302
    assert db.session.query(ProblemReport).count() == 0


def test_reports_are_rate_limited(app, client):  # noqa: ANN001
    service = public_service("Hope House")
    url = f"/services/{service.id}/report"
    statuses = [client.post(url, data={"kind": "moved"}).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert db.session.query(ProblemReport).count() == 5
    assert client.get(url).status_code == 200  # reading the form is not limited


def test_admins_work_the_queue(app, client, login):  # noqa: ANN001
    service = public_service("Hope House")
    client.post(f"/services/{service.id}/report", data={"kind": "closed"})
    client.post(f"/services/{service.id}/report", data={"kind": "moved"})
    closed, moved = sorted(db.session.query(ProblemReport).all(), key=lambda r: r.kind)
    login(factories.make_user(Role.ADMIN))
    html = client.get("/admin/problem-reports").get_data(as_text=True)
    assert "Closed:" in html and "Moved:" in html
    response = client.post(
        f"/admin/problem-reports/{closed.id}/close", data={"outcome": "resolved", "note": "Fixed"}
    )
    assert response.status_code == 302
    client.post(f"/admin/problem-reports/{moved.id}/close", data={"outcome": "dismissed"})
    assert factories.reload(closed).status == "resolved"
    assert closed.resolution_note == "Fixed" and closed.resolved_at is not None
    assert factories.reload(moved).status == "dismissed"
    html = client.get("/admin/problem-reports").get_data(as_text=True)
    assert "No reports here." in html
    html = client.get("/admin/problem-reports?status=all").get_data(as_text=True)
    assert "Closed:" in html and "Fixed" in html


def test_assigning_tells_the_provider_and_history_is_kept(app, client, login):  # noqa: ANN001
    service = public_service("Hope House")
    service.organization.email = "intake@hope.example.org"
    staff = factories.make_user(Role.PROVIDER, organizations=[service.organization])
    db.session.commit()
    client.post(f"/services/{service.id}/report", data={"kind": "wrong_phone"})
    report = db.session.query(ProblemReport).one()
    admin = factories.make_user(Role.ADMIN, name="Ada Admin")
    login(admin)

    client.post(
        f"/admin/problem-reports/{report.id}/close",
        data={"outcome": "assigned", "note": "Please check"},
    )
    assert factories.reload(report).status == "assigned"
    notice = db.session.query(Notification).filter_by(user_id=staff.id).one()
    assert "Hope House" in notice.text and notice.link.endswith(f"/{service.id}/edit")
    mail = db.session.query(OutboxMessage).filter_by(kind="problem.assigned").all()
    assert {m.recipient for m in mail} == {"intake@hope.example.org", staff.email}

    html = client.get("/admin/problem-reports").get_data(as_text=True)
    assert "Wrong phone number:" in html and "assigned by Ada Admin" in html  # still active
    assigned_again = client.post(
        f"/admin/problem-reports/{report.id}/close", data={"outcome": "assigned"}
    )
    assert assigned_again.status_code == 303  # only an open report can be assigned
    client.post(f"/admin/problem-reports/{report.id}/close", data={"outcome": "resolved"})
    assert [e.action for e in factories.reload(report).events] == ["assigned", "resolved"]
    history = client.get("/admin/problem-reports?status=resolved").get_data(as_text=True)
    assert "Please check" in history and "resolved by Ada Admin" in history


def test_only_admins_see_the_queue(app, client, login):  # noqa: ANN001
    service = public_service("Hope House")
    client.post(f"/services/{service.id}/report", data={"kind": "closed"})
    report = db.session.query(ProblemReport).one()
    assert "/account/login" in client.get("/admin/problem-reports").headers["Location"]
    login(factories.make_user(Role.COUNSELOR, facility=factories.make_facility()))
    assert client.get("/admin/problem-reports").status_code == 403
    close = client.post(f"/admin/problem-reports/{report.id}/close", data={"outcome": "resolved"})
    assert close.status_code == 403
    assert factories.reload(report).status == "open"
