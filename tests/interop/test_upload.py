"""The admin upload page: a real upload through the test client, the import as a real job (a
thread of this process without Redis, an RQ worker with it), the progress page that refreshes
itself until the run ends, the grouped report, and bad files refused at the field."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.common import utcnow
from app.directory.models import Organization, Service
from app.extensions import db
from app.interop.models import ImportRun, RunStatus
from app.jobs.hooks import THREADS
from tests import factories
from tests.interop.sources import SVC_A, package_bytes, source_a, source_b
from tests.jobs.conftest import job_queue, redis_url, run_worker_burst  # noqa: F401

FIXTURES = Path(__file__).parent / "fixtures"
REFRESH = '<meta http-equiv="refresh"'


@pytest.fixture
def admin_client(app, login):  # noqa: ANN001,ANN201
    user = factories.make_user(Role.ADMIN, name="Ada Admin")
    db.session.commit()
    return login(user)


def upload(client, name: str, data: bytes):  # noqa: ANN001,ANN201
    return client.post("/admin/hsds/imports", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")  # fmt: skip


def finish_jobs(app) -> None:  # noqa: ANN001
    """Join the import's thread and the threads it started (the search rebuild after it)."""
    while alive := [t for t in app.extensions.get(THREADS, []) if t.is_alive()]:
        for thread in alive:
            thread.join(timeout=120)
            assert not thread.is_alive()


def runs() -> list[ImportRun]:
    db.session.expire_all()
    return list(db.session.scalars(select(ImportRun).order_by(ImportRun.created_at)))


def count(model) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count()).select_from(model))


def test_an_upload_runs_in_the_background_and_reports_by_kind(app, admin_client) -> None:  # noqa: ANN001
    response = upload(admin_client, "county.zip", package_bytes(source_a()))
    assert response.status_code == 303
    finish_jobs(app)
    (run,) = runs()
    assert response.headers["Location"].endswith(f"/admin/hsds/imports/{run.id}")
    assert run.status == RunStatus.DONE and run.data is None
    assert run.uploaded_by.name == "Ada Admin" and run.file_name == "county.zip"
    assert db.session.get(Service, SVC_A).name == "Sober Living Beds"
    # Whoosh: the index was rebuilt after the import (no search asked for it); PostgreSQL: the
    # import wrote the search rows in its own transaction. Either way the service is found.
    from app.search.index import usable_now
    from app.search.sync import backend_name

    if backend_name(app) == "whoosh":
        assert usable_now(Path(app.config["SEARCH_INDEX_DIR"]))
    found = admin_client.get("/staff/search?q=Sober+Living+Beds").get_data(as_text=True)
    assert "Sober Living Beds" in found and "Nothing matches all of this" not in found
    page = admin_client.get(f"/admin/hsds/imports/{run.id}").get_data(as_text=True)
    assert REFRESH not in page  # done: the page stops refreshing
    assert "Done" in page and "Imported." in page and "Counts" in page
    listing = admin_client.get("/admin/hsds/imports").get_data(as_text=True)
    assert "county.zip" in listing and "Ada Admin" in listing

    # The second source: its report counts the probable duplicates it flagged.
    upload(admin_client, "region-211.zip", package_bytes(source_b()))
    finish_jobs(app)
    second = runs()[-1]
    assert second.report["duplicates"] == 2
    page = admin_client.get(f"/admin/hsds/imports/{second.id}").get_data(as_text=True)
    assert "2 probable duplicates flagged" in page


def test_a_running_import_page_refreshes_itself_and_shows_phase_and_counts(
    app,
    admin_client,  # noqa: ANN001
) -> None:
    progress = {"tables": {"service": 1200}}
    run = ImportRun(file_name="big.zip", size=10, status=RunStatus.RUNNING,
                    phase="imported service", progress=progress, report={})  # fmt: skip
    db.session.add(run)
    db.session.commit()
    page = admin_client.get(f"/admin/hsds/imports/{run.id}").get_data(as_text=True)
    assert REFRESH in page and "imported service" in page and "service: 1200" in page


def test_an_hsds_11_upload_is_converted_with_what_was_dropped(app, admin_client) -> None:  # noqa: ANN001
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path in sorted((FIXTURES / "hsds11").iterdir()):
            archive.write(path, path.name)
    upload(admin_client, "old-211.zip", out.getvalue())
    finish_jobs(app)
    (run,) = runs()
    assert run.status == RunStatus.DONE and run.version == "1.1"
    page = admin_client.get(f"/admin/hsds/imports/{run.id}").get_data(as_text=True)
    assert "Read as</dt><dd>HSDS 1.1" in page and "Converted from HSDS 1.1" in page
    assert "regular_schedules.csv" in page and "Dropped, with the reason" in page
    assert count(Service) > 0


