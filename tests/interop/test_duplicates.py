"""Duplicates across sources: a second source listing the same organization and service flags
them (nothing doubles silently); a merge keeps the richer fields, moves referrals and locations,
and re-importing either source afterwards creates nothing; "keep apart" is remembered."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.directory.models import Location, Organization, Phone, Service
from app.extensions import db
from app.interop.csv_import import import_path
from app.interop.models import DuplicateCandidate, DuplicateStatus, SourceRecord
from app.referrals.models import Referral
from tests import factories
from tests.interop.hsds_helpers import index_dir  # noqa: F401
from tests.interop.sources import (
    LOC_B,
    ORG_A,
    ORG_B,
    SVC_A,
    SVC_B,
    source_a,
    source_b,
    write_package,
)


def count(model) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count()).select_from(model))


def candidates(status: DuplicateStatus | None = None) -> list[DuplicateCandidate]:
    db.session.expire_all()
    query = select(DuplicateCandidate).order_by(DuplicateCandidate.kind)
    if status is not None:
        query = query.where(DuplicateCandidate.status == status)
    return list(db.session.scalars(query))


@pytest.fixture
def packages(tmp_path: Path) -> tuple[Path, Path]:
    return (write_package(tmp_path / "county.zip", source_a()),
            write_package(tmp_path / "region-211.zip", source_b()))  # fmt: skip


def run_import(path: Path):  # noqa: ANN201
    report = import_path(path)
    assert report.ok, [str(p) for p in report.errors]
    db.session.commit()
    return report


@pytest.fixture
def admin(app):  # noqa: ANN001,ANN201
    user = factories.make_user(Role.ADMIN)
    db.session.commit()
    return user


def test_a_second_source_flags_the_same_organization_and_service(app, packages) -> None:  # noqa: ANN001
    first = run_import(packages[0])
    assert first.duplicates == 0
    second = run_import(packages[1])
    assert second.duplicates == 2
    assert "2 probable duplicates flagged" in second.summary()
    pairs = {(c.kind, c.first_id, c.second_id, c.reason) for c in candidates()}
    assert pairs == {
        ("organization", ORG_A, ORG_B, "same name and address and phone"),
        ("service", SVC_A, SVC_B, "same name and address and phone"),
    }
    assert all(c.status == DuplicateStatus.OPEN for c in candidates())
    # Flagged, not merged silently: both records are there until someone decides.
    assert count(Organization) == 3 and count(Service) == 3
    # Importing the same sources again flags nothing new.
    assert run_import(packages[1]).duplicates == 0
    assert run_import(packages[0]).duplicates == 0
    assert len(candidates()) == 2


def test_merge_keeps_the_richer_fields_moves_referrals_and_reimports_create_nothing(
    app,
    packages,
    admin,
    login,  # noqa: ANN001
) -> None:
    run_import(packages[0])
    run_import(packages[1])
    counselor = factories.make_user(Role.COUNSELOR, facility=factories.make_facility())
    person = factories.make_client(counselor)
    referral = factories.make_referral(person, db.session.get(Service, SVC_B), counselor)
    client = login(admin)
    for candidate in candidates():  # organization first, then service
        response = client.post(f"/admin/hsds/duplicates/{candidate.id}/merge")
        assert response.status_code == 303
    assert {c.status for c in candidates()} == {DuplicateStatus.MERGED}

    db.session.expire_all()
    assert db.session.get(Organization, ORG_B) is None and db.session.get(Service, SVC_B) is None
    org, service = db.session.get(Organization, ORG_A), db.session.get(Service, SVC_A)
    assert org.name == "Harbor House, Inc."  # the longer of the two names
    assert org.description.startswith("Sober housing for men and women")  # B's, the longer
    assert org.website == "https://harbor.example.org"  # only B had one
    assert service.fees_description == "Free"  # only A had one
    assert service.description == "Twelve beds, 90-day stays, referrals welcome."
    assert db.session.get(Location, LOC_B).organization_id == ORG_A  # moved, not lost
    assert {p.number for p in org.phones} == {"(860) 555-0100", "860-555-0100"}
    moved = db.session.get(Referral, referral.id)
    assert moved.service_id == SVC_A and moved.organization_id == ORG_A  # the referral survives

    rows = (count(Organization), count(Service), count(Location), count(Phone))
    assert rows == (2, 2, 3, 4)
    for path in (*packages, packages[0]):
        report = run_import(path)
        assert report.duplicates == 0
        assert sum(report.created.values()) == 0, report.created
    db.session.expire_all()
    assert (count(Organization), count(Service), count(Location), count(Phone)) == rows
    org, service = db.session.get(Organization, ORG_A), db.session.get(Service, SVC_A)
    # Re-importing the poorer source did not take back what the merge kept.
    assert org.website == "https://harbor.example.org"
    assert org.description.startswith("Sober housing for men and women")
    assert service.fees_description == "Free"
    aliases = {(r.kind, r.source_id): r.record_id for r in db.session.scalars(select(SourceRecord))}
    assert aliases[("organization", ORG_B)] == ORG_A and aliases[("service", SVC_B)] == SVC_A
    assert len(candidates()) == 2  # nothing flagged again


def test_keep_apart_is_remembered(app, packages, admin, login) -> None:  # noqa: ANN001
    run_import(packages[0])
    run_import(packages[1])
    client = login(admin)
    page = client.get("/admin/hsds/duplicates")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # side by side: both ids, both sources, the differing fields
    for text in (ORG_A, ORG_B, "county.zip", "region-211.zip", "https://harbor.example.org"):
        assert text in html
    for candidate in candidates():
        response = client.post(f"/admin/hsds/duplicates/{candidate.id}/keep-apart")
        assert response.status_code == 303
    assert {c.status for c in candidates()} == {DuplicateStatus.KEPT_APART}
    assert "No pairs here." in client.get("/admin/hsds/duplicates").get_data(as_text=True)
    kept = client.get("/admin/hsds/duplicates?status=kept_apart").get_data(as_text=True)
    assert "Kept apart" in kept and ORG_B in kept

    # Both records stay, and neither import flags them again.
    for path in packages:
        assert run_import(path).duplicates == 0
    assert count(Organization) == 3 and len(candidates(DuplicateStatus.OPEN)) == 0
    # A decided pair cannot be decided again.
    again = client.post(f"/admin/hsds/duplicates/{candidates()[0].id}/merge")
    assert again.status_code == 303
    assert "already kept apart" in client.get("/admin/hsds/duplicates").get_data(as_text=True)
    assert db.session.get(Organization, ORG_B) is not None


def test_only_administrators_review_duplicates(app, packages, login) -> None:  # noqa: ANN001
    run_import(packages[0])
    run_import(packages[1])
    counselor = factories.make_user(Role.COUNSELOR, facility=factories.make_facility())
    db.session.commit()
    client = login(counselor)
    assert client.get("/admin/hsds/duplicates").status_code == 403
    candidate = candidates()[0]
    assert client.post(f"/admin/hsds/duplicates/{candidate.id}/merge").status_code == 403
    assert candidates()[0].status == DuplicateStatus.OPEN


def test_search_follows_a_merge(app, packages, admin, login, index_dir) -> None:  # noqa: ANN001,F811
    """On either backend (Whoosh: the index updated after the commit; PostgreSQL: the search
    rows written in the merge's own transaction) the merged-away copy is found no more."""
    from app.search import SearchRequest, search
    from app.search.cli import rebuild_now
    from app.search.index import open_index
    from app.search.sync import backend_name

    run_import(packages[0])
    run_import(packages[1])
    db.session.commit()
    rebuild_now()  # as `flask hsds import` and the upload page do after an import
    whoosh = backend_name(app) == "whoosh"

    def found() -> set[str]:
        return {r.service_id for r in search(SearchRequest(text="sober living")).results}

    assert {SVC_A, SVC_B} <= found()
    client = login(admin)
    service_pair = next(c for c in candidates() if c.kind == "service")
    assert client.post(f"/admin/hsds/duplicates/{service_pair.id}/merge").status_code == 303
    assert SVC_A in found() and SVC_B not in found()
    if whoosh:
        with open_index().searcher() as searcher:
            assert searcher.document(id=SVC_B) is None  # the merged-away copy is gone
            assert searcher.document(id=SVC_A) is not None


def test_the_command_line_import_says_how_many_it_flagged(app, packages, index_dir) -> None:  # noqa: ANN001,F811
    from app.search import SearchRequest, search

    runner = app.test_cli_runner()
    first = runner.invoke(args=["hsds", "import", str(packages[0])])
    assert first.exit_code == 0 and "flagged" not in first.output
    assert "Indexed 1 service in" in first.output  # and what it imported is found at once
    assert [r.service_id for r in search(SearchRequest(text="sober living")).results] == [SVC_A]
    second = runner.invoke(args=["hsds", "import", str(packages[1])])
    assert second.exit_code == 0, second.output
    assert "2 probable duplicates flagged." in second.output
