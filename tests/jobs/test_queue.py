"""With a queue (REDIS_URL): mail committed in a request becomes a send job for the worker, the
web process never builds the search index, and a Redis that is down loses nothing."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rq.job import Job
from sqlalchemy import select

from app.extensions import db
from app.jobs import runner
from app.notify.models import OutboxMessage
from app.notify.services import queue_email
from app.search import rebuild
from app.search.index import index_exists
from app.search.sync import EXTENSION
from tests import factories
from tests.jobs.conftest import run_worker_burst
from tests.smtp import free_port


def _jobs(queue) -> list[Job]:  # noqa: ANN001
    return [job for job in queue.get_jobs()]


def test_a_commit_that_queues_mail_asks_for_a_send_job(app, job_queue) -> None:  # noqa: ANN001
    first = queue_email("a@example.org", "Hello", "Open Partners to read it.", "test")
    second = queue_email("b@example.org", "Hello", "Open Partners to read it.", "test")
    assert _jobs(job_queue) == []  # not before the commit: the worker would find no row
    db.session.commit()
    [job] = _jobs(job_queue)
    assert job.func_name == runner.ENTRY_POINT
    assert job.args == ("outbox",)
    assert sorted(job.kwargs["ids"]) == sorted([first.id, second.id])

    queue_email("c@example.org", "Hello", "Never committed.", "test")
    db.session.rollback()
    assert len(_jobs(job_queue)) == 1  # a rollback asks for nothing


def test_the_worker_sends_what_a_request_queued_and_the_web_process_does_not(
    app,
    client,
    job_queue,
    smtp,  # noqa: ANN001
) -> None:
    user = factories.make_user(email="forgot@example.org")
    response = client.post("/account/forgot", data={"email": user.email}, follow_redirects=True)
    assert response.status_code == 200  # the response is closed: an after-response send ran
    assert smtp.messages == []
    assert len(_jobs(job_queue)) == 1
    run_worker_burst(job_queue)
    assert [m["To"] for m in smtp.messages] == ["forgot@example.org"]
    run_worker_burst(job_queue)
    assert len(smtp.messages) == 1


def test_without_redis_url_nothing_is_queued_and_mail_goes_after_the_response(
    app,
    client,
    smtp,  # noqa: ANN001
) -> None:
    assert not runner.enabled(app)
    assert runner.enqueue(app, "outbox") is False
    user = factories.make_user(email="forgot@example.org")
    client.post("/account/forgot", data={"email": user.email}, follow_redirects=True)
    assert [m["To"] for m in smtp.messages] == ["forgot@example.org"]


def test_redis_down_the_commit_stands_and_the_mail_waits(app, caplog) -> None:  # noqa: ANN001
    saved = app.config["REDIS_URL"]
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    app.extensions.pop(runner.EXTENSION, None)
    try:
        started = time.monotonic()
        queue_email("a@example.org", "Hello", "Open Partners to read it.", "test")
        db.session.commit()
        assert time.monotonic() - started < 3
    finally:
        app.config["REDIS_URL"] = saved
        app.extensions.pop(runner.EXTENSION, None)
    assert "could not queue outbox" in caplog.text
    assert "a@example.org" not in caplog.text
    db.session.expire_all()
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.sent_at is None and message.claimed_until is None  # waits for the next run


@pytest.mark.usefixtures("whoosh_search")  # the Whoosh machinery itself
def test_a_search_with_no_index_asks_the_worker_and_answers_from_the_database(
    app,
    client,
    job_queue,  # noqa: ANN001
) -> None:
    org = factories.make_organization()
    factories.make_service(org, name="Harbor Shelter Beds")
    db.session.commit()
    path = Path(app.config["SEARCH_INDEX_DIR"])
    assert not index_exists(path)
    state = app.extensions[EXTENSION]
    saved, state["mode"] = state["mode"], "background"  # as in the web app
    try:
        for _ in range(2):
            response = client.get("/search", query_string={"q": "shelter"})
            page = response.get_data(as_text=True)
            assert response.status_code == 200
            assert "Search is being rebuilt" in page and "Harbor Shelter Beds" in page
        assert rebuild.running(path) is None  # no rebuild thread in the web process
        assert not index_exists(path)
        [job] = _jobs(job_queue)  # one rebuild job, however many searches asked
        assert job.id == rebuild.REBUILD_JOB_ID and job.args == ("search_rebuild",)
        assert job.kwargs == {"only_if_missing": True}
    finally:
        state["mode"] = saved
    run_worker_burst(job_queue)
    assert index_exists(path)
    response = client.get("/search", query_string={"q": "shelter"})
    page = response.get_data(as_text=True)
    assert "Harbor Shelter Beds" in page and "Search is being rebuilt" not in page
    # The job id is free again, so a later loss of the index can ask for another rebuild.
    assert runner.enqueue(
        app, "search_rebuild", kwargs={"only_if_missing": True}, job_id=rebuild.REBUILD_JOB_ID
    )
    assert len(_jobs(job_queue)) == 1


@pytest.mark.usefixtures("whoosh_search")  # the Whoosh machinery itself
def test_index_updates_from_a_web_process_go_to_the_worker(app, job_queue) -> None:  # noqa: ANN001
    from app.search import queue as wqueue
    from app.search.index import rebuild_index

    path = Path(app.config["SEARCH_INDEX_DIR"])
    rebuild_index(path)
    state = app.extensions[EXTENSION]
    saved, state["mode"] = state["mode"], "background"
    try:
        org = factories.make_organization()
        factories.make_service(org, name="Lighthouse Pantry")  # commits: after-commit submit
    finally:
        state["mode"] = saved
    assert wqueue.pending(path)  # waiting on disk for the worker
    assert any(job.args == ("search_queue",) for job in _jobs(job_queue))
    run_worker_burst(job_queue)
    assert not wqueue.pending(path)
