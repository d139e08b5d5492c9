"""Deciding many probable duplicates in one POST: all selected pairs merged or kept apart, all or
nothing (one pair that cannot be decided leaves everything as it was and the page names it),
each pair audited like a single merge, and chained pairs (A~B, B~C) become one record."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from app.audit.models import AuditEntry
from app.directory.models import Organization, Service
from app.extensions import db
from app.interop.csv_import import import_path
from app.interop.models import DuplicateCandidate, DuplicateStatus
from tests.interop.sources import ORG_A, ORG_B, SVC_A, SVC_B, source_a, source_b, write_package
from tests.interop.test_duplicates import admin  # noqa: F401
from tests.interop.test_duplicates_within import ORG, SVC, listed_twice


def load(tmp_path: Path, *sources) -> None:  # noqa: ANN002
    for name, tables in sources:
        report = import_path(write_package(tmp_path / name, tables))
        assert report.ok, [str(p) for p in report.errors]
        db.session.commit()


def by_status(status: DuplicateStatus) -> list[DuplicateCandidate]:
    db.session.expire_all()
    query = select(DuplicateCandidate).where(DuplicateCandidate.status == status)
    return list(db.session.scalars(query))


def count(model) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count()).select_from(model))


def test_merge_selected_pairs_in_one_post(app, tmp_path, admin, login) -> None:  # noqa: ANN001,F811
    load(tmp_path, ("county.zip", source_a()), ("region-211.zip", source_b()))
    chosen = [c.id for c in by_status(DuplicateStatus.OPEN)]
    assert len(chosen) == 2
    client = login(admin)
    page = client.get("/admin/hsds/duplicates").get_data(as_text=True)
    assert 'id="bulk"' in page and 'form="bulk"' in page  # checkboxes work without script
    response = client.post(
        "/admin/hsds/duplicates/decide", data={"pair": chosen, "action": "merge"}
    )
    assert response.status_code == 303
    assert "Merged: 2 pairs." in client.get(response.location).get_data(as_text=True)
    assert {c.id for c in by_status(DuplicateStatus.MERGED)} == set(chosen)
    assert db.session.get(Organization, ORG_B) is None and db.session.get(Service, SVC_B) is None
    assert db.session.get(Organization, ORG_A).website == "https://harbor.example.org"
    # Audited like one click each: who, which pair, what was kept, and the batch size.
    entries = list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "duplicate.merge")))  # fmt: skip
    assert {e.object_id for e in entries} == set(chosen)
    assert {e.actor_id for e in entries} == {admin.id}
    assert {e.details["kept_id"] for e in entries} == {ORG_A, SVC_A}
    assert {e.details["batch"] for e in entries} == {2}


def test_keep_selected_apart(app, tmp_path, admin, login) -> None:  # noqa: ANN001,F811
    load(tmp_path, ("county.zip", source_a()), ("region-211.zip", source_b()))
    chosen = [c.id for c in by_status(DuplicateStatus.OPEN)]
    response = login(admin).post("/admin/hsds/duplicates/decide",
                                 data={"pair": chosen, "action": "keep_apart"})  # fmt: skip
    assert response.status_code == 303
    assert {c.id for c in by_status(DuplicateStatus.KEPT_APART)} == set(chosen)
    assert count(Organization) == 3
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions.count("duplicate.keep_apart") == 2


def test_one_pair_that_cannot_be_decided_changes_nothing(app, tmp_path, admin, login) -> None:  # noqa: ANN001,F811
    load(tmp_path, ("county.zip", source_a()), ("region-211.zip", source_b()))
    org_pair, svc_pair = sorted(by_status(DuplicateStatus.OPEN), key=lambda c: c.kind)
    # The service pair's second record went away after the page was shown (and it is decided
    # last, so the organization merge has already run when it fails).
    db.session.execute(update(DuplicateCandidate).where(DuplicateCandidate.id == svc_pair.id)
                       .values(second_id="99999999-0000-4000-8000-000000000000",
                               created_at=org_pair.created_at + timedelta(seconds=1)))  # fmt: skip
    db.session.commit()
    client = login(admin)
    response = client.post(
        "/admin/hsds/duplicates/decide",
        data={"pair": [org_pair.id, svc_pair.id], "action": "merge"},
    )
    assert response.status_code == 303
    html = client.get(response.location).get_data(as_text=True)
    assert "The service “Sober Living Beds” pair could not be decided" in html
    assert "no longer in the directory" in html and "Nothing was changed." in html
    # The organization merge that ran first was rolled back with it.
    assert len(by_status(DuplicateStatus.OPEN)) == 2
    assert db.session.get(Organization, ORG_B) is not None and count(Organization) == 3
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0

    # A pair decided meanwhile (another tab): named, and nothing of the batch happens.
    client.post(f"/admin/hsds/duplicates/{org_pair.id}/keep-apart")
    db.session.execute(update(DuplicateCandidate).where(DuplicateCandidate.id == svc_pair.id)
                       .values(second_id=SVC_B))  # fmt: skip
    db.session.commit()
    response = client.post(
        "/admin/hsds/duplicates/decide",
        data={"pair": [org_pair.id, svc_pair.id], "action": "merge"},
    )
    html = client.get(response.location).get_data(as_text=True)
    assert "pair was already kept apart; nothing was changed." in html
    assert [c.id for c in by_status(DuplicateStatus.OPEN)] == [svc_pair.id]


def test_nothing_selected_or_an_unknown_action_is_a_message(app, tmp_path, admin, login) -> None:  # noqa: ANN001,F811
    load(tmp_path, ("county.zip", source_a()), ("region-211.zip", source_b()))
    client = login(admin)
    response = client.post("/admin/hsds/duplicates/decide", data={"action": "merge"})
    assert "Select at least one pair first." in client.get(response.location).get_data(True)
    chosen = [c.id for c in by_status(DuplicateStatus.OPEN)]
    response = client.post("/admin/hsds/duplicates/decide", data={"pair": chosen,
                                                                  "action": "delete"})  # fmt: skip
    assert "Choose Merge or Keep apart" in client.get(response.location).get_data(True)
    response = client.post(
        "/admin/hsds/duplicates/decide", data={"pair": ["not-a-pair"], "action": "merge"}
    )
    assert "no longer listed" in client.get(response.location).get_data(True)
    too_many = [f"{n:036d}" for n in range(101)]
    response = client.post("/admin/hsds/duplicates/decide",
                           data={"pair": too_many, "action": "merge"})  # fmt: skip
    assert "Select at most 100 pairs at a time." in client.get(response.location).get_data(True)
    assert len(by_status(DuplicateStatus.OPEN)) == 2


def test_chained_pairs_become_one_record(app, tmp_path, admin, login) -> None:  # noqa: ANN001,F811
    """Copies 1~2 share an address, 2~3 a phone: merging both pairs at once keeps copy 1 with
    everything of 2 and 3."""
    load(tmp_path, ("region-211.zip", listed_twice()))
    orgs = [c for c in by_status(DuplicateStatus.OPEN) if c.kind == "organization"]
    assert {(c.first_id, c.second_id) for c in orgs} == {(ORG[0], ORG[1]), (ORG[1], ORG[2])}
    response = login(admin).post(
        "/admin/hsds/duplicates/decide", data={"pair": [c.id for c in orgs], "action": "merge"}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Organization, ORG[1]) is None
    assert db.session.get(Organization, ORG[2]) is None
    kept = db.session.get(Organization, ORG[0])
    assert {s.id for s in kept.services} == {SVC[0], SVC[1], SVC[2]}
    assert db.session.get(Organization, ORG[3]) is not None  # never flagged, untouched
    assert {c.kept_id for c in by_status(DuplicateStatus.MERGED)} == {ORG[0]}


def test_a_pair_the_chain_settled_is_counted(app, tmp_path, admin, login) -> None:  # noqa: ANN001,F811
    """A~B, A~C and B~C all selected: after two merges B~C names one record."""
    load(tmp_path, ("county.zip", source_a()), ("region-211.zip", source_b()))
    load(tmp_path, ("third.zip", _third_copy()))  # pairs with both A and B
    org_pairs = [c for c in by_status(DuplicateStatus.OPEN) if c.kind == "organization"]
    assert len(org_pairs) == 3
    client = login(admin)
    response = client.post(
        "/admin/hsds/duplicates/decide", data={"pair": [c.id for c in org_pairs], "action": "merge"}
    )
    html = client.get(response.location).get_data(as_text=True)
    assert "Merged: 2 pairs. 1 more pair was already one record after those merges." in html
    assert count(Organization) == 2  # Harbor House once, and the food pantry


def _third_copy() -> dict[str, list[list[str]]]:
    tables = source_a()
    swap = {"aaaaaaaa": "abababab", "bbbbbbbb": "babababa", "cccccccc": "cacacaca",
            "dddddddd": "dadadada", "eeeeeeee": "eaeaeaea", "ffffffff": "fafafafa"}  # fmt: skip
    return {name: [[_swap(v, swap) for v in row] for row in rows] for name, rows in tables.items()}


def _swap(value: str, swap: dict[str, str]) -> str:
    for old, new in swap.items():
        value = value.replace(old, new)
    return value


def test_the_bulk_form_carries_its_csrf_token(app, tmp_path, admin, login) -> None:  # noqa: ANN001,F811
    """As a browser without script would: the token from the page's own form, the ticked boxes."""
    load(tmp_path, ("county.zip", source_a()), ("region-211.zip", source_b()))
    client = login(admin)
    chosen = [c.id for c in by_status(DuplicateStatus.OPEN)]
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = client.post("/admin/hsds/duplicates/decide",
                              data={"pair": chosen, "action": "merge"})  # fmt: skip
        assert refused.status_code == 400
        assert len(by_status(DuplicateStatus.OPEN)) == 2
        page = client.get("/admin/hsds/duplicates").get_data(as_text=True)
        form = page[page.index('id="bulk"') :]
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
        boxes = re.findall(r'name="pair" value="([^"]+)" form="bulk"', page)
        assert sorted(boxes) == sorted(chosen)
        data = {"pair": boxes, "action": "keep_apart", "csrf_token": token}
        response = client.post("/admin/hsds/duplicates/decide", data=data)
        assert response.status_code == 303
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert len(by_status(DuplicateStatus.KEPT_APART)) == 2
