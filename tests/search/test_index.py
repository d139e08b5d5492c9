"""Index life: incremental updates, rebuild, recovery from a deleted or corrupt index, and that
nothing but catalog fields ever reaches it."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from app.directory.models import SiteVisit
from app.directory.vocabulary import Rating, SiteVisitOverall
from app.extensions import db
from app.search import SearchRequest, search
from app.search.index import (
    SCHEMA,
    SMALL_SEGMENTS_MAX,
    apply_queue,
    delete_services,
    forget,
    merge_small_segments,
    open_index,
    rebuild_index,
    segment_counts,
    update_services,
)
from tests.search.conftest import names, service

pytestmark = pytest.mark.whoosh_only  # the Whoosh index itself


def wqueue_lock(path: Path):  # noqa: ANN201
    from app.search import queue as wqueue

    return wqueue.writer_lock(path)


def _names(**kw) -> list[str]:  # noqa: ANN003
    return names(search(SearchRequest(**kw)))


def test_first_search_builds_a_missing_index(index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    service("Food Pantry")
    assert not index_dir.exists()
    assert _names(text="pantry") == ["Food Pantry"]
    assert whoosh_index.exists_in(str(index_dir))


def test_update_and_delete_are_incremental(app, index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    pantry = service("Food Pantry")
    rebuild_index()
    assert _names(text="groceries") == []

    sync = app.extensions["partners_search"]
    sync["mode"] = "off"  # queue only: the index is a copy until a writer applies the change
    try:
        pantry.description = "Free groceries every week."
        db.session.commit()
    finally:
        sync["mode"] = "inline"
    assert _names(text="groceries") == []
    update_services([pantry.id])
    assert _names(text="groceries") == ["Food Pantry"]

    delete_services([pantry.id])
    # the database still has it, but the text index no longer finds it
    assert _names(text="groceries") == []


def test_updates_add_small_segments_and_the_writer_merges_them(index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    """An update only adds a segment; after a queue is drained the writer merges small segments
    once there are more than SMALL_SEGMENTS_MAX, and nothing is lost on the way."""
    from app.search import queue as wqueue

    pantries = [service(f"Pantry {n}", description="Groceries.") for n in range(3)]
    rebuild_index()

    def segments() -> int:
        return len(open_index()._segments())

    for n in range(SMALL_SEGMENTS_MAX + 2):
        pantries[n % 3].description = f"Groceries, round {n}."
        db.session.commit()  # (inline sync) queue + apply: one small segment each time...
    # ...and a merge as soon as there were more than SMALL_SEGMENTS_MAX small ones
    assert 1 < segments() <= SMALL_SEGMENTS_MAX + 1

    for n in range(SMALL_SEGMENTS_MAX):
        update_services([pantries[n % 3].id])  # direct writes never merge
    assert segments() > SMALL_SEGMENTS_MAX + 1
    wqueue.enqueue(index_dir, [pantries[0].id])
    with wqueue.writer_lock(index_dir):
        apply_queue()
    assert segments() <= 2
    forget()
    assert sorted(_names(text="groceries")) == ["Pantry 0", "Pantry 1", "Pantry 2"]
    assert _names(text="round") != []


def test_update_of_a_removed_service_deletes_it(index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    pantry = service("Food Pantry")
    rebuild_index()
    pantry_id = pantry.id
    db.session.delete(pantry)
    db.session.commit()
    update_services([pantry_id])
    with open_index().searcher() as searcher:
        assert searcher.document(id=pantry_id) is None


def test_rebuild_after_the_index_directory_was_deleted(index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    service("Food Pantry")
    assert _names(text="pantry") == ["Food Pantry"]
    shutil.rmtree(index_dir.resolve())
    index_dir.unlink()
    service("Clothing Closet")
    assert sorted(_names()) == ["Clothing Closet", "Food Pantry"]
    assert _names(text="closet") == ["Clothing Closet"]


def test_a_corrupt_index_is_detected_and_rebuilt(index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    service("Food Pantry")
    rebuild_index()
    for file in index_dir.resolve().iterdir():
        file.write_bytes(b"not an index at all")
    forget(index_dir)
    assert _names(text="pantry") == ["Food Pantry"]


def test_a_truncated_segment_is_detected_and_rebuilt(index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    service("Food Pantry")
    rebuild_index()
    for file in index_dir.resolve().iterdir():
        if file.suffix == ".seg":
            file.write_bytes(file.read_bytes()[:40])
    forget(index_dir)
    assert _names(text="pantry") == ["Food Pantry"]


def test_rebuild_swaps_in_a_new_directory(index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    service("Food Pantry")
    rebuild_index()
    first = index_dir.resolve()
    assert _names(text="pantry") == ["Food Pantry"]  # a reader is open on the first build
    service("Second Pantry")
    assert rebuild_index() == 2
    assert index_dir.resolve() != first
    assert not first.exists()  # the old build is cleaned up
    assert sorted(_names(text="pantry")) == ["Food Pantry", "Second Pantry"]


def test_only_catalog_fields_reach_the_index(index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    svc = service("Elm Street House", description="Transitional housing.")
    db.session.add(
        SiteVisit(
            service=svc,
            visited_on=date(2024, 1, 5),
            visitor_name="Zebulon Quackenbush",
            safety=Rating.POOR,
            cleanliness=Rating.POOR,
            staff_responsiveness=Rating.POOR,
            house_rules="curfewsecretrule",
            overall=SiteVisitOverall.DO_NOT_REFER,
            notes="Mouldsecretnote in the basement.",
            follow_up_needed=True,
            follow_up_note="Followupsecret call",
        )
    )
    db.session.commit()
    rebuild_index()
    with open_index().searcher() as searcher:
        reader = searcher.reader()
        stored = list(reader.all_stored_fields())
        terms = [text for _field, text in reader.all_terms()]
        facts = [raw.decode("utf-8") for raw in reader.column_reader("facts")]
    assert stored == [{"id": svc.id}]
    everything = " ".join([*(t.decode("utf-8", "replace") for t in terms), *facts]).lower()
    for secret in ("quackenbush", "mouldsecretnote", "curfewsecretrule", "followupsecret", "poor"):
        assert secret not in everything
    assert "transit" in everything  # the catalog text is there
    assert set(SCHEMA.names()) == {
        "id",
        "title",
        "tags",
        "body",
        "es",
        "spell",
        "need_areas",
        "languages",
        "towns",
        "status",
        "facts",
    }


def test_status_counts_segments_and_old_copies(app, index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    runner = app.test_cli_runner()
    assert "(missing)" in runner.invoke(args=["search", "status"]).output
    pantry = service("Food Pantry")
    service("Job Center")
    rebuild_index()
    assert (
        "segments: 1; live documents: 2; old copies: 0 (0%"
        in runner.invoke(args=["search", "status"]).output
    )
    update_services([pantry.id])  # the old copy stays, deleted, in the first segment
    output = runner.invoke(args=["search", "status"]).output
    assert "segments: 2; live documents: 2; old copies: 1 (33%" in output
    assert "queued updates: 0" in output


def test_merging_never_builds_a_missing_index(index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    service("Food Pantry")
    assert merge_small_segments() == 0
    assert not index_dir.exists()
    with wqueue_lock(index_dir):
        assert apply_queue() == 0
    assert not whoosh_index.exists_in(str(index_dir))


def test_large_followers_fold_everything_and_drop_old_copies(index_dir: Path, taxonomy) -> None:  # noqa: ANN001
    made = [service(f"Pantry {n}", description="Groceries.") for n in range(8)]
    rebuild_index()
    for n in range(SMALL_SEGMENTS_MAX + 1):
        update_services([made[n].id])  # 7 followers beside 8 documents: more than a quarter
    before = segment_counts()
    assert len(before) == SMALL_SEGMENTS_MAX + 2 and before[0][1] == SMALL_SEGMENTS_MAX + 1
    merge_small_segments()
    assert segment_counts() == [(8, 0)]  # one segment, the old copies gone
    forget()
    assert len(_names(text="groceries")) == 8
