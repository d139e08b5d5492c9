"""Index life: after-commit updates, rollback, the one writer and its queue, `flask search
rebuild`, updates made during a rebuild, two processes writing at once, and a broken index
found while searching."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

from app.accounts.models import Role
from app.common import utcnow
from app.directory.capacity import update_capacity
from app.directory.models import Service
from app.directory.services import ServiceData, update_service, verify_service
from app.extensions import db
from app.search import SearchRequest, search
from app.search import queue as wqueue
from app.search.index import forget, rebuild_index
from tests import factories
from tests.search.conftest import names, service


def _names(**kw) -> list[str]:  # noqa: ANN003
    return names(search(SearchRequest(**kw)))


def _edit(svc: Service, **changes) -> None:  # noqa: ANN003
    data = ServiceData(
        name=changes.get("name", svc.name),
        description=changes.get("description", svc.description),
        location_ids=[sal.location_id for sal in svc.service_at_locations],
    )
    update_service(svc, data)


def test_an_edit_is_searchable_after_commit(index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    pantry = service("Food Pantry")
    rebuild_index()
    assert _names(text="groceries") == []
    _edit(pantry, description="Free groceries every week.")
    db.session.commit()
    assert _names(text="groceries") == ["Food Pantry"]
    assert wqueue.pending(index_dir) == []


def test_a_rollback_leaves_the_index_unchanged(index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    pantry = service("Food Pantry")
    rebuild_index()
    _edit(pantry, description="Free groceries every week.")
    db.session.flush()
    db.session.rollback()
    assert _names(text="groceries") == []
    assert _names(text="pantry") == ["Food Pantry"]
    assert wqueue.pending(index_dir) == []
    # and the next, unrelated commit does not carry the rolled-back ids along
    factories.make_organization(name="Unrelated")
    assert wqueue.pending(index_dir) == []


def test_capacity_organization_and_verification_changes_follow(index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    beds = service("Elm House")
    figure = factories.make_capacity(beds, available=0, age_days=1)
    other = service("Oak House", last_verified_at=utcnow() - timedelta(days=100))
    rebuild_index()
    assert _names(has_capacity=True) == []

    update_capacity(figure, actor=None, expected_version=figure.version, available=2, maximum=10)
    db.session.commit()
    assert _names(has_capacity=True) == ["Elm House"]

    beds.organization.name = "Riverside Recovery Network"
    db.session.commit()
    assert _names(text="riverside") == ["Elm House"]

    # "mark verified" is a bulk UPDATE without ORM objects; it still reaches the index
    admin = factories.make_user(Role.ADMIN)
    verify_service(beds, admin)
    db.session.commit()
    assert _names(sort="verified")[:2] == ["Elm House", "Oak House"]
    assert other.id  # both still there


@pytest.mark.whoosh_only
def test_a_failing_index_never_loses_the_database_write(app, tmp_path: Path, taxonomy) -> None:  # noqa: ANN001
    pantry = service("Food Pantry")
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the index's folder should be")
    old = app.config["SEARCH_INDEX_DIR"]
    app.config["SEARCH_INDEX_DIR"] = str(blocker / "search_index")
    try:
        _edit(pantry, description="Free groceries every week.")
        db.session.commit()  # the index cannot even be queued for: logged, not raised
    finally:
        app.config["SEARCH_INDEX_DIR"] = old
    db.session.expire_all()
    assert db.session.get(Service, pantry.id).description == "Free groceries every week."


@pytest.mark.whoosh_only
def test_flask_search_rebuild(app, index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    service("Food Pantry")
    service("Clothing Closet")
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Indexed 2 services" in result.output
    assert sorted(_names()) == ["Clothing Closet", "Food Pantry"]
    status = app.test_cli_runner().invoke(args=["search", "status"])
    assert "present" in status.output and "queued updates: 0" in status.output


@pytest.mark.whoosh_only
def test_an_update_committed_during_a_rebuild_is_not_lost(app, index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    pantry = service("Food Pantry")
    rebuild_index()
    read_services, go_on = threading.Event(), threading.Event()
    builder = None

    def pause(conn, cursor, statement, *args) -> None:  # noqa: ANN001,ANN002
        # The rebuild has read the services (old text) and is about to read their addresses.
        mine = threading.current_thread() is builder
        if mine and "FROM address" in statement and not read_services.is_set():
            read_services.set()
            go_on.wait(30)

    errors: list[BaseException] = []

    def rebuild_in_thread() -> None:
        try:
            with app.app_context():
                rebuild_index(index_dir)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    event.listen(db.engine, "before_cursor_execute", pause)
    try:
        builder = threading.Thread(target=rebuild_in_thread)
        builder.start()
        assert read_services.wait(30)
        _edit(pantry, description="Free groceries every week.")
        db.session.commit()  # the writer is busy rebuilding: the update waits in the queue
        assert len(wqueue.pending(index_dir)) == 1
        go_on.set()
        builder.join(60)
    finally:
        go_on.set()
        event.remove(db.engine, "before_cursor_execute", pause)
    assert not errors
    forget(index_dir)
    assert _names(text="groceries") == ["Food Pantry"]
    assert wqueue.pending(index_dir) == []


def _edit_in_another_process(settings: dict, service_id: str, text: str, barrier) -> None:  # noqa: ANN001
    from app import create_app
    from config import TestingConfig

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = settings["url"]
        SQLALCHEMY_ENGINE_OPTIONS = settings["engine_options"]
        SEARCH_INDEX_DIR = settings["index_dir"]
        SEARCH_BACKEND = settings["backend"]  # the test's, not this database's default

    app = create_app(Config)
    with app.app_context():
        svc = db.session.get(Service, service_id)
        barrier.wait(60)
        svc.description = text
        db.session.commit()
        db.engine.dispose()


@pytest.mark.whoosh_only
def test_two_processes_update_services_at_the_same_moment(app, index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    first = service("First Place")
    second = service("Second Place")
    rebuild_index()
    settings = {
        "url": app.config["SQLALCHEMY_DATABASE_URI"],
        "engine_options": app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        "index_dir": str(index_dir),
        "backend": app.config["SEARCH_BACKEND"],
    }
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    workers = [
        ctx.Process(target=_edit_in_another_process, args=(settings, sid, text, barrier))
        for sid, text in ((first.id, "Warm winter coats."), (second.id, "Hot breakfast daily."))
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0]
    forget(index_dir)
    assert _names(text="coats") == ["First Place"]
    assert _names(text="breakfast") == ["Second Place"]
    assert wqueue.pending(index_dir) == []


@pytest.mark.whoosh_only
def test_index_files_lost_while_a_reader_is_open(index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    service("Food Pantry")
    assert _names(text="pantry") == ["Food Pantry"]  # this thread now holds an open searcher
    for file in index_dir.resolve().iterdir():
        file.unlink()
    assert _names(text="pantry") == ["Food Pantry"]  # served, then rebuilt: never an error
    service("Second Pantry")  # the after-commit update works on the rebuilt index
    assert sorted(_names(text="pantry")) == ["Food Pantry", "Second Pantry"]


@pytest.mark.whoosh_only
def test_index_files_overwritten_while_a_reader_is_open(index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    service("Food Pantry")
    assert _names(text="pantry") == ["Food Pantry"]
    for file in index_dir.resolve().iterdir():
        if file.suffix == ".toc":
            file.write_bytes(b"\0" * len(file.read_bytes()))  # same size: no truncated mmap
    service("Clothing Closet")  # the writer finds the index unreadable and rebuilds it
    assert sorted(_names()) == ["Clothing Closet", "Food Pantry"]
    assert _names(text="closet") == ["Clothing Closet"]