def test_an_import_with_errors_commits_nothing_and_names_row_and_column(
    app,
    admin_client,  # noqa: ANN001
) -> None:
    tables = source_b()
    tables["services.csv"][1][2] = ""  # the second service has no name (row 3 with the header)
    upload(admin_client, "broken.zip", package_bytes(tables))
    finish_jobs(app)
    (run,) = runs()
    assert run.status == RunStatus.FAILED
    assert run.report["errors"][0] == {"file": "services.csv", "row": 3, "column": "name",
                                       "message": "a value is required"}  # fmt: skip
    assert count(Organization) == 0 and count(Service) == 0
    page = admin_client.get(f"/admin/hsds/imports/{run.id}").get_data(as_text=True)
    assert "Nothing imported" in page and "services.csv" in page and REFRESH not in page


def test_a_zip_of_csv_not_in_utf8_fails_with_a_message_not_a_500(app, admin_client) -> None:  # noqa: ANN001
    tables = source_a()
    tables["organizations.csv"][0][1] = "Casa Esperanza – Hogar"
    upload(admin_client, "latin.zip", package_bytes(tables, encoding="utf-16"))
    finish_jobs(app)
    (run,) = runs()
    assert run.status == RunStatus.FAILED and run.report["error_count"] >= 1
    assert admin_client.get(f"/admin/hsds/imports/{run.id}").status_code == 200


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.txt", b"hello", "Choose a datapackage (.zip) or an HSDS JSON file (.json)."),
        ("empty.zip", b"", "The file is empty."),
        ("fake.zip", b"this is not a zip", "The file is not a zip archive."),
        ("latin.json", '{"name": "Café"}'.encode("latin-1"), "The file is not UTF-8 text"),
    ],
)
def test_bad_files_are_refused_at_the_field(app, admin_client, name, data, message) -> None:  # noqa: ANN001
    response = upload(admin_client, name, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert runs() == []


def test_a_file_over_the_limit_is_refused(app, admin_client) -> None:  # noqa: ANN001
    app.config["HSDS_UPLOAD_MAX_BYTES"] = 1024
    try:
        response = upload(admin_client, "big.json", b"[" + b" " * 2048 + b"]")
    finally:
        app.config.pop("HSDS_UPLOAD_MAX_BYTES")
    assert response.status_code == 422
    assert "larger than" in response.get_data(as_text=True)
    assert runs() == []


def test_only_administrators_upload(app, login) -> None:  # noqa: ANN001
    counselor = factories.make_user(Role.COUNSELOR, facility=factories.make_facility())
    db.session.commit()
    client = login(counselor)
    assert client.get("/admin/hsds/imports").status_code == 403
    assert upload(client, "county.zip", package_bytes(source_a())).status_code == 403
    assert runs() == []


def test_with_redis_the_import_runs_on_the_queue(app, admin_client, job_queue) -> None:  # noqa: ANN001,F811
    response = upload(admin_client, "county.zip", package_bytes(source_a()))
    assert response.status_code == 303
    assert app.extensions.get(THREADS, []) == [] or not any(
        t.is_alive() for t in app.extensions[THREADS]
    )
    (run,) = runs()
    assert run.status == RunStatus.QUEUED
    page = admin_client.get(f"/admin/hsds/imports/{run.id}").get_data(as_text=True)
    assert REFRESH in page and "Waiting to start" in page
    run_worker_burst(job_queue)
    (run,) = runs()
    assert run.status == RunStatus.DONE
    assert db.session.get(Service, SVC_A) is not None


def test_a_stalled_run_stops_refreshing_and_the_job_starts_it_again(
    app,
    admin_client,
    time_machine,  # noqa: ANN001
) -> None:
    from app.jobs.tasks import execute

    run = ImportRun(file_name="county.zip", size=1, status=RunStatus.RUNNING, phase="reading",
                    data=package_bytes(source_a()), progress={}, report={})  # fmt: skip
    run.started_at = utcnow()
    db.session.add(run)
    db.session.commit()
    assert execute("hsds_import") == "nothing to do: no import waiting"  # alive: left alone
    time_machine.move_to(utcnow() + timedelta(hours=3))  # its worker died long ago
    page = admin_client.get(f"/admin/hsds/imports/{run.id}").get_data(as_text=True)
    assert REFRESH not in page and "stopped without finishing" in page
    assert execute("hsds_import").startswith("done: Imported.")
    assert runs()[0].status == RunStatus.DONE and count(Service) == 1


def test_an_hsds_json_file_is_imported_as_what_it_is(app, admin_client) -> None:  # noqa: ANN001
    data = (FIXTURES / "hsds_json" / "organization_full.json").read_bytes()
    upload(admin_client, "organization_full.json", data)
    finish_jobs(app)
    (run,) = runs()
    assert run.status == RunStatus.DONE, run.report
    assert count(Organization) == 1
    assert "organization" in {c["table"] for c in run.report["counts"]}


def test_the_upload_page_takes_files_larger_than_other_forms(app, admin_client) -> None:  # noqa: ANN001
    saved = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 100 * 1024  # every other form (kept small: no spooling)
    try:
        response = upload(admin_client, "big.zip", b"x" * 300 * 1024)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = saved
    assert response.status_code == 422  # read and checked, not refused unread (413)
    assert "The file is not a zip archive." in response.get_data(as_text=True)
